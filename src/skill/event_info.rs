//! EventInfoIntent: one event by name ("Wann ist die Wiesn?", "Hat der
//! Christkindlmarkt heute offen?", "where is the Auer Dult?"), answered
//! from its runs: running now and until when, open today and how long,
//! where, or its next dates; expected dates said as expected. Also the
//! phrases the events list uses for a run that lasts for days.

use super::session::Session;
use chrono::{Datelike, Days, NaiveDate, NaiveTime};

use super::answer::{Answer, Card};
use super::texts::{self, capitalize, t};
use super::turn::Turn;
use crate::alexa::Intent;
use crate::knowledge::{Certainty, Event, EventEntry};
use crate::lang::speech::Speech;
use crate::lang::Lang;
use crate::time::{dates, speak};

/// The events the `event` slot names: its resolved id (an event, or a
/// name several share), else what was said.
pub fn named<'k>(turn: &Turn<'k>, intent: &Intent) -> Vec<&'k EventEntry> {
    let book = turn.k.event_book();
    let slot = intent.slots.get("event");
    if let Some(found) = slot
        .and_then(|s| s.resolved_id())
        .map(|id| book.named(id))
        .filter(|f| !f.is_empty())
    {
        return found;
    }
    match slot.and_then(|s| s.spoken()) {
        Some(said) => {
            let exact = book.named(said);
            match exact.is_empty() {
                true => book.named_in(said),
                false => exact,
            }
        }
        None => Vec::new(),
    }
}

/// EventInfoIntent.
pub fn answer(turn: &Turn<'_>, intent: &Intent) -> Answer {
    let events = named(turn, intent);
    if events.is_empty() {
        let said = intent.slot_value("event");
        // "Wann ist die Müllabfuhr?": no event of that name, but perhaps a
        // question the FAQ answers.
        if let Some(s) = said {
            let question = match turn.lang {
                Lang::De => format!("wann ist {s}"),
                Lang::En => format!("when is {s}"),
            };
            if let crate::knowledge::FaqMatch::Answer { entry, score } =
                turn.k.match_question(&question, turn.lang)
            {
                return super::question::speak_entry(turn, entry, Some(score));
            }
        }
        let text = match (turn.lang, said) {
            (Lang::De, Some(s)) => format!("Eine Veranstaltung namens {s} kenne ich leider nicht."),
            (Lang::En, Some(s)) => format!("Sorry, I don't know an event called {s}."),
            (Lang::De, None) => "Welche Veranstaltung meinst du?".to_string(),
            (Lang::En, None) => "Which event do you mean?".to_string(),
        };
        return turn.ask(
            Speech::text(text),
            t(
                turn.lang,
                "Frag zum Beispiel: Wann ist die Wiesn?",
                "Ask, for example: When is the Oktoberfest?",
            ),
            Session::default(),
        );
    }
    // "today" is answered like no day: on now, until when, today's hours.
    let day = intent
        .slot_value("date")
        .and_then(|v| dates::parse(v, turn.today))
        .and_then(|r| r.single_day())
        .filter(|d| *d != turn.today);
    speak_events(turn, &events, day)
}

/// The answer for the events a name stands for: the one whose run is on
/// now or comes next.
pub fn speak_events(turn: &Turn<'_>, events: &[&EventEntry], day: Option<NaiveDate>) -> Answer {
    let from = day.unwrap_or(turn.today);
    let soonest = events
        .iter()
        .filter_map(|e| {
            let runs = turn.k.runs(e);
            let next = runs.into_iter().find(|r| last_day(r) >= from)?;
            Some((next.start, *e))
        })
        .min_by_key(|(start, _)| *start)
        .map(|(_, e)| e)
        .or_else(|| events.first().copied());
    match soonest {
        Some(e) => speak_entry(turn, e, day),
        None => turn.ask(
            Speech::new(),
            texts::what_else(turn.lang),
            Session::default(),
        ),
    }
}

/// The last day of a run (its end is the midnight after it).
pub fn last_day(run: &Event) -> NaiveDate {
    let end = run.end.date_naive();
    match run.end.time() == NaiveTime::MIN && run.end > run.start {
        true => end.pred_opt().unwrap_or(end),
        false => end,
    }
}

fn first_day(run: &Event) -> NaiveDate {
    run.start.date_naive()
}

/// "der Christkindlmarkt", "the Christmas Market"; a calendar title as is.
pub fn name_of(e: &EventEntry, lang: Lang) -> String {
    let name = e.name(lang);
    match (lang, e.article.as_deref()) {
        (Lang::De, Some(a)) => format!("{a} {name}"),
        (Lang::De, None) => name.to_string(),
        (Lang::En, _) => format!("the {name}"),
    }
}

