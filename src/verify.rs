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
    /// The request's timestamp is missing or too far from now.
    #[error("the request timestamp is missing or more than {0} s from now")]
    Timestamp(u64),
}

/// Default tolerance for a request's timestamp, in seconds.
pub const TIMESTAMP_TOLERANCE_SECS: u64 = 150;

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
    let t = timestamp
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .ok_or(VerifyError::Timestamp(tolerance_secs))?;
    let off = (now - t.with_timezone(&chrono::Utc))
        .num_seconds()
        .unsigned_abs();
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
