//! `city-skill try` and `serve --try-page`: the browser page for trying the
//! skill with citizens ([`crate::host::try_page`]), with the local
//! simulator of Alexa's language model reading what they type or say.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::config::Settings;
use crate::host::http::Alexa;
use crate::host::try_page::{TryPage, Understanding};
use crate::lang::Locale;
use crate::local::simulator::Simulator;
use crate::local::understander::Understander;
use crate::skill::Skill;
use crate::startup::{build_skill, FeedStart};

impl Understanding for Understander {
    fn envelope(
        &self,
        text: &str,
        locale: Locale,
        now: DateTime<Utc>,
        turn: u32,
        attributes: &Map<String, Value>,
    ) -> crate::alexa::request::RequestEnvelope {
        self.request_in(text, locale, now, turn, attributes)
    }
}

/// The try page over `skill`.
///
/// # Errors
/// When the embedded interaction models do not parse.
pub fn page(skill: Arc<Skill>, settings: &Settings) -> anyhow::Result<TryPage> {
    let sim = Simulator::embedded().context("the interaction models do not parse")?;
    let understanding = Understander::new(sim, skill.knowledge().city().timezone, settings);
    Ok(TryPage::new(skill, Box::new(understanding)))
}

/// Serves the page (and, unless `alexa` is [`Alexa::Off`], the Alexa
/// endpoint) on `addr:port` until SIGTERM, with JSON logs on stdout.
///
/// # Errors
/// When the corpus does not load or the address cannot be bound.
pub fn run(
    settings: &Settings,
    alexa: Alexa,
    with_page: bool,
    addr: IpAddr,
    port: u16,
) -> anyhow::Result<ExitCode> {
    let skill = Arc::new(build_skill(settings, FeedStart::Background)?);
    let page = match with_page {
        true => Some(Arc::new(page(Arc::clone(&skill), settings)?)),
        false => None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime
        .block_on(crate::host::http::serve_with(
            skill,
            alexa,
            page,
            SocketAddr::new(addr, port),
            |bound| {
                tracing::info!(%bound, "listening");
                if with_page {
                    eprintln!("try page: http://{bound}/ (Ctrl-C stops)");
                }
            },
        ))
        .with_context(|| format!("cannot listen on {addr}:{port}"))?;
    Ok(ExitCode::SUCCESS)
}
