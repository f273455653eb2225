//! `city-skill serve`: the skill as a plain HTTP endpoint, for cities that
//! run it in their own data centre behind a TLS proxy (Kubernetes, Knative,
//! a VM). Alexa POSTs the request envelope; `GET /healthz` answers "ok";
//! SIGTERM (or Ctrl-C) stops accepting and lets open requests finish.
//!
//! Every request is verified as Amazon requires for a self-hosted endpoint
//! ([`crate::host::verify`]): certificate URL, chain, signature over the raw body,
//! timestamp; a failure is HTTP 400 with a short reason. Verification can
//! only be skipped with `--insecure-skip-verify`, and then every request
//! logs a warning.
//!
//! The same server carries the try page ([`crate::host::try_page`]) beside
//! the Alexa endpoint (`serve --try-page`) or alone (`city-skill try`).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;

use crate::host::try_page::{self, TryPage};
use crate::host::verify::Verifier;
use crate::skill::Skill;
use crate::time::clock;

/// Largest request body accepted: Alexa's envelopes are a few kilobytes.
const MAX_BODY_BYTES: usize = 256 * 1024;

/// Serves `skill` on `addr` until SIGTERM or Ctrl-C. Calls `bound` with
/// the address actually bound (port 0 picks a free one).
///
/// # Errors
/// When the address cannot be bound.
pub async fn serve(
    skill: Arc<Skill>,
    verifier: Option<Arc<Verifier>>,
    addr: SocketAddr,
    bound: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let alexa = match verifier {
        Some(v) => Alexa::Verified(v),
        None => Alexa::Unverified,
    };
    serve_with(skill, alexa, None, addr, bound).await
}

/// Whether and how the server answers Alexa requests.
#[derive(Clone, Debug)]
pub enum Alexa {
    /// Not at all: POST / is 404 (`city-skill try`).
    Off,
    /// Every request verified as Amazon requires.
    Verified(Arc<Verifier>),
    /// Unverified (`--insecure-skip-verify`).
    Unverified,
}

/// [`serve`] with the Alexa endpoint as `alexa` says and, when given, the
/// try page beside it.
///
/// # Errors
/// When the address cannot be bound.
pub async fn serve_with(
    skill: Arc<Skill>,
    alexa: Alexa,
    page: Option<Arc<TryPage>>,
    addr: SocketAddr,
    bound: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    bound(listener.local_addr()?);
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown_signal());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let skill = Arc::clone(&skill);
                let (alexa, page) = (alexa.clone(), page.clone());
                let service = service_fn(move |req| {
                    handle(Arc::clone(&skill), alexa.clone(), page.clone(), req)
                });
                let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            () = &mut stop => break,
        }
    }
    tracing::info!("shutting down: finishing open requests");
    graceful.shutdown().await;
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C (every host stops on either).
pub(crate) async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
        match term {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn reply(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    if let Ok(v) = content_type.parse() {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

async fn handle(
    skill: Arc<Skill>,
    alexa: Alexa,
    page: Option<Arc<TryPage>>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let text = "text/plain; charset=utf-8";
    if let Some(page) = page.filter(|_| try_page::claims(req.method(), req.uri().path())) {
        return Ok(try_page::handle(&page, req).await);
    }
    let verifier = match (req.method(), req.uri().path(), alexa) {
        (&Method::GET, "/healthz", _) => return Ok(reply(StatusCode::OK, text, "ok\n")),
        (&Method::POST, _, Alexa::Verified(v)) => Some(v),
        (&Method::POST, _, Alexa::Unverified) => None,
        _ => return Ok(reply(StatusCode::NOT_FOUND, text, "not found\n")),
    };
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (chain_url, signature) = (header("SignatureCertChainUrl"), header("Signature-256"));
    let body = match Limited::new(req.into_body(), MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return Ok(reply(
                StatusCode::PAYLOAD_TOO_LARGE,
                text,
                "request body too large\n",
            ));
        }
    };
    match verifier {
        None => tracing::warn!("request signature NOT verified (--insecure-skip-verify)"),
        Some(v) => {
            let raw = body.clone();
            // The first request for a chain downloads it: off the async thread.
            let checked = tokio::task::spawn_blocking(move || {
                v.verify(
                    chain_url.as_deref(),
                    signature.as_deref(),
                    &raw,
                    clock::now(),
                )
            })
            .await;
            match checked {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    tracing::warn!(reason = %e, "request refused");
                    return Ok(reply(StatusCode::BAD_REQUEST, text, format!("{e}\n")));
                }
                Err(_) => {
                    return Ok(reply(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        text,
                        "verification failed\n",
                    ));
                }
            }
        }
    }
    let Ok(payload) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return Ok(reply(
            StatusCode::BAD_REQUEST,
            text,
            "request body is not JSON\n",
        ));
    };
    match skill.handle_json(&payload, clock::now()) {
        Ok(response) => match serde_json::to_vec(&response) {
            Ok(json) => Ok(reply(StatusCode::OK, "application/json", json)),
            Err(_) => Ok(reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                text,
                "cannot encode the response\n",
            )),
        },
        Err(e) => Ok(reply(StatusCode::BAD_REQUEST, text, format!("{e}\n"))),
    }
}
