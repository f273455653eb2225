//! The local tools of the command line: the CLI itself ([`cli`]), the
//! corpus check ([`check`]), the text-to-intent simulator
//! ([`simulator`]), conversation tests ([`conversation`]), the interaction
//! models ([`interaction`]), the unanswered-questions report ([`report`])
//! and the batch hours evaluation for the reference tests
//! ([`hours_batch`]). Nothing below this tier imports from it.

pub mod check;
pub mod cli;
pub mod commands;
pub mod conversation;
pub mod hours_batch;
pub mod interaction;
pub mod report;
pub mod simulator;
pub mod try_page;
pub mod understander;
