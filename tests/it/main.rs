//! Integration tests: the library through its public API, and the real
//! compiled binary (`CARGO_BIN_EXE_city-skill`) from the outside.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod helpers;
#[path = "../common/load.rs"]
mod load_client;
#[path = "../common/pki.rs"]
mod pki;
#[path = "../common/server.rs"]
mod server;
#[path = "../common/webdriver.rs"]
mod webdriver;

mod browser;
mod check;
mod cli;
mod compile;
mod conversations;
mod encoder;
mod eval;
mod events;
mod feed;
mod fixtures;
mod hostile;
mod hours;
mod ical;
mod load;
mod models;
mod privacy;
mod properties;
mod reference_hours;
mod reference_ical;
mod runtime_api;
mod serve;
mod skill_package;
mod template;
mod try_page;
mod understanding;
mod verify;
mod wyoming;
