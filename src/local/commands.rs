//! The command line's commands that are more than a call: `serve`, `test`,
//! `chat`, `compile`, `model`, `check`, `match`, `report`, and how an
//! answer is printed. [`super::cli`] parses the arguments and calls them.

use crate::config::Settings;
use crate::lang::Locale;
use crate::local::simulator::Simulator;
use crate::skill::TextAnswer;
use crate::startup::{build_skill, FeedStart};
use crate::time::clock;
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// `serve`: the HTTP endpoint (with the try page when `try_page`), with
/// JSON logs on stdout.
pub(super) fn serve(
    settings: &Settings,
    addr: std::net::IpAddr,
    port: u16,
    insecure: bool,
    test_pki: Option<(PathBuf, PathBuf)>,
    try_page: bool,
) -> anyhow::Result<ExitCode> {
    use crate::host::http::Alexa;
    crate::startup::init_json_logs();
    let alexa = if insecure {
        tracing::warn!(
            "--insecure-skip-verify: requests are NOT verified; for local development only"
        );
        Alexa::Unverified
    } else if let Some((root, chain)) = test_pki {
        tracing::warn!("test PKI: trusting a root and a chain from files; never in production");
        Alexa::Verified(std::sync::Arc::new(
            crate::host::verify::Verifier::from_files(
                &root,
                &chain,
                settings.timestamp_tolerance(),
            )?,
        ))
    } else {
        Alexa::Verified(std::sync::Arc::new(crate::host::verify::Verifier::amazon(
            std::time::Duration::from_secs(5),
            settings.timestamp_tolerance(),
        )))
    };
    crate::local::try_page::run(settings, alexa, try_page, addr, port)
}

/// `wyoming`: the Wyoming handle service, with JSON logs on stdout. What
/// is said is understood with the interaction models (the corpus's own
/// `intents/` when it has them), as `ask` and `chat` do.
pub(super) fn wyoming(
    settings: &Settings,
    addr: std::net::IpAddr,
    port: u16,
) -> anyhow::Result<ExitCode> {
    crate::startup::init_json_logs();
    let skill = std::sync::Arc::new(build_skill(settings, FeedStart::Background)?);
    let mut sim = Simulator::embedded().context("the interaction models do not parse")?;
    if let Some(dir) = settings.corpus.as_ref().map(|c| c.join("intents")) {
        for (file, text, locale) in read_models(&dir).unwrap_or_default() {
            sim.add(locale, &text)
                .with_context(|| format!("{file} is not an interaction model"))?;
        }
    }
    let understander = crate::local::understander::Understander::new(
        sim,
        skill.knowledge().city().timezone,
        settings,
    );
    let understand = move |said: &crate::host::wyoming::Said<'_>| {
        understander.request_in(said.text, said.locale, said.now, said.turn, said.attributes)
    };
    let handler =
        crate::host::wyoming::Handler::new(std::sync::Arc::clone(&skill), Box::new(understand));
    let runtime = current_thread_runtime()?;
    runtime
        .block_on(crate::host::wyoming::serve(
            std::sync::Arc::new(handler),
            std::net::SocketAddr::new(addr, port),
            |bound| tracing::info!(%bound, "listening (wyoming)"),
        ))
        .with_context(|| format!("cannot listen on {addr}:{port}"))?;
    Ok(ExitCode::SUCCESS)
}

/// The single-threaded runtime `serve` and `wyoming` run on: answering is
/// short synchronous work, and one thread keeps the memory small.
fn current_thread_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// `test`: runs conversation files, one line per conversation.
pub(super) fn conversation_tests(
    settings: &Settings,
    files: &[PathBuf],
) -> anyhow::Result<ExitCode> {
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
pub(super) fn chat(
    settings: &Settings,
    locale: &str,
    time: Option<DateTime<Utc>>,
) -> anyhow::Result<ExitCode> {
    use std::io::IsTerminal as _;
    let skill = build_skill(settings, FeedStart::Now)?;
    let sim = Simulator::embedded().context("the interaction models do not parse")?;
    let understander = crate::local::understander::Understander::new(
        sim,
        skill.knowledge().city().timezone,
        settings,
    );
    let locale = Locale::from_tag(Some(locale));
    let mut session = understander.session();
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
        let request = understander.request(text, locale, now, &session);
        let answer = skill
            .answer_request(&request, now)
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

/// `compile`: validates the corpus and writes it as one file, with the
/// encoder's vectors unless `vectors` is false (`--lexical-only`).
pub(super) fn compile(
    settings: &Settings,
    output: Option<PathBuf>,
    vectors: bool,
) -> anyhow::Result<ExitCode> {
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
    let bytes = match crate::knowledge::Knowledge::compile_with(sources, vectors) {
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

/// `model`: writes one model per locale (into the skill package too),
/// and says which changed.
pub(super) fn model(
    settings: &Settings,
    out: Option<PathBuf>,
    templates: Option<PathBuf>,
    skill_package: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let knowledge = crate::startup::load_knowledge(settings)?;
    let out = out.unwrap_or_else(|| match &settings.corpus {
        Some(c) if c.is_dir() => c.join("intents"),
        _ => PathBuf::from("intents"),
    });
    let templates = templates.unwrap_or_else(|| out.join("templates"));
    let package = skill_package.or_else(|| {
        let default = match &settings.corpus {
            Some(c) if c.is_dir() => c.join("skill-package"),
            _ => PathBuf::from("skill-package"),
        };
        default.is_dir().then_some(default)
    });
    let mut dirs = vec![out];
    dirs.extend(package.map(|p| p.join("interactionModels").join("custom")));
    for dir in &dirs {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut stdout = std::io::stdout().lock();
    for locale in Locale::ALL {
        let own = templates.join(format!("{}.json", locale.tag()));
        let template = match std::fs::read_to_string(&own) {
            Ok(t) => t,
            Err(_) => crate::local::interaction::template(locale).to_string(),
        };
        let json = crate::local::interaction::generate(&knowledge, locale, &template)?;
        for dir in &dirs {
            let path = dir.join(format!("{}.json", locale.tag()));
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
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn check(
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

pub(super) fn read_models(dir: &std::path::Path) -> anyhow::Result<Vec<(String, String, Locale)>> {
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
pub(super) fn match_line(
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

/// `report`: the entries answered from and their ratings, and the
/// unanswered questions, in the given logs (stdin when none); also as an
/// HTML page to `html`.
pub(super) fn report(
    files: &[PathBuf],
    top: usize,
    min_count: usize,
    html: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
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
    let table = report.table(top, min_count);
    write!(std::io::stdout().lock(), "{table}")?;
    if let Some(path) = html {
        std::fs::write(&path, table.html())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}
