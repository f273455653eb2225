//! Request signature checks against a certificate authority made here,
//! with RSA keys like Amazon's (tests/fixtures/tls holds two throwaway test
//! keys, never used for anything else): a valid signature passes; a
//! tampered body, another name, an expired or not yet valid certificate,
//! an unknown root and a garbled header are each refused.

use rustls_pki_types::UnixTime;

pub(crate) use crate::pki::{pki, sign, Pki};

use city_skill::host::verify::{signed_body, VerifyError};

const BODY: &[u8] =
    br#"{"version":"1.0","request":{"type":"LaunchRequest","timestamp":"2026-11-25T09:00:00Z"}}"#;

/// 2026-11-25 09:00 UTC.
fn now() -> UnixTime {
    UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_795_597_200))
}

fn valid() -> Pki {
    pki("echo-api.amazon.com", (2026, 1, 1), (2027, 1, 1))
}

fn check(p: &Pki, body: &[u8], signature: &str) -> Result<(), VerifyError> {
    let anchor = webpki::anchor_from_trusted_cert(&p.ca_der).unwrap();
    signed_body(p.chain_pem.as_bytes(), &[anchor], now(), body, signature)
}

#[test]
fn a_correctly_signed_body_passes() {
    assert_eq!(check(&valid(), BODY, &sign(BODY)), Ok(()));
}

#[test]
fn a_tampered_body_is_refused() {
    let mut body = BODY.to_vec();
    body[10] ^= 1;
    assert_eq!(
        check(&valid(), &body, &sign(BODY)),
        Err(VerifyError::Signature)
    );
}

#[test]
fn a_certificate_for_another_name_is_refused() {
    let p = pki("evil.example.com", (2026, 1, 1), (2027, 1, 1));
    assert_eq!(check(&p, BODY, &sign(BODY)), Err(VerifyError::Name));
}

#[test]
fn an_expired_certificate_is_refused() {
    let p = pki("echo-api.amazon.com", (2024, 1, 1), (2025, 1, 1));
    assert!(matches!(
        check(&p, BODY, &sign(BODY)),
        Err(VerifyError::Certificate(_))
    ));
}

#[test]
fn a_certificate_not_yet_valid_is_refused() {
    let p = pki("echo-api.amazon.com", (2027, 1, 1), (2028, 1, 1));
    assert!(matches!(
        check(&p, BODY, &sign(BODY)),
        Err(VerifyError::Certificate(_))
    ));
}

#[test]
fn a_chain_to_an_unknown_root_is_refused() {
    let p = valid();
    // The public roots do not know the test's CA.
    let roots = webpki_roots::TLS_SERVER_ROOTS;
    let got = signed_body(p.chain_pem.as_bytes(), roots, now(), BODY, &sign(BODY));
    assert!(matches!(got, Err(VerifyError::Certificate(_))), "{got:?}");
}

#[test]
fn a_garbled_or_missing_signature_is_refused() {
    assert_eq!(
        check(&valid(), BODY, "not base64!"),
        Err(VerifyError::Signature)
    );
    assert_eq!(check(&valid(), BODY, ""), Err(VerifyError::Signature));
    assert_eq!(
        signed_body(b"no certificates here", &[], now(), BODY, &sign(BODY)),
        Err(VerifyError::Chain)
    );
}

fn verifier(p: &Pki) -> city_skill::host::verify::Verifier {
    let anchor = webpki::anchor_from_trusted_cert(&p.ca_der)
        .unwrap()
        .to_owned();
    let chain = p.chain_pem.clone().into_bytes();
    city_skill::host::verify::Verifier::with(
        vec![anchor],
        Box::new(move |_url: &str| Ok(chain.clone())),
        150,
    )
}

const URL: &str = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem";

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

#[test]
fn the_verifier_passes_a_signed_request_within_the_time_window() {
    let v = verifier(&valid());
    assert_eq!(
        v.verify(
            Some(URL),
            Some(&sign(BODY)),
            BODY,
            at("2026-11-25T09:01:00Z")
        ),
        Ok(())
    );
}

#[test]
fn the_verifier_refuses_old_and_future_requests() {
    let v = verifier(&valid());
    for now in ["2026-11-25T09:02:31Z", "2026-11-25T08:57:29Z"] {
        assert_eq!(
            v.verify(Some(URL), Some(&sign(BODY)), BODY, at(now)),
            Err(VerifyError::Timestamp(150)),
            "{now}"
        );
    }
}

#[test]
fn the_verifier_refuses_missing_headers_and_bad_urls() {
    let v = verifier(&valid());
    let now = at("2026-11-25T09:00:00Z");
    assert_eq!(
        v.verify(None, Some(&sign(BODY)), BODY, now),
        Err(VerifyError::MissingHeader("SignatureCertChainUrl"))
    );
    assert_eq!(
        v.verify(Some(URL), None, BODY, now),
        Err(VerifyError::MissingHeader("Signature-256"))
    );
    assert!(matches!(
        v.verify(
            Some("http://s3.amazonaws.com/echo.api/c.pem"),
            Some(&sign(BODY)),
            BODY,
            now
        ),
        Err(VerifyError::CertUrl(_))
    ));
}
