//! Verification of Alexa requests for a self-hosted endpoint, as Amazon
//! requires it (../shared/alexa-reference.md): the certificate chain URL,
//! the signature over the raw body, the timestamp.
//!
//! Here: the URL rules, and the checks of a downloaded chain against the
//! raw body (validity now, SAN `echo-api.amazon.com`, chain to a trusted
//! root, `Signature-256`). Downloading and caching the chain, and the
//! timestamp window, are wired into `serve` separately.

/// Why a request is refused (the endpoint answers HTTP 400 with this).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The `SignatureCertChainUrl` header breaks Amazon's rules.
    #[error("SignatureCertChainUrl is not allowed: {0}")]
    CertUrl(&'static str),
    /// The downloaded chain is not usable PEM certificates.
    #[error("the certificate chain does not parse")]
    Chain,
    /// The signing certificate is expired, not yet valid, or does not
    /// chain to a trusted root.
    #[error("the signing certificate is not valid: {0}")]
    Certificate(String),
    /// The certificate is not for `echo-api.amazon.com`.
    #[error("the signing certificate is not for echo-api.amazon.com")]
    Name,
    /// The `Signature-256` header is missing, not base64, or does not
    /// match the body.
    #[error("the request signature does not match the body")]
    Signature,
    /// A header Alexa always sends is missing.
    #[error("the {0} header is missing")]
    MissingHeader(&'static str),
    /// The request's timestamp is missing or too far from now.
    #[error("the request timestamp is missing or more than {0} s from now")]
    Timestamp(u64),
}

/// Fetches a certificate chain by URL (the network in production, a
/// closure in tests).
pub type Fetch = Box<dyn Fn(&str) -> Result<Vec<u8>, String> + Send + Sync>;

/// How long a downloaded chain is reused.
const CHAIN_CACHE: std::time::Duration = std::time::Duration::from_secs(3600);
/// Largest chain accepted.
const MAX_CHAIN_BYTES: u64 = 64 * 1024;

/// Verifies Alexa requests: headers, chain (downloaded once an hour per
/// URL), signature and timestamp.
pub struct Verifier {
    roots: Vec<rustls_pki_types::TrustAnchor<'static>>,
    fetch: Fetch,
    cache: std::sync::Mutex<std::collections::HashMap<String, (Vec<u8>, std::time::Instant)>>,
    tolerance_secs: u64,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("roots", &self.roots.len())
            .field("tolerance_secs", &self.tolerance_secs)
            .finish()
    }
}

impl Verifier {
    /// Amazon's rules against the public roots, fetching chains over HTTPS
    /// with `timeout`.
    pub fn amazon(timeout: std::time::Duration, tolerance_secs: u64) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(true)
            .build()
            .into();
        let fetch: Fetch = Box::new(move |url: &str| {
            crate::net::get(&agent, url, MAX_CHAIN_BYTES).map_err(|e| e.to_string())
        });
        Self::with(
            webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            fetch,
            tolerance_secs,
        )
    }

    /// For tests: trusts the PEM root in `root` and answers every chain URL
    /// with the PEM chain in `chain`.
    ///
    /// # Errors
    /// When a file cannot be read or holds no certificate.
    pub fn from_files(
        root: &std::path::Path,
        chain: &std::path::Path,
        tolerance_secs: u64,
    ) -> Result<Self, VerifyError> {
        use rustls_pki_types::pem::PemObject as _;
        let root = rustls_pki_types::CertificateDer::from_pem_file(root)
            .map_err(|_| VerifyError::Chain)?;
        let anchor = webpki::anchor_from_trusted_cert(&root)
            .map_err(|_| VerifyError::Chain)?
            .to_owned();
        let pem = std::fs::read(chain).map_err(|_| VerifyError::Chain)?;
        Ok(Self::with(
            vec![anchor],
            Box::new(move |_: &str| Ok(pem.clone())),
            tolerance_secs,
        ))
    }

    /// A verifier with given roots and fetcher.
    pub fn with(
        roots: Vec<rustls_pki_types::TrustAnchor<'static>>,
        fetch: Fetch,
        tolerance_secs: u64,
    ) -> Self {
        Self {
            roots,
            fetch,
            cache: std::sync::Mutex::new(std::collections::HashMap::new()),
            tolerance_secs,
        }
    }

    /// Verifies one request from its two headers and raw body at `now`.
    ///
    /// # Errors
    /// The first rule the request breaks.
    pub fn verify(
        &self,
        cert_chain_url: Option<&str>,
        signature: Option<&str>,
        body: &[u8],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), VerifyError> {
        let url =
            cert_url(cert_chain_url.ok_or(VerifyError::MissingHeader("SignatureCertChainUrl"))?)?;
        let signature = signature.ok_or(VerifyError::MissingHeader("Signature-256"))?;
        let chain = self.chain(&url)?;
        let secs = u64::try_from(now.timestamp()).unwrap_or(0);
        let unix =
            rustls_pki_types::UnixTime::since_unix_epoch(std::time::Duration::from_secs(secs));
        signed_body(&chain, &self.roots, unix, body, signature)?;
        let payload: serde_json::Value = serde_json::from_slice(body)
            .map_err(|_| VerifyError::Timestamp(self.tolerance_secs))?;
        let ts = payload
            .get("request")
            .and_then(|r| r.get("timestamp"))
            .and_then(serde_json::Value::as_str);
        timestamp(ts, now, self.tolerance_secs)
    }

    fn chain(&self, url: &str) -> Result<Vec<u8>, VerifyError> {
        let mut cache = match self.cache.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some((pem, at)) = cache.get(url) {
            if at.elapsed() < CHAIN_CACHE {
                return Ok(pem.clone());
            }
        }
        let pem = (self.fetch)(url).map_err(|_| VerifyError::Chain)?;
        cache.insert(url.to_string(), (pem.clone(), std::time::Instant::now()));
        Ok(pem)
    }
}

