//! The hosts that carry requests to the skill: the Lambda Runtime API
//! ([`lambda`]), a self-hosted HTTPS endpoint ([`http`]) with Amazon's
//! request verification ([`verify`]), and a Wyoming handle service
//! ([`wyoming`]) for Home Assistant Assist. Each is a thin adapter around
//! [`crate::skill::Skill`].

pub mod http;
pub mod lambda;
pub mod try_page;
pub mod verify;
pub mod wyoming;
