//! Matching citizens' words to corpus entries: normalisation and a scored
//! index. Pure and synchronous; knows nothing of Alexa or of any city.

pub mod index;
pub mod normalize;

pub use index::{Hit, Index};
