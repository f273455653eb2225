//! The hosts that carry Alexa requests to the skill: the Lambda Runtime
//! API ([`lambda`]) and a self-hosted HTTPS endpoint ([`http`]) with
//! Amazon's request verification ([`verify`]). Each is a thin adapter
//! around [`crate::skill::Skill`].

pub mod http;
pub mod lambda;
pub mod try_page;
pub mod verify;
