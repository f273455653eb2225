//! Verification of Alexa requests for a self-hosted endpoint, as Amazon
//! requires it (../shared/alexa-reference.md): the certificate chain URL,
//! the signature over the raw body, the timestamp.
//!
//! This module starts with the URL rules; the chain download, certificate
//! checks and signature follow (issue 6).

/// Why a request is refused (the endpoint answers HTTP 400 with this).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The `SignatureCertChainUrl` header breaks Amazon's rules.
    #[error("SignatureCertChainUrl is not allowed: {0}")]
    CertUrl(&'static str),
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
