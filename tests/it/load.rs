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
    let p = crate::pki::pki("echo-api.amazon.com", (2020, 1, 1), (2040, 1, 1));
    let dir = std::env::temp_dir().join(format!("city-skill-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (root, chain) = (dir.join("root.pem"), dir.join("chain.pem"));
    std::fs::write(&root, &p.ca_pem).unwrap();
    std::fs::write(&chain, &p.chain_pem).unwrap();
    let server = Server::start_with(&[
        "--test-root-ca",
        root.to_str().unwrap(),
        "--test-cert-chain",
        chain.to_str().unwrap(),
    ]);
    let requests: Vec<Req> = alexa_bodies()
        .into_iter()
        .map(|b| {
            let headers = format!(
                "SignatureCertChainUrl: https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem\r\nSignature-256: {}\r\n",
                crate::pki::sign(b.as_bytes())
            );
            Req::post(b, headers)
        })
        .collect();
    let outcome = run(&server.addr, &requests, 500, 8, is_alexa_response);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(outcome.errors, 0, "{:?}", outcome.first_errors);
}
