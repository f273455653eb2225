//! The Alexa custom-skill protocol: request and response envelopes, SSML
//! (the rendering of [`crate::lang::speech::Speech`]).
//!
//! Knows nothing of cities: any skill could use this module.

pub mod model;
pub mod request;
pub mod response;
pub mod ssml;

pub use request::{Intent, Request, RequestEnvelope, RequestKind, Slot};
pub use response::{
    CanFulfill, CanFulfillIntent, Card, Directive, OutputSpeech, ResponseBuilder, ResponseEnvelope,
};
