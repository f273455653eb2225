//! The command line: try the skill locally with the same handler Lambda
//! uses.

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::lang::Locale;
use crate::local::simulator::Simulator;
use crate::startup::{build_skill, FeedStart};
use crate::time::clock;

use super::commands::{
    chat, check, compile, conversation_tests, match_line, model, render, report, serve, wyoming,
};

/// city-skill: a voice assistant backend for city services.
///
/// On AWS Lambda (AWS_LAMBDA_RUNTIME_API set) it serves the Runtime API;
/// otherwise these commands try it locally on the embedded Munich corpus.
#[derive(Debug, Parser)]
#[command(name = "city-skill", version, about, long_about)]
pub struct Cli {
    /// Corpus to use: a corpus directory or a FAQ .csv file (default: the
    /// embedded Munich corpus, or CITY_SKILL_CORPUS when set).
    #[arg(long, global = true, value_name = "PATH")]
    pub corpus: Option<PathBuf>,
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
    /// Talk to the skill in the terminal, one utterance per line: session
    /// attributes carry over from turn to turn, cards are shown, and the
    /// conversation ends when the skill ends the session.
    Chat {
        /// Locale: de-DE, en-US or en-GB.
        #[arg(long, short, default_value = "de-DE")]
        locale: String,
        /// The time of every request (RFC 3339); default: the clock.
        #[arg(long, value_name = "RFC3339")]
        time: Option<DateTime<Utc>>,
    },
    /// Serve Alexa requests over HTTP (POST any path; GET /healthz), for
    /// hosting outside AWS behind a TLS proxy. Stops cleanly on SIGTERM.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        addr: std::net::IpAddr,
        /// Port; default: $PORT (Knative), else 8080.
        #[arg(long, env = "PORT", default_value_t = 8080)]
        port: u16,
        /// Answer requests without verifying Alexa's signature (local
        /// development only; every request logs a warning).
        #[arg(long)]
        insecure_skip_verify: bool,
        /// Tests only: trust this PEM root instead of the public roots.
        #[arg(long, hide = true, value_name = "PEM")]
        test_root_ca: Option<PathBuf>,
        /// Tests only: use this PEM chain instead of downloading the one
        /// the request names (the URL is still checked).
        #[arg(long, hide = true, value_name = "PEM")]
        test_cert_chain: Option<PathBuf>,
        /// Also serve the try page (GET /) and its API (POST /api/ask,
        /// /api/rate) beside the Alexa endpoint.
        #[arg(long)]
        try_page: bool,
    },
    /// Serve a page for trying the skill in a browser (GET /): ask by
    /// typing or voice, read and hear the answer, rate it. With
    /// CITY_SKILL_REPORT_UNANSWERED=1 the ratings go into the logs on
    /// stdout for `report`.
    Try {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        addr: std::net::IpAddr,
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Serve Home Assistant Assist (and any Wyoming client) as a Wyoming
    /// "handle" service: `describe` gets `info`, a `transcript` gets the
    /// answer as plain text (`handled`) or `not-handled` with the hotline.
    /// Stops cleanly on SIGTERM.
    Wyoming {
        /// Address to listen on (0.0.0.0 to reach it from another machine).
        #[arg(long, default_value = "127.0.0.1")]
        addr: std::net::IpAddr,
        /// Port to listen on.
        #[arg(long, default_value_t = 10700)]
        port: u16,
    },
    /// Evaluate opening-hours expressions: one JSON object per stdin line,
    /// `{"expr": "Mo-Fr 08:00-12:00; PH off", "at": "2026-04-03T10:00"}`
    /// (local time), answered by one line with the state, the next
    /// change, the holiday named and the spoken answer in de-DE and en-US.
    /// The differential test against opening_hours.js reads it.
    Hours {
        /// The state (ISO 3166-2) whose public holidays `PH` means.
        #[arg(long, default_value = "BY")]
        region: String,
        /// The municipality, for holidays of one city (Augsburg).
        #[arg(long, default_value = "München")]
        municipality: String,
        /// Bavaria: Mariä Himmelfahrt is no holiday here (a municipality
        /// without a Catholic majority).
        #[arg(long)]
        no_assumption_day: bool,
    },
    /// List the occurrences of an iCalendar file's events that overlap
    /// [FROM, TO) (local dates in Europe/Berlin), one JSON line each, in
    /// time order. The differential test against recurring-ical-events
    /// reads it.
    Occurrences {
        /// The iCalendar file.
        file: PathBuf,
        /// First day (YYYY-MM-DD).
        #[arg(long)]
        from: chrono::NaiveDate,
        /// Day after the last (YYYY-MM-DD).
        #[arg(long)]
        to: chrono::NaiveDate,
    },
    /// Run conversation tests (YAML files of conversations with expected
    /// answers) against the corpus; exit 1 when any fails.
    Test {
        /// Conversation files (e.g. tests/conversations/*.yaml).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write the interaction models (<locale>.json) from the templates and
    /// the corpus: office names and synonyms, event categories, the
    /// invocation name.
    Model {
        /// Directory to write to; default: intents/ for the embedded
        /// corpus, <corpus>/intents for a corpus directory.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Templates (<locale>.json); default: <out>/templates if there,
        /// else the templates compiled into the binary.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// ASK CLI skill package to write the models into too
        /// (<DIR>/interactionModels/custom/<locale>.json); default:
        /// skill-package/ for the embedded corpus, <corpus>/skill-package
        /// for a corpus directory, each only when it exists.
        #[arg(long, value_name = "DIR")]
        skill_package: Option<PathBuf>,
    },
    /// Validate a corpus: list every problem as file:line: what is wrong
    /// (exit 1), or print a summary (exit 0).
    Check {
        /// Interaction models to check against the corpus (directory with
        /// <locale>.json); default: the embedded models for the embedded
        /// corpus, <corpus>/intents for a corpus directory.
        #[arg(long, value_name = "DIR")]
        models: Option<PathBuf>,
        /// The day events are judged stale against (YYYY-MM-DD); default today.
        #[arg(long, value_name = "DATE")]
        today: Option<chrono::NaiveDate>,
    },
    /// Compile the corpus: validate it and write it with its FAQ indexes
    /// to one file that starts in milliseconds (use it as the corpus, or
    /// leave it in the corpus directory, where it is used while it matches
    /// the texts). Lists every problem and exits 1 if the corpus has any.
    Compile {
        /// File to write; default: compiled.cskc in a corpus directory,
        /// <file>.cskc beside a CSV file.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write no encoder vectors: the corpus is then matched lexically
        /// only (quicker to compile for a very large corpus).
        #[arg(long)]
        lexical_only: bool,
    },
    /// Match questions against the FAQ: the best entry, its confidence and
    /// alternatives. Without QUESTION, reads one question per line from stdin.
    Match {
        /// Locale of the questions.
        #[arg(long, short, default_value = "de-DE")]
        locale: String,
        /// One JSON object per line: query, id (null when rejected), the
        /// calibrated confidence, alternatives; with the encoder, each
        /// candidate's lexical and semantic scores and calibrated confidence.
        #[arg(long)]
        json: bool,
        /// FAQ only: skip the routing of office questions (for calibration).
        #[arg(long, hide = true)]
        faq_only: bool,
        /// With --json: everything the decision looks at, for tests/eval/tune.py.
        #[arg(long, hide = true)]
        features: bool,
        /// Questions; each argument is one question.
        question: Vec<String>,
    },
    /// Embed the shipped out-of-scope questions (src/matching/out_of_scope.tsv)
    /// for the binary (after editing them or changing the model).
    #[command(hide = true)]
    EmbedOutOfScope {
        /// File to write.
        #[arg(long, short, default_value = "src/matching/out_of_scope.vectors")]
        output: PathBuf,
    },
    /// Print a deterministic synthetic FAQ as CSV (for scale tests and benchmarks).
    #[command(hide = true)]
    Generate {
        /// Number of entries.
        #[arg(long, default_value_t = 10_000)]
        entries: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Summarise the logs written with CITY_SKILL_REPORT_UNANSWERED=1 (JSON
    /// lines, as on stdout or exported from CloudWatch): per entry how often
    /// it answered and how the try page rated it, with what raters
    /// expected; then the unanswered questions, how often each was asked,
    /// and the closest entry.
    Report {
        /// Log files; `-` or nothing reads standard input.
        files: Vec<PathBuf>,
        /// How many entries and questions to list.
        #[arg(long, default_value_t = 50)]
        top: usize,
        /// List only questions (and "expected" comments) said at least this
        /// often (one said once is the likeliest to carry something personal).
        #[arg(long, default_value_t = 1)]
        min_count: usize,
        /// Also write the report as an HTML page, with a bar chart per entry.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
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
    let mut settings = Settings::from_env();
    if cli.corpus.is_some() {
        settings.corpus = cli.corpus.clone();
    }
    match cli.command {
        Command::Ask {
            locale,
            json,
            time,
            utterance,
        } => {
            let skill = build_skill(&settings, FeedStart::Now)?;
            let sim = Simulator::embedded().context("the interaction models do not parse")?;
            let locale = Locale::from_tag(Some(&locale));
            let now = time.unwrap_or_else(clock::now);
            let understander = crate::local::understander::Understander::new(
                sim,
                skill.knowledge().city().timezone,
                &settings,
            );
            let request =
                understander.request(&utterance.join(" "), locale, now, &understander.session());
            let answer = skill
                .answer_request(&request, now)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut out = std::io::stdout().lock();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&answer.to_alexa())?)?;
            } else {
                write!(out, "{}", render(&answer.to_text()))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { models, today } => check(&settings, models, today),
        Command::Chat { locale, time } => chat(&settings, &locale, time),
        Command::Test { files } => conversation_tests(&settings, &files),
        Command::Occurrences { file, from, to } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let tz = chrono_tz::Europe::Berlin;
            let parsed = crate::time::ical::parse(&file.display().to_string(), &text, tz);
            for p in &parsed.problems {
                eprintln!("{p}");
            }
            let utc = |d: chrono::NaiveDate| {
                use chrono::TimeZone as _;
                tz.from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
                    .earliest()
                    .map(|t| t.with_timezone(&Utc))
                    .context("no such local time")
            };
            let (from, to) = (utc(from)?, utc(to)?);
            let mut all: Vec<_> = parsed
                .series
                .iter()
                .flat_map(|s| s.occurrences(from, to))
                .collect();
            all.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.uid.cmp(&b.uid)));
            let mut out = std::io::stdout().lock();
            for e in all {
                let f = if e.all_day {
                    "%Y-%m-%d"
                } else {
                    "%Y-%m-%dT%H:%M%:z"
                };
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({ "uid": e.uid, "start": e.start.format(f).to_string(), "end": e.end.format(f).to_string() })
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Hours {
            region,
            municipality,
            no_assumption_day,
        } => {
            let place = crate::time::holidays::HolidayPlace {
                country: "DE".into(),
                region,
                municipality: Some(municipality),
                assumption_day: Some(!no_assumption_day),
            };
            crate::local::hours_batch::run(
                place,
                std::io::stdin().lock(),
                std::io::stdout().lock(),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            addr,
            port,
            insecure_skip_verify,
            test_root_ca,
            test_cert_chain,
            try_page,
        } => serve(
            &settings,
            addr,
            port,
            insecure_skip_verify,
            test_root_ca.zip(test_cert_chain),
            try_page,
        ),
        Command::Try { addr, port } => {
            crate::startup::init_json_logs();
            let alexa = crate::host::http::Alexa::Off;
            crate::local::try_page::run(&settings, alexa, true, addr, port)
        }
        Command::Wyoming { addr, port } => wyoming(&settings, addr, port),
        Command::Model {
            out,
            templates,
            skill_package,
        } => model(&settings, out, templates, skill_package),
        Command::Match {
            locale,
            json,
            faq_only,
            features,
            question,
        } => {
            let knowledge = crate::startup::load_knowledge(&settings)?;
            let lang = Locale::from_tag(Some(&locale)).lang();
            let mut out = std::io::stdout().lock();
            let mut answer = |q: &str| -> anyhow::Result<()> {
                let line = match_line(&knowledge, q, lang, json, faq_only, features);
                writeln!(out, "{line}")?;
                Ok(())
            };
            if question.is_empty() {
                for line in std::io::stdin().lines() {
                    let line = line.context("cannot read standard input")?;
                    if !line.trim().is_empty() {
                        answer(line.trim())?;
                    }
                }
            } else {
                for q in &question {
                    answer(q)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::EmbedOutOfScope { output } => {
            let lazy = crate::matching::encoder::LazyEncoder::new();
            let encoder = lazy
                .get()
                .ok_or_else(|| anyhow::anyhow!("{}", lazy.error().unwrap_or("no encoder")))?;
            let vectors = crate::knowledge::semantic::embed_shipped(encoder);
            std::fs::write(&output, postcard::to_stdvec(&vectors)?)
                .with_context(|| format!("cannot write {}", output.display()))?;
            println!("wrote {} ({} questions)", output.display(), vectors.docs());
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate { entries, seed } => {
            let mut w = ::csv::Writer::from_writer(std::io::stdout().lock());
            w.write_record(["id", "locale", "question", "answer"])?;
            for e in crate::knowledge::synthetic::faq(entries, seed) {
                for (locale, t) in [("de-DE", &e.de), ("en-US", &e.en)] {
                    if let Some(t) = t {
                        for q in &t.questions {
                            w.write_record([e.id.as_str(), locale, q, t.answer.as_str()])?;
                        }
                    }
                }
            }
            w.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            files,
            top,
            min_count,
            html,
        } => report(&files, top, min_count, html),
        Command::Compile {
            output,
            lexical_only,
        } => compile(&settings, output, !lexical_only),
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
            let skill = build_skill(&settings, FeedStart::Now)?;
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
