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
use crate::local::simulator::{SessionState, Simulator};
use crate::skill::TextAnswer;
use crate::startup::{build_skill, FeedStart};
use crate::time::clock;

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
    /// Summarise the unanswered questions in logs written with
    /// CITY_SKILL_REPORT_UNANSWERED=1 (JSON lines, as on stdout or exported
    /// from CloudWatch): how often each was asked, and the closest entry.
    Report {
        /// Log files; `-` or nothing reads standard input.
        files: Vec<PathBuf>,
        /// How many questions to list.
        #[arg(long, default_value_t = 50)]
        top: usize,
        /// List only questions asked at least this often (a question asked
        /// once is the likeliest to carry something personal).
        #[arg(long, default_value_t = 1)]
        min_count: usize,
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
            let answer = skill
                .answer_json(&request, now)
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
        } => serve(
            &settings,
            addr,
            port,
            insecure_skip_verify,
            test_root_ca.zip(test_cert_chain),
        ),
        Command::Model { out, templates } => model(&settings, out, templates),
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
        } => report(&files, top, min_count),
        Command::Compile { output } => compile(&settings, output),
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

/// `serve`: the HTTP endpoint, with JSON logs on stdout.
fn serve(
    settings: &Settings,
    addr: std::net::IpAddr,
    port: u16,
    insecure: bool,
    test_pki: Option<(PathBuf, PathBuf)>,
) -> anyhow::Result<ExitCode> {
    crate::startup::init_json_logs();
    let verifier = if insecure {
        tracing::warn!(
            "--insecure-skip-verify: requests are NOT verified; for local development only"
        );
        None
    } else if let Some((root, chain)) = test_pki {
        tracing::warn!("test PKI: trusting a root and a chain from files; never in production");
        Some(std::sync::Arc::new(
            crate::host::verify::Verifier::from_files(
                &root,
                &chain,
                settings.timestamp_tolerance(),
            )?,
        ))
    } else {
        Some(std::sync::Arc::new(crate::host::verify::Verifier::amazon(
            std::time::Duration::from_secs(5),
            settings.timestamp_tolerance(),
        )))
    };
    let skill = std::sync::Arc::new(build_skill(settings, FeedStart::Background)?);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime
        .block_on(crate::host::http::serve(
            skill,
            verifier,
            std::net::SocketAddr::new(addr, port),
            |bound| tracing::info!(%bound, "listening"),
        ))
        .with_context(|| format!("cannot listen on {addr}:{port}"))?;
    Ok(ExitCode::SUCCESS)
}

/// `test`: runs conversation files, one line per conversation.
fn conversation_tests(settings: &Settings, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let skill = build_skill(settings, FeedStart::Now)?;
    let sim = Simulator::embedded().context("the interaction models do not parse")?;
    let mut out = std::io::stdout().lock();
    let (mut passed, mut failed) = (0, 0);
    for path in files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
        let conversations = match crate::local::conversation::parse(&name, &text) {
            Ok(c) => c,
            Err(e) => {
                writeln!(out, "✗ {e}")?;
                failed += 1;
                continue;
            }
        };
        for c in &conversations {
            let problems = crate::local::conversation::run(&skill, &sim, c);
            if problems.is_empty() {
                passed += 1;
                writeln!(out, "✓ {name}: {}", c.name)?;
            } else {
                failed += 1;
                writeln!(out, "✗ {name}: {}", c.name)?;
                for p in problems {
                    writeln!(out, "    {p}")?;
                }
            }
        }
    }
    writeln!(out, "{passed} passed, {failed} failed")?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `chat`: a conversation on stdin and stdout.
