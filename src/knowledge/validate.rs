//! Validation: every problem of a corpus's texts, listed as `file:line:
//! message` (what `city-skill check` prints and a cold start refuses).

#[allow(clippy::wildcard_imports)]
use super::*;

impl Knowledge {
    /// Parses and validates a corpus, collecting every problem (as
    /// `city-skill check` lists them); builds the knowledge from what loaded.
    pub fn check(sources: Sources) -> (Option<Self>, Vec<Problem>) {
        let texts_hash = sources.hash();
        if !sources.has_texts() {
            if let Some((file, bytes)) = sources.compiled {
                return match Self::from_compiled(bytes, sources.compiled_from) {
                    Ok(k) => (Some(k), Vec::new()),
                    Err(e) => (None, vec![Problem::file(&file, e.to_string())]),
                };
            }
        }
        let mut problems = Vec::new();
        let city_file = sources
            .city
            .as_ref()
            .map_or("city.toml".to_string(), |(f, _)| f.clone());
        let city = match &sources.city {
            Some((f, t)) => {
                let city = load::parse_city(f, t).map_err(|p| problems.push(p)).ok();
                problems.extend(categories::problems(f, t));
                city
            }
            None => None,
        };
        let offices_file = sources
            .offices
            .as_ref()
            .map_or("offices.toml".to_string(), |(f, _)| f.clone());
        let offices = match &sources.offices {
            Some((f, t)) => load::parse_offices(f, t)
                .map_err(|p| problems.push(p))
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let mut faq: Vec<(FaqEntry, String, usize)> = Vec::new();
        if let Some((f, t)) = &sources.faq {
            match load::parse_faq(f, t) {
                Ok(entries) => {
                    for (e, line) in entries {
                        if (e.source.trim().is_empty() || e.as_of.trim().is_empty())
                            && !e.is_out_of_scope()
                        {
                            problems.push(Problem::line(
                                f,
                                line,
                                format!("FAQ {:?} has no `source` or `as_of`", e.id),
                            ));
                        }
                        faq.push((e, f.clone(), line));
                    }
                }
                Err(p) => problems.push(p),
            }
        }
        if let Some((f, bytes)) = &sources.faq_csv {
            let parsed = csv::parse(f, bytes);
            problems.extend(parsed.problems);
            faq.extend(
                parsed
                    .entries
                    .into_iter()
                    .map(|(e, line)| (e, f.clone(), line)),
            );
        }
        let mut event_entries = Vec::new();
        if let Some((f, t)) = &sources.events {
            match events::parse(f, t) {
                Ok(entries) => {
                    problems.extend(events::problems(f, &entries));
                    event_entries = entries;
                }
                Err(p) => problems.push(p),
            }
        }
        let city = city.unwrap_or_else(City::unnamed);
        let mut events = Vec::new();
        for (file, text) in &sources.calendars {
            let parsed = ical::parse(file, text, city.timezone);
            events.extend(parsed.series);
            problems.extend(parsed.problems);
        }

        // Which languages the corpus speaks: every entry must speak them all.
        let langs: Vec<Lang> = Lang::ALL
            .into_iter()
            .filter(|l| {
                faq.iter()
                    .any(|(e, _, _)| e.text(*l).is_some() && !e.is_out_of_scope())
                    || offices.iter().any(|(o, _)| o.name.get(*l).is_some())
            })
            .collect();

        let mut office_by_id: HashMap<String, usize> = HashMap::new();
        let mut hours = Vec::with_capacity(offices.len());
        for (i, (o, line)) in offices.iter().enumerate() {
            if let Some(&first) = office_by_id.get(&o.id) {
                problems.push(Problem::line(
                    &offices_file,
                    *line,
                    format!(
                        "duplicate office id {:?} (first on line {})",
                        o.id, offices[first].1
                    ),
                ));
            } else {
                office_by_id.insert(o.id.clone(), i);
            }
            for l in &langs {
                if o.name.get(*l).is_none_or(|n| n.trim().is_empty()) {
                    problems.push(Problem::line(
                        &offices_file,
                        *line,
                        format!("office {:?} has no {} name", o.id, l.code()),
                    ));
                }
            }
            hours.push(o.opening_hours.as_deref().and_then(|raw| {
                match Hours::parse(raw, &city.holidays) {
                    Ok(h) => Some(h),
                    Err(e) => {
                        problems.push(Problem::line(
                            &offices_file,
                            *line,
                            format!("office {:?}: {e}", o.id),
                        ));
                        None
                    }
                }
            }));
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut warnings = Vec::new();
        for (e, file, line) in &mut faq {
            if let Some(first) = seen.insert(e.id.clone(), *line) {
                problems.push(Problem::line(
                    file,
                    *line,
                    format!("duplicate FAQ id {:?} (first on line {first})", e.id),
                ));
            }
            // A spreadsheet's office column often holds a name or an
            // address: the answer still stands, without the office.
            if let Some(o) = e.office.take_if(|o| !office_by_id.contains_key(o.as_str())) {
                warnings.push(Problem::line(
                    file,
                    *line,
                    format!("FAQ {:?} names office {o:?}, which is not an office id of the corpus; answered without it", e.id),
                ));
            }
            for l in langs.iter().filter(|_| !e.is_out_of_scope()) {
                match e.text(*l) {
                    None => problems.push(Problem::line(
                        file,
                        *line,
                        format!("FAQ {:?} has no {} text", e.id, l.code()),
                    )),
                    Some(t) => {
                        if t.questions.iter().all(|q| q.trim().is_empty()) {
                            problems.push(Problem::line(
                                file,
                                *line,
                                format!("FAQ {:?} ({}) has no question", e.id, l.code()),
                            ));
                        }
                        let n = t.answer.chars().count();
                        if t.answer.trim().is_empty() {
                            problems.push(Problem::line(
                                file,
                                *line,
                                format!("FAQ {:?} ({}) has no answer", e.id, l.code()),
                            ));
                        } else if n > MAX_ANSWER_CHARS {
                            warnings.push(Problem::line(
                                file,
                                *line,
                                format!("FAQ {:?} ({}): answer has {n} characters, too long to listen to (limit {MAX_ANSWER_CHARS}); the skill speaks the sentences that fit and shows the whole answer on the card; better: move details to `card`", e.id, l.code()),
                            ));
                        }
                    }
                }
            }
        }
        if let Some((f, _)) = &sources.events {
            for l in &langs {
                for e in &event_entries {
                    if e.entry.name.get(*l).is_none_or(|n| n.trim().is_empty()) {
                        problems.push(Problem::line(
                            f,
                            e.line,
                            format!("event {:?} has no {} name", e.entry.id, l.code()),
                        ));
                    }
                }
            }
        }
        if let Some(h) = &city.hotline {
            if !office_by_id.contains_key(h) {
                problems.push(Problem::file(
                    &city_file,
                    format!("hotline office {h:?} does not exist"),
                ));
            }
        }
        let offices: Vec<Office> = offices.into_iter().map(|(o, _)| o).collect();
        let faq = Faq::Parsed(faq.into_iter().map(|(e, _, _)| e).collect());
        let hours = hours.into_iter().map(OnceLock::from).collect();
        let events = OnceLock::from(events);
        let mut k = Self::build(
            city,
            offices,
            hours,
            office_by_id,
            faq,
            (events, Vec::new()),
        );
        let book = EventBook::new(
            event_entries.into_iter().map(|e| e.entry).collect(),
            &k.city.holidays,
        );
        k.event_book = OnceLock::from(book);
        k.warnings = warnings;
        k.texts_hash = Some(texts_hash);
        (Some(k), problems)
    }

    /// What `check` found worth a warning but not worth refusing the
    /// corpus for (an answer too long to speak, an office name that is not
    /// an office of the corpus). Empty for a compiled corpus.
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }
}
