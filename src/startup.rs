//! Building the skill once: corpus loaded, validated and indexed; then a
//! host ([`crate::host`]) or a local command borrows it. Also the logs.

use std::sync::Arc;

use anyhow::Context as _;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::config::Settings;
use crate::knowledge::feed::{Feed, FeedConfig};
use crate::knowledge::{Knowledge, Sources};
use crate::skill::{Skill, SkillConfig};

/// How a configured events feed is first fetched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedStart {
    /// In a background thread, refreshed for the process's life (Lambda,
    /// servers): the first answer never waits for it.
    Background,
    /// Once, before answering (one-shot commands such as `ask`).
    Now,
}

/// Loads the corpus and builds the skill, with the events feed if one is
/// configured.
///
/// # Errors
/// When the corpus does not load; the message lists every problem as
/// `file:line: what is wrong`.
pub fn build_skill(settings: &Settings, feed: FeedStart) -> anyhow::Result<Skill> {
    let mut knowledge = load_knowledge(settings)?;
    if let Some(url) = &settings.events_url {
        let mut config = FeedConfig::new(url.clone());
        if let Some(secs) = settings.events_refresh_secs {
            config.refresh = std::time::Duration::from_secs(secs);
        }
        if let Some(path) = &settings.events_ca {
            let pem = std::fs::read(path).with_context(|| {
                format!("cannot read the events feed's CA file {}", path.display())
            })?;
            config.ca_pem = Some(pem);
        }
        let f = Arc::new(Feed::new(config, knowledge.city().timezone)?);
        match feed {
            FeedStart::Background => {
                f.spawn().context("cannot start the events feed thread")?;
            }
            FeedStart::Now => {
                if let Err(e) = f.refresh() {
                    tracing::warn!(error = %e, "answering without the events feed");
                }
            }
        }
        knowledge = knowledge.with_feed(f);
    }
    Ok(Skill::new(
        knowledge,
        SkillConfig {
            skill_id: settings.skill_id.clone(),
            timestamp_tolerance_secs: settings.timestamp_tolerance(),
            report_unanswered: settings.report_unanswered,
        },
    ))
}

/// The corpus sources the settings name: a path, or the embedded corpus.
///
/// # Errors
/// When the path cannot be read.
pub fn sources(settings: &Settings) -> anyhow::Result<Sources> {
    match &settings.corpus {
        Some(path) => Sources::from_path(path)
            .with_context(|| format!("cannot read the corpus {}", path.display())),
        None => Ok(Sources::embedded()),
    }
}

/// Loads, validates and indexes the corpus.
///
/// # Errors
/// When it does not load; the message lists every problem.
pub fn load_knowledge(settings: &Settings) -> anyhow::Result<Knowledge> {
    let what = settings.corpus.as_ref().map_or_else(
        || "the embedded corpus".to_string(),
        |p| format!("the corpus {}", p.display()),
    );
    match settings.corpus {
        None => Knowledge::embedded(),
        Some(_) => Knowledge::from_sources(sources(settings)?),
    }
    .with_context(|| format!("{what} does not load"))
}

/// Starts structured JSON logs (one object per line on stdout, as Lambda
/// and CloudWatch expect). Level from `AWS_LAMBDA_LOG_LEVEL` or `RUST_LOG`,
/// default `info`.
pub fn init_json_logs() {
    let level = std::env::var("AWS_LAMBDA_LOG_LEVEL")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "info".into());
    let _ = tracing_subscriber::fmt()
        .json()
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .with_writer(std::io::stdout)
        .finish()
        .with(privacy_filter(&level))
        .try_init();
}

/// The log filter for `level` (`info`, `debug`, … or per-target
/// directives such as `warn,city_skill=debug`), with the Lambda runtime's
/// own logs capped at `info`: at `trace` it logs every raw event, user and
/// device ids included. A level that does not parse means `info`.
fn privacy_filter(level: &str) -> Targets {
    let cap = ",lambda_runtime=info,lambda_runtime_api_client=info";
    format!("{}{cap}", level.to_lowercase())
        .parse()
        .or_else(|_| format!("info{cap}").parse())
        .unwrap_or_default()
}

/// Starts human-readable logs on stderr for the command line, only when
/// `RUST_LOG` asks for them (stdout carries the answer).
pub fn init_cli_logs() {
    if let Ok(level) = std::env::var("RUST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .finish()
            .with(privacy_filter(&level))
            .try_init();
    }
}

#[cfg(test)]
mod tests {
    use super::privacy_filter;
    use tracing::Level;

    #[test]
    fn trace_never_reaches_the_runtimes_raw_events() {
        let f = privacy_filter("TRACE");
        assert!(f.would_enable("city_skill::skill", &Level::TRACE));
        assert!(!f.would_enable("lambda_runtime::layers", &Level::DEBUG));
        assert!(!f.would_enable("lambda_runtime_api_client", &Level::TRACE));
        assert!(f.would_enable("lambda_runtime", &Level::INFO));
    }

    #[test]
    fn per_target_directives_are_kept_and_garbage_means_info() {
        let f = privacy_filter("warn,city_skill=debug");
        assert!(f.would_enable("city_skill::local::report", &Level::DEBUG));
        assert!(!f.would_enable("hyper", &Level::INFO));
        let f = privacy_filter("not a level ===");
        assert!(f.would_enable("city_skill", &Level::INFO));
        assert!(!f.would_enable("city_skill", &Level::DEBUG));
    }
}
