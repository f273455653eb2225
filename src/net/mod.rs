//! Outbound HTTP, size-limited: the one way the skill reads a body from
//! the network (the events feed, Amazon's signing certificate chain), so
//! that no remote server can make it read without end. A leaf: it knows
//! nothing of the skill.

use std::io::Read as _;

/// Why a fetch gave no body.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Unreachable, refused, a status other than 2xx, too slow, cut off.
    #[error("{0}")]
    Failed(String),
    /// The body was larger than the limit.
    #[error("the response is larger than {0} bytes")]
    TooLarge(u64),
}

/// GETs `url` with `agent` and reads at most `max_bytes` of the body.
///
/// # Errors
/// [`FetchError::Failed`] when the request or the read fails,
/// [`FetchError::TooLarge`] when the body is longer than `max_bytes`.
pub fn get(agent: &ureq::Agent, url: &str, max_bytes: u64) -> Result<Vec<u8>, FetchError> {
    let response = agent
        .get(url)
        .call()
        .map_err(|e| FetchError::Failed(e.to_string()))?;
    let mut body = Vec::new();
    response
        .into_body()
        .into_reader()
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(|e| FetchError::Failed(e.to_string()))?;
    if body.len() as u64 > max_bytes {
        return Err(FetchError::TooLarge(max_bytes));
    }
    Ok(body)
}
