//! The Wyoming wire format: one event is a JSON header line (`type`, an
//! optional inline `data` object, `data_length`, `payload_length`,
//! `version`), then `data_length` bytes of JSON merged into `data`, then
//! `payload_length` bytes of payload (audio; this service reads it only to
//! stay in step). As the `wyoming` Python package writes and reads it.
//!
//! Reading is bounded: a header line over [`MAX_HEADER_BYTES`] or data or
//! payload over [`MAX_DATA_BYTES`] is refused before it is buffered.

use serde_json::{Map, Value};
use tokio::io::{AsyncBufRead, AsyncBufReadExt as _, AsyncReadExt as _, AsyncWrite};
use tokio::io::{AsyncWriteExt as _, BufReader};

/// Longest header line accepted (the Python package's reader stops at
/// 64 KiB too: asyncio's default line limit).
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Most data (and most payload) bytes accepted for one event.
pub const MAX_DATA_BYTES: usize = 1024 * 1024;

/// The protocol version written in every header: the `wyoming` package
/// release whose format this follows.
pub const VERSION: &str = "1.10.2";

/// One event: its type and its data object (header `data` merged with the
/// data bytes). Payloads are read and dropped: no event this service
/// answers carries one.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// `describe`, `transcript`, …
    pub kind: String,
    /// The event's data.
    pub data: Map<String, Value>,
}

/// Why an event could not be read; the connection is closed after it.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The header line is longer than [`MAX_HEADER_BYTES`].
    #[error("header line over {MAX_HEADER_BYTES} bytes")]
    HeaderTooLong,
    /// `data_length` or `payload_length` is over [`MAX_DATA_BYTES`].
    #[error("{what} of {len} bytes (at most {MAX_DATA_BYTES})")]
    TooLarge {
        /// `data` or `payload`.
        what: &'static str,
        /// The length announced.
        len: u64,
    },
    /// The header or the data is not the JSON the protocol needs.
    #[error("invalid event: {0}")]
    Invalid(&'static str),
    /// The connection ended inside an event.
    #[error("connection closed inside an event")]
    Truncated,
    /// The socket failed.
    #[error("read failed: {0}")]
    Io(#[from] std::io::Error),
}

impl ReadError {
    /// The code sent in the `error` event before closing.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::HeaderTooLong | ReadError::TooLarge { .. } => "too-large",
            ReadError::Invalid(_) => "invalid-event",
            ReadError::Truncated | ReadError::Io(_) => "io",
        }
    }
}

/// Reads the next event; `Ok(None)` at a clean end of the stream (between
/// events).
///
/// # Errors
/// As [`ReadError`]; the stream is then out of step and must be closed.
pub async fn read<R: AsyncBufRead + Unpin>(reader: &mut R) -> Result<Option<Event>, ReadError> {
    let mut line = Vec::new();
    // One byte more than allowed tells "too long" from "exactly the limit".
    let limit = (MAX_HEADER_BYTES + 1) as u64;
    let n = (&mut *reader)
        .take(limit)
        .read_until(b'\n', &mut line)
        .await?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        return Err(match n > MAX_HEADER_BYTES {
            true => ReadError::HeaderTooLong,
            false => ReadError::Truncated,
        });
    }
    let header: Map<String, Value> = serde_json::from_slice(&line)
        .map_err(|_| ReadError::Invalid("header is not a JSON object"))?;
    let kind = match header.get("type") {
        Some(Value::String(t)) if !t.is_empty() => t.clone(),
        _ => return Err(ReadError::Invalid("header has no type")),
    };
    let mut data = match header.get("data") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(d)) => d.clone(),
        Some(_) => return Err(ReadError::Invalid("data is not an object")),
    };
    let data_len = length(&header, "data_length")?;
    let payload_len = length(&header, "payload_length")?;
    for (what, len) in [("data", data_len), ("payload", payload_len)] {
        if len > MAX_DATA_BYTES as u64 {
            return Err(ReadError::TooLarge { what, len });
        }
    }
    if data_len > 0 {
        let mut bytes = vec![0; data_len as usize];
        read_exact(reader, &mut bytes).await?;
        let more: Map<String, Value> = serde_json::from_slice(&bytes)
            .map_err(|_| ReadError::Invalid("data bytes are not a JSON object"))?;
        data.extend(more);
    }
    if payload_len > 0 {
        let copied = tokio::io::copy(
            &mut (&mut *reader).take(payload_len),
            &mut tokio::io::sink(),
        )
        .await?;
        if copied < payload_len {
            return Err(ReadError::Truncated);
        }
    }
    Ok(Some(Event { kind, data }))
}

/// `data_length` / `payload_length`: absent, null or a non-negative integer.
fn length(header: &Map<String, Value>, key: &'static str) -> Result<u64, ReadError> {
    match header.get(key) {
        None | Some(Value::Null) => Ok(0),
        Some(v) => v
            .as_u64()
            .ok_or(ReadError::Invalid("a length is not a non-negative integer")),
    }
}

