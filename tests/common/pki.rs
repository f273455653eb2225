//! A certificate authority and an `echo-api.amazon.com` leaf made on the
//! spot, with the two throwaway RSA test keys in tests/fixtures/tls, and
//! request signatures by that leaf: shared by the integration tests and
//! the load bench (`#[path]`-included, so it is compiled into both).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair, KeyUsagePurpose,
    PKCS_RSA_SHA256,
};
use rustls_pki_types::CertificateDer;

fn key(name: &str) -> KeyPair {
    let path = format!("{}/tests/fixtures/tls/{name}", env!("CARGO_MANIFEST_DIR"));
    KeyPair::from_pem_and_sign_algo(&std::fs::read_to_string(path).unwrap(), &PKCS_RSA_SHA256)
        .unwrap()
}

pub struct Pki {
    pub ca_der: CertificateDer<'static>,
    pub ca_pem: String,
    pub chain_pem: String,
}

/// A CA and a leaf for `name`, valid from `from` to `until`.
pub fn pki(name: &str, from: (i32, u8, u8), until: (i32, u8, u8)) -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca_params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    ca_params.not_after = rcgen::date_time_ymd(2040, 1, 1);
    let ca = CertifiedIssuer::self_signed(ca_params, key("test-ca-key.pem")).unwrap();
    let mut leaf_params = CertificateParams::new(vec![name.to_string()]).unwrap();
    leaf_params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    leaf_params.not_before = rcgen::date_time_ymd(from.0, from.1, from.2);
    leaf_params.not_after = rcgen::date_time_ymd(until.0, until.1, until.2);
    let leaf = leaf_params
        .signed_by(&key("test-leaf-key.pem"), &ca)
        .unwrap();
    Pki {
        ca_der: ca.der().clone(),
        ca_pem: ca.pem(),
        chain_pem: leaf.pem() + &ca.pem(),
    }
}

/// The `SignatureCertChainUrl` and `Signature-256` header lines (each
/// ending in CRLF) of a request whose body is `body`, signed by the leaf.
pub fn signed_headers(body: &[u8]) -> String {
    format!(
        "SignatureCertChainUrl: https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem\r\n\
         Signature-256: {}\r\n",
        sign(body)
    )
}

/// Base64 of the RSA PKCS#1 v1.5 SHA-256 signature of `body` by the leaf key.
pub fn sign(body: &[u8]) -> String {
    use base64::Engine as _;
    let path = format!(
        "{}/tests/fixtures/tls/test-leaf-key.pem",
        env!("CARGO_MANIFEST_DIR")
    );
    let pem = std::fs::read_to_string(path).unwrap();
    let der = base64::engine::general_purpose::STANDARD
        .decode(
            pem.lines()
                .filter(|l| !l.starts_with("-----"))
                .collect::<String>(),
        )
        .unwrap();
    let pair = ring::signature::RsaKeyPair::from_pkcs8(&der).unwrap();
    let mut sig = vec![0u8; pair.public().modulus_len()];
    pair.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        body,
        &mut sig,
    )
    .unwrap();
    base64::engine::general_purpose::STANDARD.encode(sig)
}
