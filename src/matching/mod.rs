//! Matching citizens' words to corpus entries: normalisation and a scored
//! index. Pure and synchronous; knows nothing of Alexa or of any city.

pub mod encoder;
pub mod index;
pub mod matcher;
pub mod normalize;
pub mod semantic;
pub mod thesaurus;

pub use index::{Hit, Index};
pub use matcher::{Document, IndexData, IndexDataError, Matcher, Scored};