/// "er", "sie", "es"; "it".
fn pronoun(e: &EventEntry, lang: Lang) -> &'static str {
    match (lang, e.article.as_deref()) {
        (Lang::En, _) => "it",
        (_, Some("der")) => "er",
        (_, Some("die")) => "sie",
        _ => "es",
    }
}

/// A date without weekday: "24. Dezember", "24 December", with the year
/// when it is not this year's.
pub fn date(d: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let month = speak::month_year(d.month(), d.year(), lang);
    let (name, year) = month.split_once(' ').unwrap_or((month.as_str(), ""));
    let year = match d.year() == today.year() {
        true => String::new(),
        false => format!(" {year}"),
    };
    match lang {
        Lang::De => format!("{}. {name}{year}", d.day()),
        Lang::En => format!("{} {name}{year}", d.day()),
    }
}

/// "vom 17. bis 25. Oktober", "vom 19. September bis 4. Oktober", "am
/// 17. Oktober"; "from 17 to 25 October", "on 17 October".
pub fn span(first: NaiveDate, last: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    if first == last {
        let d = date(first, today, lang);
        return match lang {
            Lang::De => format!("am {}, {d}", speak::weekday(first.weekday(), lang)),
            Lang::En => format!("on {}, {d}", speak::weekday(first.weekday(), lang)),
        };
    }
    let to = date(last, today, lang);
    let same_month = first.month() == last.month() && first.year() == last.year();
    match (lang, same_month) {
        (Lang::De, true) => format!("vom {}. bis {to}", first.day()),
        (Lang::En, true) => format!("from {} to {to}", first.day()),
        (Lang::De, false) => format!("vom {} bis {to}", date(first, last, lang)),
        (Lang::En, false) => format!("from {} to {to}", date(first, last, lang)),
    }
}

/// The open intervals of a run's daily hours on `day`, an interval that
/// runs past midnight joined to its end the next morning; on the run's
/// first day, the morning's spill-over of a night before it is dropped
/// (the Long Night is not open at 0:30 on the morning it begins).
fn hours_on(
    turn: &Turn<'_>,
    e: &EventEntry,
    run: &Event,
    day: NaiveDate,
) -> Option<Vec<(NaiveTime, NaiveTime)>> {
    let hours = turn.k.event_book().hours(&e.id)?;
    let mut today = hours.day(day);
    if day == first_day(run) {
        today.retain(|(a, b)| *a != NaiveTime::MIN || *b == NaiveTime::MIN);
    }
    let next = day
        .checked_add_days(Days::new(1))
        .map(|d| hours.day(d))
        .unwrap_or_default();
    if let (Some(last), Some(first)) = (today.last_mut(), next.first()) {
        if last.1 == NaiveTime::MIN && first.0 == NaiveTime::MIN && first.1 != NaiveTime::MIN {
            last.1 = first.1;
        }
    }
    Some(today)
}

/// A closing time: "21 Uhr", "Mitternacht"; "9 p.m.", "midnight".
fn closing(t: NaiveTime, lang: Lang) -> String {
    match (t == NaiveTime::MIN, lang) {
        (true, Lang::De) => "Mitternacht".to_string(),
        _ => speak::time(t, lang),
    }
}

/// True when a day's hours are over at `now` (an interval past midnight
/// is not over during the day).
fn over(ranges: &[(NaiveTime, NaiveTime)], now: NaiveTime) -> bool {
    match (ranges.first(), ranges.last()) {
        (Some((open, _)), Some((_, close))) => {
            *close != NaiveTime::MIN && *close > *open && *close <= now
        }
        _ => false,
    }
}

/// " laut Stand 2025", " as of 2025": hours from another year's source.
fn as_of(e: &EventEntry, run: &Event, lang: Lang) -> String {
    match e.hours_year.filter(|y| *y != run.start.year()) {
        Some(y) => match lang {
            Lang::De => format!(" laut Stand {y}"),
            Lang::En => format!(", as of {y}"),
        },
        None => String::new(),
    }
}

