//! The command line: try the skill locally with the same handler Lambda
//! uses.

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use crate::alexa::ssml::strip_tags;
use crate::alexa::{OutputSpeech, ResponseEnvelope};
use crate::config::Settings;
use crate::lang::Locale;
use crate::simulator::{SessionState, Simulator};
use crate::startup::build_skill;
use crate::time::clock;

/// city-skill: a voice assistant backend for city services.
///
/// On AWS Lambda (AWS_LAMBDA_RUNTIME_API set) it serves the Runtime API;
/// otherwise these commands try it locally on the embedded Munich corpus.
#[derive(Debug, Parser)]
#[command(name = "city-skill", version, about, long_about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ask one question as text and print the spoken answer and the card.
    Ask {
        /// Locale of the question: de-DE, en-US or en-GB (others fall back to en-US).
        #[arg(long, short, default_value = "de-DE")]
        locale: String,
        /// Print the full Alexa response envelope as JSON instead.
        #[arg(long)]
        json: bool,
        /// The request's timestamp (RFC 3339), for reproducible answers; default now.
        #[arg(long, value_name = "RFC3339")]
        time: Option<DateTime<Utc>>,
        /// What the citizen says, e.g. "Wann hat das Bürgerbüro Ruppertstraße geöffnet?"
        #[arg(required = true, num_args = 1..)]
        utterance: Vec<String>,
    },
    /// Read an Alexa request envelope and print exactly what Lambda would return.
    Invoke {
        /// File with the request JSON; `-` or nothing reads standard input.
        file: Option<PathBuf>,
    },
}

/// Parses arguments, runs the command, maps errors to exit codes.
pub fn main() -> ExitCode {
    crate::startup::init_cli_logs();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("city-skill: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env();
    match cli.command {
        Command::Ask {
            locale,
            json,
            time,
            utterance,
        } => {
            let skill = build_skill(&settings)?;
            let sim = Simulator::embedded().context("the interaction models do not parse")?;
            let locale = Locale::from_tag(Some(&locale));
            let now = time.unwrap_or_else(clock::now);
            let today = now
                .with_timezone(&skill.knowledge().city().timezone)
                .date_naive();
            let text = utterance.join(" ");
            let understood = sim.understand(&text, locale, today);
            let app = settings
                .skill_id
                .clone()
                .unwrap_or_else(|| "amzn1.ask.skill.local".into());
            let request = sim.envelope(&understood, locale, now, &SessionState::new(&app));
            let response = skill
                .handle_json(&request, now)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut out = std::io::stdout().lock();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&response)?)?;
            } else {
                write!(out, "{}", render(&response))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Invoke { file } => {
            let text = match file.filter(|f| f.as_os_str() != "-") {
                Some(path) => std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?,
                None => {
                    let mut s = String::new();
                    std::io::stdin()
                        .read_to_string(&mut s)
                        .context("cannot read standard input")?;
                    s
                }
            };
            let skill = build_skill(&settings)?;
            let result = match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(v) => skill.handle_json(&v, clock::now()),
                Err(_) => Err(crate::skill::RequestError::InvalidRequest(
                    "the payload is not JSON".into(),
                )),
            };
            let mut out = std::io::stdout().lock();
            match result {
                Ok(response) => {
                    writeln!(out, "{}", serde_json::to_string_pretty(&response)?)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    let err = serde_json::json!({"errorType": e.error_type(), "errorMessage": e.to_string()});
                    writeln!(out, "{}", serde_json::to_string_pretty(&err)?)?;
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}

/// The spoken answer (tags removed), then the card.
pub fn render(response: &ResponseEnvelope) -> String {
    let mut s = String::new();
    match &response.response.output_speech {
        Some(OutputSpeech::Ssml { ssml }) => s.push_str(&strip_tags(ssml)),
        Some(OutputSpeech::PlainText { text }) => s.push_str(text),
        None => s.push_str("(no speech)"),
    }
    s.push('\n');
    if let Some(card) = &response.response.card {
        s.push_str(&format!("\n[{}]\n{}\n", card.title(), card.body()));
    }
    if response.response.should_end_session == Some(false) {
        s.push_str("\n(the session stays open)\n");
    }
    s
}