pub use crate::alexa::request::TIMESTAMP_TOLERANCE_SECS;

/// Checks that `timestamp` (RFC 3339, from `request.timestamp`) is within
/// `tolerance_secs` of `now`, either way: an old request may be a replay.
///
/// # Errors
/// When it is missing, unreadable or out of the window.
pub fn timestamp(
    timestamp: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
    tolerance_secs: u64,
) -> Result<(), VerifyError> {
    let t = timestamp.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
    within(
        t.map(|t| t.with_timezone(&chrono::Utc)),
        now,
        tolerance_secs,
    )
}

/// Checks that a parsed request timestamp is within `tolerance_secs` of
/// `now`, either way.
///
/// # Errors
/// When it is missing or out of the window.
pub fn within(
    timestamp: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
    tolerance_secs: u64,
) -> Result<(), VerifyError> {
    let t = timestamp.ok_or(VerifyError::Timestamp(tolerance_secs))?;
    let off = (now - t).num_seconds().unsigned_abs();
    if off > tolerance_secs {
        return Err(VerifyError::Timestamp(tolerance_secs));
    }
    Ok(())
}

/// The name Alexa's signing certificate must carry.
const SIGNER: &str = "echo-api.amazon.com";

/// Checks a request body against its `Signature-256` header and the PEM
/// certificate chain named by its `SignatureCertChainUrl`: the first
/// certificate must be valid at `now`, be issued for `echo-api.amazon.com`
/// (as a TLS server certificate), chain through the others to one of
/// `roots`, and its key must have signed the raw body (RSA PKCS#1 v1.5 with
/// SHA-256).
///
/// # Errors
/// Names what failed.
pub fn signed_body(
    chain_pem: &[u8],
    roots: &[rustls_pki_types::TrustAnchor<'_>],
    now: rustls_pki_types::UnixTime,
    body: &[u8],
    signature_b64: &str,
) -> Result<(), VerifyError> {
    use base64::Engine as _;
    use rustls_pki_types::pem::PemObject as _;
    use rustls_pki_types::{CertificateDer, ServerName};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(chain_pem)
        .collect::<Result<_, _>>()
        .map_err(|_| VerifyError::Chain)?;
    let (leaf, intermediates) = certs.split_first().ok_or(VerifyError::Chain)?;
    let leaf = webpki::EndEntityCert::try_from(leaf).map_err(|_| VerifyError::Chain)?;
    leaf.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        roots,
        intermediates,
        now,
        webpki::KeyUsage::server_auth(),
        None,
        None,
    )
    .map_err(|e| VerifyError::Certificate(e.to_string()))?;
    let name = ServerName::try_from(SIGNER).map_err(|_| VerifyError::Name)?;
    leaf.verify_is_valid_for_subject_name(&name)
        .map_err(|_| VerifyError::Name)?;
    let signature = base64::engine::general_purpose::STANDARD
        .decode(signature_b64.trim())
        .map_err(|_| VerifyError::Signature)?;
    leaf.verify_signature(webpki::ring::RSA_PKCS1_2048_8192_SHA256, body, &signature)
        .map_err(|_| VerifyError::Signature)
}