fn chat(
    settings: &Settings,
    locale: &str,
    time: Option<DateTime<Utc>>,
) -> anyhow::Result<ExitCode> {
    use std::io::IsTerminal as _;
    let skill = build_skill(settings, FeedStart::Now)?;
    let sim = Simulator::embedded().context("the interaction models do not parse")?;
    let locale = Locale::from_tag(Some(locale));
    let app = settings
        .skill_id
        .clone()
        .unwrap_or_else(|| "amzn1.ask.skill.local".into());
    let mut session = SessionState::new(&app);
    let interactive = std::io::stdin().is_terminal();
    let mut out = std::io::stdout().lock();
    if interactive {
        writeln!(out, "(one utterance per line; Ctrl-D ends)")?;
    }
    let mut lines = std::io::stdin().lines();
    loop {
        if interactive {
            write!(out, "> ")?;
            out.flush()?;
        }
        let Some(line) = lines.next() else { break };
        let line = line.context("cannot read standard input")?;
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let now = time.unwrap_or_else(clock::now);
        let today = now
            .with_timezone(&skill.knowledge().city().timezone)
            .date_naive();
        let understood = sim.understand(text, locale, today);
        let request = sim.envelope(&understood, locale, now, &session);
        let answer = skill
            .answer_json(&request, now)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if !interactive {
            writeln!(out, "> {text}")?;
        }
        let said = answer.to_text();
        writeln!(out, "{}", render(&said))?;
        session.turn += 1;
        session.attributes = answer.session.to_attributes();
        if !said.is_open() {
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `model`: writes one model per locale, and says which changed.
fn compile(settings: &Settings, output: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    use crate::knowledge::load::{COMPILED_IN_DIR, EMBEDDED_COMPILED};
    let Some(corpus) = &settings.corpus else {
        anyhow::bail!(
            "the embedded corpus is compiled already; to compile it again from its texts: \
             city-skill compile --corpus corpus/munich --output {EMBEDDED_COMPILED}"
        );
    };
    let output = output.unwrap_or_else(|| match corpus.is_dir() {
        true => corpus.join(COMPILED_IN_DIR),
        false => corpus.with_extension("cskc"),
    });
    let sources = crate::startup::sources(settings)?;
    if !sources.has_texts() {
        anyhow::bail!("the corpus is compiled already; compile its texts instead");
    }
    let bytes = match crate::knowledge::Knowledge::compile(sources) {
        Ok(bytes) => bytes,
        Err(problems) => {
            let mut out = std::io::stdout().lock();
            for p in &problems {
                writeln!(out, "{p}")?;
            }
            eprintln!("{} problem(s); nothing written", problems.len());
            return Ok(ExitCode::FAILURE);
        }
    };
    std::fs::write(&output, &bytes)
        .with_context(|| format!("cannot write {}", output.display()))?;
    println!("wrote {} ({} bytes)", output.display(), bytes.len());
    Ok(ExitCode::SUCCESS)
}

fn model(
    settings: &Settings,
    out: Option<PathBuf>,
    templates: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let knowledge = crate::startup::load_knowledge(settings)?;
    let out = out.unwrap_or_else(|| match &settings.corpus {
        Some(c) if c.is_dir() => c.join("intents"),
        _ => PathBuf::from("intents"),
    });
    let templates = templates.unwrap_or_else(|| out.join("templates"));
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut stdout = std::io::stdout().lock();
    for locale in Locale::ALL {
        let own = templates.join(format!("{}.json", locale.tag()));
        let template = match std::fs::read_to_string(&own) {
            Ok(t) => t,
            Err(_) => crate::local::interaction::template(locale).to_string(),
        };
        let json = crate::local::interaction::generate(&knowledge, locale, &template)?;
        let path = out.join(format!("{}.json", locale.tag()));
        let before = std::fs::read_to_string(&path).unwrap_or_default();
        let what = if before == json {
            "unchanged"
        } else {
            "written"
        };
        if before != json {
            std::fs::write(&path, &json)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        writeln!(stdout, "{}: {what}", path.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn check(
    settings: &Settings,
    models: Option<PathBuf>,
    today: Option<chrono::NaiveDate>,
) -> anyhow::Result<ExitCode> {
    let sources = crate::startup::sources(settings)?;
    let (knowledge, mut problems) = crate::knowledge::Knowledge::check(sources);
    let model_files: Vec<(String, String, Locale)> = match (&models, &settings.corpus) {
        (None, None) => vec![
            (
                "intents/de-DE.json".into(),
                include_str!("../../intents/de-DE.json").into(),
                Locale::DeDe,
            ),
            (
                "intents/en-US.json".into(),
                include_str!("../../intents/en-US.json").into(),
                Locale::EnUs,
            ),
            (
                "intents/en-GB.json".into(),
                include_str!("../../intents/en-GB.json").into(),
                Locale::EnGb,
            ),
        ],
        (Some(dir), _) => read_models(dir)?,
        (None, Some(corpus)) => read_models(&corpus.join("intents")).unwrap_or_default(),
    };
    if let Some(k) = &knowledge {
        for (file, text, locale) in &model_files {
            problems.extend(crate::local::check::model_problems(k, file, text, *locale));
        }
    }
    let mut out = std::io::stdout().lock();
    let warnings = knowledge.as_ref().map_or(&[][..], |k| k.warnings());
    for w in warnings {
        writeln!(out, "warning: {w}")?;
    }
    if problems.is_empty() {
        if let Some(k) = &knowledge {
            let today = today
                .unwrap_or_else(|| clock::now().with_timezone(&k.city().timezone).date_naive());
            write!(out, "ok: no problems\n{}", crate::local::check::summary(k))?;
            writeln!(out, "{} interaction model(s) in sync", model_files.len())?;
            for w in crate::local::check::warnings(k, today) {
                writeln!(out, "warning: {w}")?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    for p in &problems {
        writeln!(out, "{p}")?;
    }
    eprintln!("{} problem(s)", problems.len());
    Ok(ExitCode::from(1))
}

fn read_models(dir: &std::path::Path) -> anyhow::Result<Vec<(String, String, Locale)>> {
    let mut out = Vec::new();
    for locale in Locale::ALL {
        let path = dir.join(format!("{}.json", locale.tag()));
        if path.exists() {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            out.push((path.display().to_string(), text, locale));
        }
    }
    Ok(out)
}

/// One line of `match` output.
fn match_line(
    k: &crate::knowledge::Knowledge,
    q: &str,
    lang: crate::lang::Lang,
    json: bool,
    faq_only: bool,
    features: bool,
) -> String {
    let round = |c: f64| (c * 1000.0).round() / 1000.0;
    if let Some((office, aspect)) = k.office_question(q).filter(|_| !faq_only) {
        return if json {
            serde_json::json!({"query": q, "id": office.id, "kind": "office", "aspect": aspect.as_str(),
                "confidence": 1.0, "alternatives": []})
            .to_string()
        } else {
            format!("{q}\t-> office {} ({})", office.id, aspect.as_str())
        };
    }
    let ranked = k.rank(q, lang, 4);
    let (id, confidence) = match k.answer_for(q, lang) {
        Some((e, c)) => (Some(e.id.as_str()), c),
        None => (None, ranked.first().map_or(0.0, |(_, c)| *c)),
    };
    let alternatives: Vec<_> = ranked
        .iter()
        .filter(|(e, _)| Some(e.id.as_str()) != id)
        .take(3)
        .map(|(e, c)| serde_json::json!({"id": e.id, "confidence": round(*c)}))
        .collect();
    if json {
        let mut line = serde_json::json!({"query": q, "id": id, "confidence": round(confidence), "alternatives": alternatives});
        if let Some(h) = k.hybrid(q, lang, 4) {
            let scores: Vec<_> = (h.ranked.iter())
                .map(|r| {
                    serde_json::json!({"id": r.entry.id, "lexical": round(r.lexical),
                    "semantic": round(r.semantic), "confidence": round(r.confidence)})
                })
                .collect();
            line["encoder"] = serde_json::json!(!h.lexical_only);
            line["scores"] = serde_json::json!(scores);
            line["out_of_scope"] = serde_json::json!(round(h.out_of_scope));
        }
        if features {
            let (candidates, nearest) = k.features(q, lang, 6);
            line["candidates"] = candidates
                .iter()
                .map(|c| serde_json::json!({"id": c.entry.id, "lexical": c.lexical, "semantic": c.semantic}))
                .collect();
            line["oos_nn"] = serde_json::json!(nearest);
            line["calibration"] = serde_json::json!(k.semantic(lang).map(|s| &s.calibration));
        }
        line.to_string()
    } else {
        let alts: Vec<String> = ranked
            .iter()
            .take(4)
            .map(|(e, c)| format!("{} {:.2}", e.id, c))
            .collect();
        format!(
            "{q}\t-> {} ({:.2})\t[{}]",
            id.unwrap_or("(none)"),
            confidence,
            alts.join(", ")
        )
    }
}

/// The spoken answer, then the card.
pub fn render(answer: &TextAnswer) -> String {
    let mut s = String::new();
    match answer.speech.as_str() {
        "" => s.push_str("(no speech)"),
        text => s.push_str(text),
    }
    s.push('\n');
    if let Some((title, body)) = &answer.card {
        s.push_str(&format!("\n[{title}]\n{body}\n"));
    }
    if answer.is_open() {
        s.push_str("\n(the session stays open)\n");
    }
    s
}

/// `report`: the unanswered questions in the given logs (stdin when none).
fn report(files: &[PathBuf], top: usize, min_count: usize) -> anyhow::Result<ExitCode> {
    use std::io::{BufRead, BufReader};
    let mut inputs: Vec<Box<dyn BufRead>> = Vec::new();
    for f in files.iter().filter(|f| f.as_os_str() != "-") {
        let file =
            std::fs::File::open(f).with_context(|| format!("cannot read {}", f.display()))?;
        inputs.push(Box::new(BufReader::new(file)));
    }
    if inputs.len() < files.len() || files.is_empty() {
        inputs.push(Box::new(std::io::stdin().lock()));
    }
    let report = crate::local::report::summarise(inputs).context("cannot read the logs")?;
    write!(std::io::stdout().lock(), "{}", report.table(top, min_count))?;
    Ok(ExitCode::SUCCESS)
}