/// Today's hours of a run that is on today, for the events list: "heute
/// bis 21 Uhr laut Stand 2025", "heute von 10 bis 21 Uhr"; "today until
/// 9 p.m., as of 2025".
pub fn hours_today(turn: &Turn<'_>, e: &EventEntry, run: &Event) -> Option<String> {
    let lang = turn.lang;
    let ranges = hours_on(turn, e, run, turn.today)?;
    let now = turn.local_now.time();
    let stand = as_of(e, run, lang);
    let (open, close) = (ranges.first()?.0, ranges.last()?.1);
    let late = over(&ranges, now);
    Some(match (lang, now >= open, late) {
        (Lang::De, _, true) => format!("heute schon geschlossen{stand}"),
        (Lang::En, _, true) => format!("closed for today{stand}"),
        (Lang::De, true, false) => format!("heute bis {}{stand}", closing(close, lang)),
        (Lang::En, true, false) => format!("today until {}{stand}", closing(close, lang)),
        (_, false, false) => {
            let r: Vec<String> = (ranges.iter())
                .map(|(a, b)| speak::range(*a, *b, lang))
                .collect();
            match lang {
                Lang::De => format!("heute {}{stand}", speak::join(&r, lang)),
                Lang::En => format!("today {}{stand}", speak::join(&r, lang)),
            }
        }
    })
}

/// How a run of many days is named in the events list: "Der
/// Christkindlmarkt am Marienplatz, voraussichtlich noch bis 24.
/// Dezember, heute bis 21 Uhr laut Stand 2025"; "The Oktoberfest on the
/// Theresienwiese, expected from 19 September to 4 October".
///
/// Today's hours are said when the list is of today; a list of one other
/// day says that day's hours.
pub fn list_sentence(
    turn: &Turn<'_>,
    e: Option<&EventEntry>,
    run: &Event,
    asked: (NaiveDate, NaiveDate),
) -> String {
    let lang = turn.lang;
    let (first, last) = (first_day(run), last_day(run));
    let name = match e {
        Some(e) => {
            let at =
                e.at.get_or_other(lang)
                    .map(|a| format!(" {a}"))
                    .unwrap_or_default();
            capitalize(&format!("{}{at}", name_of(e, lang)))
        }
        None => run.title.clone(),
    };
    let expected = run.certainty == Certainty::Expected;
    let when = match (first == last, first <= turn.today, lang) {
        (true, true, Lang::De) => "heute".to_string(),
        (true, true, Lang::En) => "today".to_string(),
        (false, true, Lang::De) => format!("noch bis {}", date(last, turn.today, lang)),
        (false, true, Lang::En) => format!("until {}", date(last, turn.today, lang)),
        (_, false, _) => span(first, last, turn.today, lang),
    };
    let when = match (expected, lang) {
        (true, Lang::De) => format!("voraussichtlich {when}"),
        (true, Lang::En) => format!("expected {when}"),
        (false, _) => when,
    };
    let inside = |d: NaiveDate| first <= d && d <= last && asked.0 <= d && d <= asked.1;
    let hours = match e {
        Some(e) if inside(turn.today) => hours_today(turn, e, run),
        Some(e) if asked.0 == asked.1 && inside(asked.0) => hours_on(turn, e, run, asked.0)
            .filter(|r| !r.is_empty())
            .map(|r| {
                let r: Vec<String> = (r.iter())
                    .map(|(a, b)| speak::range(*a, *b, lang))
                    .collect();
                let day = speak::day(asked.0, turn.today, lang);
                format!("{day} {}{}", speak::join(&r, lang), as_of(e, run, lang))
            }),
        _ => None,
    };
    let hours = hours.map(|h| format!(", {h}")).unwrap_or_default();
    format!("{name}, {when}{hours}")
}

/// The answer about one event.
fn speak_entry(turn: &Turn<'_>, e: &EventEntry, day: Option<NaiveDate>) -> Answer {
    entry_said(turn, e, day).matched(&e.id, None)
}

