//! `city-skill wyoming`: the skill as a Wyoming "handle" service, the
//! protocol Home Assistant's Wyoming integration speaks to conversation
//! agents. A client sends `describe` (answered with `info`) or a
//! `transcript` (answered with `handled` or `not-handled`, plain text
//! rendered from the skill's answer; never SSML).
//!
//! Each connection is its own task. A connection that sends a header
//! over 64 KiB, data over 1 MiB, invalid JSON or an event this service
//! does not know gets an `error` event and is closed; the others go on.
//! SIGTERM (or Ctrl-C) stops accepting, lets answers being written finish
//! and closes idle connections.

pub mod event;
pub mod handle;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

use crate::time::clock;
use event::ReadError;
pub use handle::{Handler, Said, Understand};

/// Most connections served at once; more are closed on accept.
pub const MAX_CONNECTIONS: usize = 1024;

/// A connection that sends no complete event for this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// How long a stop waits for answers being written.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// Serves `handler` on `addr` until SIGTERM or Ctrl-C. Calls `bound` with
/// the address actually bound (port 0 picks a free one).
///
/// # Errors
/// When the address cannot be bound.
pub async fn serve(
    handler: Arc<Handler>,
    addr: SocketAddr,
    bound: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    bound(listener.local_addr()?);
    let (stop_tx, stop_rx) = watch::channel(false);
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut tasks = JoinSet::new();
    let mut stop = std::pin::pin!(super::http::shutdown_signal());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
                    tracing::warn!(max = MAX_CONNECTIONS, "wyoming: too many connections, one refused");
                    continue;
                };
                let handler = Arc::clone(&handler);
                let stop = stop_rx.clone();
                tasks.spawn(async move {
                    connection(stream, &handler, stop).await;
                    drop(slot);
                });
                while tasks.try_join_next().is_some() {}
            }
            () = &mut stop => break,
        }
    }
    tracing::info!("shutting down: closing connections");
    drop(listener);
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(STOP_GRACE, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tasks.abort_all();
    }
    Ok(())
}

/// One client: events in, replies out, until it closes, errs or the
/// service stops.
async fn connection(stream: TcpStream, handler: &Handler, mut stop: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    let (read, mut write) = stream.into_split();
    let mut read = event::reader(read);
    loop {
        if *stop.borrow() {
            return;
        }
        let next = tokio::select! {
            _ = stop.changed() => return,
            next = tokio::time::timeout(IDLE_TIMEOUT, event::read(&mut read)) => next,
        };
        let ev = match next {
            Err(_) => return,
            Ok(Ok(None)) => return,
            Ok(Ok(Some(ev))) => ev,
            Ok(Err(e)) => {
                tracing::warn!(reason = %e, "wyoming: connection closed");
                if matches!(e, ReadError::Io(_) | ReadError::Truncated) {
                    return;
                }
                let _ = event::write(&mut write, "error", &error(&e.to_string(), e.code())).await;
                return;
            }
        };
        let (kind, data, close) = match ev.kind.as_str() {
            "describe" => {
                let r = handler.info();
                (r.kind, r.data, false)
            }
            "transcript" => match handler.transcript(&ev.data, clock::now()) {
                Some(r) => (r.kind, r.data, false),
                None => (
                    "error",
                    error("transcript without text", "invalid-event"),
                    true,
                ),
            },
            "ping" => ("pong", json!({ "text": ev.data.get("text") }), false),
            _ => {
                tracing::warn!(reason = "unknown event type", "wyoming: connection closed");
                ("error", error("unknown event type", "unknown-event"), true)
            }
        };
        if event::write(&mut write, kind, &data).await.is_err() || close {
            return;
        }
    }
}

fn error(text: &str, code: &str) -> Value {
    json!({ "text": text, "code": code })
}