/// The host the certificate chain must come from.
const CERT_HOST: &str = "s3.amazonaws.com";
/// The path the chain must lie under, after normalisation (case-sensitive).
const CERT_PATH: &str = "/echo.api/";

/// Checks a `SignatureCertChainUrl` and returns it normalised: scheme
/// `https` and host `s3.amazonaws.com` (both case-insensitive), port 443 or
/// none, a path that after removing dot segments starts with `/echo.api/`.
/// Anything unusual (user info, query, fragment, percent escapes) is
/// refused rather than interpreted.
///
/// # Errors
/// Names the rule the URL breaks.
pub fn cert_url(url: &str) -> Result<String, VerifyError> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or(VerifyError::CertUrl("no scheme"))?;
    if !scheme.eq_ignore_ascii_case("https") {
        return Err(VerifyError::CertUrl("scheme is not https"));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => return Err(VerifyError::CertUrl("no path")),
    };
    if authority.contains('@') {
        return Err(VerifyError::CertUrl("user information in the host"));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    if !host.eq_ignore_ascii_case(CERT_HOST) {
        return Err(VerifyError::CertUrl("host is not s3.amazonaws.com"));
    }
    if port.is_some_and(|p| p != "443") {
        return Err(VerifyError::CertUrl("port is not 443"));
    }
    if path.contains(['?', '#', '%', '\\']) {
        return Err(VerifyError::CertUrl(
            "query, fragment or escapes in the path",
        ));
    }
    let path = remove_dot_segments(path);
    if !path.starts_with(CERT_PATH) {
        return Err(VerifyError::CertUrl("path does not start with /echo.api/"));
    }
    Ok(format!("https://{CERT_HOST}{path}"))
}

/// RFC 3986 §5.2.4 for an absolute path: "/echo.api/../echo.api/x" →
/// "/echo.api/x".
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_within_150_seconds_either_way_pass_and_others_do_not() {
        let now: chrono::DateTime<chrono::Utc> = "2026-11-25T09:00:00Z".parse().unwrap_or_default();
        let t = |s: &str| timestamp(Some(s), now, TIMESTAMP_TOLERANCE_SECS);
        assert_eq!(t("2026-11-25T09:00:00Z"), Ok(()));
        assert_eq!(t("2026-11-25T08:57:30Z"), Ok(()));
        assert_eq!(t("2026-11-25T09:02:30Z"), Ok(()));
        assert!(t("2026-11-25T08:57:29Z").is_err());
        assert!(t("2026-11-25T09:02:31Z").is_err());
        assert!(t("yesterday").is_err());
        assert!(timestamp(None, now, 150).is_err());
    }

    #[test]
    fn amazons_valid_certificate_urls_pass_normalised() {
        for (url, want) in [
            (
                "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
                "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
            ),
            (
                "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
                "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
            ),
            (
                "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
                "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
            ),
            (
                "HTTPS://s3.AmazonAWS.com/echo.api/echo-api-cert.pem",
                "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
            ),
            (
                "https://s3.amazonaws.com/echo.api/./sub/../echo-api-cert.pem",
                "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
            ),
        ] {
            assert_eq!(cert_url(url).as_deref(), Ok(want), "{url}");
        }
    }

    #[test]
    fn every_bad_certificate_url_form_is_refused() {
        for url in [
            "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
            "https://notamazon.com/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com.evil.com/echo.api/echo-api-cert.pem",
            "https://evil.com@s3.amazonaws.com/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
            "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
            "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem",
            "https://s3.amazonaws.com/echo.api/%2e%2e/x.pem",
            "https://s3.amazonaws.com/echo.api/cert.pem?x=1",
            "https://s3.amazonaws.com",
            "s3.amazonaws.com/echo.api/echo-api-cert.pem",
            "",
        ] {
            assert!(cert_url(url).is_err(), "{url} passed");
        }
    }
}