async fn read_exact<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    buf: &mut [u8],
) -> Result<(), ReadError> {
    match reader.read_exact(buf).await {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(ReadError::Truncated),
        Err(e) => Err(e.into()),
    }
}

/// Writes one event as the Python package does: the header line with
/// `data_length`, then the data as UTF-8 JSON.
///
/// # Errors
/// When the socket fails.
pub async fn write<W: AsyncWrite + Unpin>(
    writer: &mut W,
    kind: &str,
    data: &Value,
) -> std::io::Result<()> {
    let mut header = serde_json::json!({ "type": kind, "version": VERSION });
    let body = match data {
        Value::Object(m) if m.is_empty() => None,
        Value::Null => None,
        d => Some(serde_json::to_vec(d).map_err(std::io::Error::other)?),
    };
    if let Some(b) = &body {
        header["data_length"] = b.len().into();
    }
    let mut out = serde_json::to_vec(&header).map_err(std::io::Error::other)?;
    out.push(b'\n');
    if let Some(b) = body {
        out.extend(b);
    }
    writer.write_all(&out).await?;
    writer.flush().await
}

/// A buffered reader over a connection's read half.
pub fn reader<R: tokio::io::AsyncRead>(r: R) -> BufReader<R> {
    BufReader::with_capacity(8 * 1024, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn parse(bytes: &[u8]) -> Result<Option<Event>, ReadError> {
        read(&mut reader(bytes)).await
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .map(|rt| rt.block_on(f))
            .unwrap_or_else(|e| panic!("runtime: {e}"))
    }

    #[test]
    fn data_bytes_are_merged_into_the_header_data() {
        let data = br#"{"text":"Hallo"}"#;
        let wire = format!(
            "{{\"type\":\"transcript\",\"data\":{{\"language\":\"de\"}},\"data_length\":{}}}\n",
            data.len()
        );
        let mut bytes = wire.into_bytes();
        bytes.extend_from_slice(data);
        let e = run(parse(&bytes)).ok().flatten();
        let e = e.unwrap_or_else(|| panic!("no event"));
        assert_eq!(e.kind, "transcript");
        assert_eq!(e.data["text"], "Hallo");
        assert_eq!(e.data["language"], "de");
    }

    #[test]
    fn a_payload_is_skipped_so_the_next_event_reads() {
        let bytes =
            b"{\"type\":\"audio-chunk\",\"payload_length\":3}\nabc{\"type\":\"describe\"}\n";
        let mut r = reader(&bytes[..]);
        let kinds = run(async {
            let a = read(&mut r).await.ok().flatten().map(|e| e.kind);
            let b = read(&mut r).await.ok().flatten().map(|e| e.kind);
            (a, b)
        });
        assert_eq!(kinds, (Some("audio-chunk".into()), Some("describe".into())));
    }

    #[test]
    fn a_header_over_64_kib_is_refused() {
        let mut bytes = vec![b' '; MAX_HEADER_BYTES + 10];
        bytes.push(b'\n');
        assert!(matches!(run(parse(&bytes)), Err(ReadError::HeaderTooLong)));
    }

    #[test]
    fn data_over_1_mib_is_refused_before_it_is_read() {
        let bytes = b"{\"type\":\"transcript\",\"data_length\":2000000}\n";
        assert!(matches!(
            run(parse(bytes)),
            Err(ReadError::TooLarge { what: "data", .. })
        ));
    }

    #[test]
    fn garbage_is_invalid() {
        assert!(matches!(
            run(parse(b"\x00\xffnot json\n")),
            Err(ReadError::Invalid(_))
        ));
        assert!(matches!(
            run(parse(b"{\"data\":{}}\n")),
            Err(ReadError::Invalid(_))
        ));
        assert!(matches!(run(parse(b"[1,2]\n")), Err(ReadError::Invalid(_))));
    }

    #[test]
    fn a_clean_end_between_events_is_none_and_inside_one_is_truncated() {
        assert!(matches!(run(parse(b"")), Ok(None)));
        assert!(matches!(
            run(parse(b"{\"type\":\"describe\"")),
            Err(ReadError::Truncated)
        ));
        let short = b"{\"type\":\"transcript\",\"data_length\":10}\n{}";
        assert!(matches!(run(parse(short)), Err(ReadError::Truncated)));
    }

    #[test]
    fn written_events_read_back() {
        let mut out = Vec::new();
        let data = serde_json::json!({"text": "Grüß Gott", "context": {"a": 1}});
        run(write(&mut out, "handled", &data)).unwrap_or_else(|e| panic!("{e}"));
        let e = run(parse(&out))
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no event"));
        assert_eq!(e.kind, "handled");
        assert_eq!(Value::Object(e.data), data);
    }
}