fn entry_said(turn: &Turn<'_>, e: &EventEntry, day: Option<NaiveDate>) -> Answer {
    let lang = turn.lang;
    let runs = turn.k.runs(e);
    let name = name_of(e, lang);
    let at =
        e.at.get_or_other(lang)
            .map(|a| format!(" {a}"))
            .unwrap_or_default();
    let he = pronoun(e, lang);
    let text = match day {
        Some(d) => on_day(turn, e, &runs, d),
        None => {
            let current = runs
                .iter()
                .find(|r| first_day(r) <= turn.today && turn.today <= last_day(r));
            let next = runs.iter().find(|r| first_day(r) > turn.today);
            match (current, next) {
                (Some(r), _) => {
                    let until = date(last_day(r), turn.today, lang);
                    let expected = r.certainty == Certainty::Expected;
                    let one_day = first_day(r) == last_day(r);
                    let runs_until = match (lang, expected, last_day(r) == turn.today) {
                        (Lang::De, true, true) if one_day => {
                            format!("{}{at} ist voraussichtlich heute", capitalize(&name))
                        }
                        (Lang::De, false, true) if one_day => {
                            format!("{}{at} ist heute", capitalize(&name))
                        }
                        (Lang::En, true, true) if one_day => {
                            format!("{}{at} is expected today", capitalize(&name))
                        }
                        (Lang::En, false, true) if one_day => {
                            format!("{}{at} is today", capitalize(&name))
                        }
                        (Lang::De, _, true) => {
                            format!("{}{at} ist heute zum letzten Mal", capitalize(&name))
                        }
                        (Lang::En, _, true) => format!("Today is the last day of {name}{at}"),
                        (Lang::De, true, false) => format!(
                            "{}{at} ist voraussichtlich noch bis {until}",
                            capitalize(&name)
                        ),
                        (Lang::De, false, false) => {
                            format!("{}{at} ist noch bis {until}", capitalize(&name))
                        }
                        (Lang::En, true, false) => {
                            format!("{}{at} is expected to run until {until}", capitalize(&name))
                        }
                        (Lang::En, false, false) => {
                            format!("{}{at} runs until {until}", capitalize(&name))
                        }
                    };
                    match today_hours_sentence(turn, e, r, he) {
                        Some(h) => format!("{}. {h}", runs_until),
                        None => runs_until,
                    }
                }
                (None, Some(r)) => {
                    let when = span(first_day(r), last_day(r), turn.today, lang);
                    match (lang, r.certainty) {
                        (Lang::De, Certainty::Expected) => {
                            format!("{}{at} ist voraussichtlich {when}", capitalize(&name))
                        }
                        (Lang::De, Certainty::Confirmed) => {
                            format!("{}{at} ist {when}", capitalize(&name))
                        }
                        (Lang::En, Certainty::Expected) => {
                            format!("{}{at} is expected {when}", capitalize(&name))
                        }
                        (Lang::En, Certainty::Confirmed) => {
                            format!("{}{at} is {when}", capitalize(&name))
                        }
                    }
                }
                (None, None) => match runs.last() {
                    Some(r) => {
                        let when = span(first_day(r), last_day(r), turn.today, lang);
                        match lang {
                            Lang::De => format!(
                                "{} war zuletzt {when}{at}. Die nächsten Termine habe ich noch nicht; sie stehen beim Veranstalter, sobald sie feststehen",
                                capitalize(&name)
                            ),
                            Lang::En => format!(
                                "{}{at} was last held {when}. I don't have its next dates yet; the organiser publishes them once they are set",
                                capitalize(&name)
                            ),
                        }
                    }
                    None => match lang {
                        Lang::De => format!("Termine für {name} habe ich leider nicht"),
                        Lang::En => format!("Sorry, I don't have dates for {name}"),
                    },
                },
            }
        }
    };
    let speech = texts::sentence(&texts::period(&text), lang);
    turn.answer(
        speech,
        Some(card(turn, e, &runs, day.unwrap_or(turn.today))),
        Session::default(),
    )
}

/// "Heute hat er laut Stand 2025 von 10 bis 21 Uhr offen."
fn today_hours_sentence(turn: &Turn<'_>, e: &EventEntry, run: &Event, he: &str) -> Option<String> {
    let lang = turn.lang;
    let ranges = hours_on(turn, e, run, turn.today)?;
    let stand = as_of(e, run, lang);
    let close = ranges.last().map_or(NaiveTime::MIN, |r| r.1);
    let over = over(&ranges, turn.local_now.time());
    let r: Vec<String> = (ranges.iter())
        .map(|(a, b)| speak::range(*a, *b, lang))
        .collect();
    Some(match (lang, ranges.is_empty(), over) {
        (Lang::De, true, _) => format!("Heute hat {he} geschlossen"),
        (Lang::En, true, _) => "It is closed today".to_string(),
        (Lang::De, false, true) => format!(
            "Heute hat {he}{stand} bis {} offen, jetzt ist schon zu",
            closing(close, lang)
        ),
        (Lang::En, false, true) => format!(
            "Today it was open until {}{stand}, so it's closed now",
            closing(close, lang)
        ),
        (Lang::De, false, false) => {
            format!("Heute hat {he}{stand} {} offen", speak::join(&r, lang))
        }
        (Lang::En, false, false) => format!("Today it's open {}{stand}", speak::join(&r, lang)),
    })
}

