//! `serve` under concurrent load on 127.0.0.1 answers every request: a
//! smaller run of the load bench (`cargo bench --bench load`, which
//! reports the figures), here only counting errors, never timing.

use crate::load_client::{alexa_bodies, is_alexa_response, run, Req};
use crate::server::Server;

#[test]
fn serve_answers_every_request_of_a_concurrent_load_without_error() {
    let server = Server::start();
    let requests: Vec<Req> = alexa_bodies()
        .into_iter()
        .map(|b| Req::post(b, String::new()))
        .collect();
    let outcome = run(&server.addr, &requests, 2_000, 16, is_alexa_response);
    assert_eq!(outcome.requests, 2_000);
    assert_eq!(outcome.errors, 0, "{:?}", outcome.first_errors);
}

#[test]
fn serve_verifies_every_signed_request_of_a_concurrent_load() {
    let server = Server::start_verifying();
    let requests: Vec<Req> = alexa_bodies()
        .into_iter()
        .map(|b| {
            let headers = crate::pki::signed_headers(b.as_bytes());
            Req::post(b, headers)
        })
        .collect();
    let outcome = run(&server.addr, &requests, 500, 8, is_alexa_response);
    assert_eq!(outcome.errors, 0, "{:?}", outcome.first_errors);
}
