//! A remote iCalendar feed of events (`CITY_SKILL_EVENTS_URL`): cities
//! publish their event calendars, and the skill keeps a copy.
//!
//! The feed is fetched in a background thread, so it never delays an
//! answer; it is refreshed every few minutes, with a timeout and a size
//! limit. A fetch that fails in any way (unreachable, too slow, too big,
//! not a calendar) keeps the last good copy, and offices and the FAQ never
//! depend on it.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono_tz::Tz;
use ureq::tls::{PemItem, RootCerts, TlsConfig};

use crate::net::FetchError;
use crate::time::ical::{self, Series};

/// How a feed is fetched.
#[derive(Clone, Debug)]
pub struct FeedConfig {
    /// The `.ics` address, `http://` or `https://`.
    pub url: String,
    /// Time between fetches.
    pub refresh: Duration,
    /// Longest a fetch may take, from connecting to the last byte.
    pub timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_bytes: u64,
    /// PEM certificates of the only authorities trusted for `https://`
    /// (a city's internal PKI); `None` trusts the usual public roots.
    pub ca_pem: Option<Vec<u8>>,
}

impl FeedConfig {
    /// A feed at `url` with the defaults: refreshed every 5 minutes, 10 s
    /// timeout, 5 MB limit.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            refresh: Duration::from_secs(300),
            timeout: Duration::from_secs(10),
            max_bytes: 5 * 1024 * 1024,
            ca_pem: None,
        }
    }
}

/// Why a fetch did not replace the copy.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The request failed: no connection, a timeout, an HTTP error status.
    #[error("cannot fetch the events feed: {0}")]
    Fetch(String),
    /// The body was larger than the limit.
    #[error("the events feed is larger than {0} bytes")]
    TooLarge(u64),
    /// The body was not an iCalendar text.
    #[error("the events feed is not an iCalendar file: {0}")]
    NotCalendar(String),
    /// The configured authority certificates do not parse.
    #[error("the events feed's CA certificates do not parse: {0}")]
    Certificates(String),
}

/// The latest good copy of a feed, shared by the skill and the refresher.
#[derive(Debug)]
pub struct Feed {
    config: FeedConfig,
    tz: Tz,
    agent: ureq::Agent,
    events: RwLock<Arc<Vec<Series>>>,
}

impl Feed {
    /// A feed with no copy yet; times without a zone are read in `tz`.
    ///
    /// # Errors
    /// When `ca_pem` is given and holds no certificate that parses.
    pub fn new(config: FeedConfig, tz: Tz) -> Result<Self, FeedError> {
        let mut tls = TlsConfig::builder();
        if let Some(pem) = &config.ca_pem {
            let certs = ureq::tls::parse_pem(pem)
                .filter_map(|item| match item {
                    Ok(PemItem::Certificate(c)) => Some(Ok(c)),
                    Ok(_) => None,
                    Err(e) => Some(Err(e)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| FeedError::Certificates(e.to_string()))?;
            if certs.is_empty() {
                return Err(FeedError::Certificates("no certificate found".into()));
            }
            tls = tls.root_certs(RootCerts::new_with_certs(&certs));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(config.timeout))
            .http_status_as_error(true)
            .tls_config(tls.build())
            .build()
            .into();
        Ok(Self {
            config,
            tz,
            agent,
            events: RwLock::new(Arc::new(Vec::new())),
        })
    }

    /// The events of the last good copy (empty before the first).
    pub fn events(&self) -> Arc<Vec<Series>> {
        match self.events.read() {
            Ok(e) => e.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Fetches the feed once; on success the copy is replaced and the
    /// number of events and of malformed events is returned.
    ///
    /// # Errors
    /// When the fetch fails; the last good copy stays.
    pub fn refresh(&self) -> Result<(usize, usize), FeedError> {
        let body =
            crate::net::get(&self.agent, &self.config.url, self.config.max_bytes).map_err(|e| {
                match e {
                    FetchError::TooLarge(max) => FeedError::TooLarge(max),
                    FetchError::Failed(m) => FeedError::Fetch(m),
                }
            })?;
        let text =
            String::from_utf8(body).map_err(|_| FeedError::NotCalendar("not UTF-8".into()))?;
        if !text.contains("BEGIN:VCALENDAR") {
            return Err(FeedError::NotCalendar("no BEGIN:VCALENDAR".into()));
        }
        let parsed = ical::parse("events feed", &text, self.tz);
        let counts = (parsed.series.len(), parsed.problems.len());
        let fresh = Arc::new(parsed.series);
        match self.events.write() {
            Ok(mut e) => *e = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(counts)
    }

    /// Refreshes now and then every `refresh`, in a background thread, for
    /// as long as the process lives. Each outcome is logged (the address
    /// and counts, nothing about users).
    pub fn spawn(self: &Arc<Self>) -> std::io::Result<std::thread::JoinHandle<()>> {
        let feed = Arc::clone(self);
        std::thread::Builder::new()
            .name("events-feed".into())
            .spawn(move || loop {
                match feed.refresh() {
                    Ok((events, malformed)) => {
                        tracing::info!(events, malformed, "events feed refreshed");
                    }
                    Err(e) => tracing::warn!(error = %e, "events feed kept its last good copy"),
                }
                std::thread::sleep(feed.config.refresh);
            })
    }
}