/// The answer for a day asked about ("am Sonntag").
fn on_day(turn: &Turn<'_>, e: &EventEntry, runs: &[Event], d: NaiveDate) -> String {
    let lang = turn.lang;
    let name = name_of(e, lang);
    let when = speak::day(d, turn.today, lang);
    let Some(run) = runs.iter().find(|r| first_day(r) <= d && d <= last_day(r)) else {
        let next = runs.iter().find(|r| first_day(r) > d);
        let none = match lang {
            Lang::De => format!("{} ist kein {}", capitalize(&when), e.name(lang)),
            Lang::En => format!("{} isn't on {when}", capitalize(&name)),
        };
        return match next {
            Some(r) => {
                let w = span(first_day(r), last_day(r), turn.today, lang);
                let exp = r.certainty == Certainty::Expected;
                match (lang, exp) {
                    (Lang::De, true) => {
                        format!("{none}. {} ist voraussichtlich {w}", capitalize(&name))
                    }
                    (Lang::De, false) => format!("{none}. {} ist {w}", capitalize(&name)),
                    (Lang::En, true) => format!("{none}. It is expected {w}"),
                    (Lang::En, false) => format!("{none}. It is {w}"),
                }
            }
            None => none,
        };
    };
    let expected = run.certainty == Certainty::Expected;
    let stand = as_of(e, run, lang);
    let when_cap = capitalize(&when);
    match hours_on(turn, e, run, d) {
        Some(ranges) if !ranges.is_empty() => {
            let r: Vec<String> = (ranges.iter())
                .map(|(a, b)| speak::range(*a, *b, lang))
                .collect();
            let r = speak::join(&r, lang);
            match (lang, expected) {
                (Lang::De, true) => {
                    format!("{when_cap} hat {name} voraussichtlich offen,{stand} {r}")
                }
                (Lang::De, false) => format!("{when_cap} hat {name}{stand} {r} offen"),
                (Lang::En, true) => format!(
                    "{} is expected to be open {when}, {r}{stand}",
                    capitalize(&name)
                ),
                (Lang::En, false) => format!("{} is open {when} {r}{stand}", capitalize(&name)),
            }
        }
        Some(_) => match lang {
            Lang::De => format!("{when_cap} hat {name}{stand} geschlossen"),
            Lang::En => format!("{} is closed {when}{stand}", capitalize(&name)),
        },
        None => match (lang, expected) {
            (Lang::De, true) => format!("{when_cap} ist voraussichtlich {name}"),
            (Lang::De, false) => format!("{when_cap} ist {name}"),
            (Lang::En, true) => format!("{} is expected {when}", capitalize(&name)),
            (Lang::En, false) => format!("{} is on {when}", capitalize(&name)),
        },
    }
}

/// The card: the runs still to come (or the last), the hours of the
/// week, the place, the remark, the link and the sources.
fn card(turn: &Turn<'_>, e: &EventEntry, runs: &[Event], day: NaiveDate) -> Card {
    let lang = turn.lang;
    let mut lines = Vec::new();
    let shown: Vec<&Event> = match runs
        .iter()
        .filter(|r| last_day(r) >= turn.today)
        .collect::<Vec<_>>()
    {
        v if v.is_empty() => runs.last().into_iter().collect(),
        v => v,
    };
    for r in &shown {
        let (f, l) = (first_day(r), last_day(r));
        let dates = match f == l {
            true => f.format("%d.%m.%Y").to_string(),
            false => format!("{}–{}", f.format("%d.%m."), l.format("%d.%m.%Y")),
        };
        let mark = match r.certainty {
            Certainty::Expected => t(lang, " (voraussichtlich)", " (expected)"),
            Certainty::Confirmed => "",
        };
        lines.push(format!("{dates}{mark}"));
    }
    if let Some(hours) = turn.k.event_book().hours(&e.id) {
        let stand = e
            .hours_year
            .map(|y| format!(" ({} {y})", t(lang, "Stand", "as of")))
            .unwrap_or_default();
        lines.push(format!(
            "{}{stand}:",
            t(lang, "Öffnungszeiten", "Opening hours")
        ));
        lines.extend(hours.card_week(day, lang));
    }
    if let Some(p) = &e.place {
        lines.push(p.clone());
    }
    if let Some(n) = e.note.as_ref().and_then(|n| n.get_or_other(lang)) {
        lines.push(n.clone());
    }
    if let Some(u) = &e.url {
        lines.push(u.clone());
    }
    let mut sources = vec![format!("{} ({})", e.source, e.as_of)];
    for r in &shown {
        let d = e.dates.iter().find(|d| d.first == first_day(r));
        if let Some(s) = d.and_then(|d| d.source.as_ref()) {
            let entry = format!("{s} ({})", d.and_then(|d| d.as_of.as_deref()).unwrap_or(""));
            if !sources.contains(&entry) {
                sources.push(entry);
            }
        }
    }
    lines.push(format!(
        "{}: {}",
        t(lang, "Quelle", "Source"),
        sources.join("; ")
    ));
    Card::new(e.name(lang), lines.join("\n"))
}
