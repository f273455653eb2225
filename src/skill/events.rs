//! EventsIntent: what is on, for any AMAZON.DATE, three at a time.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::answer::{Answer, Card};
use super::event_info;
use super::session::{EventsPage, Session};
use super::texts::{self, t};
use super::turn::Turn;
use crate::alexa::Intent;
use crate::knowledge::Event;
use crate::lang::speech::Speech;
use crate::lang::Lang;
use crate::time::dates::{self, DateRange, SpanKind};
use crate::time::speak;

/// Events spoken per turn.
const SPOKEN: usize = 3;
/// Events on the card.
const ON_CARD: usize = 10;
/// How far ahead to look for the nearest event when a range is empty.
const LOOKAHEAD_DAYS: u64 = 366;

fn local_midnight(tz: Tz, d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0)
        .and_then(|n| tz.from_local_datetime(&n).earliest())
        .map_or_else(|| DateTime::<Utc>::MIN_UTC, |t| t.with_timezone(&Utc))
}

/// Answers "what's on {date}", optionally of one category ("welche Märkte
/// gibt es am Wochenende").
pub fn answer(turn: &Turn<'_>, intent: &Intent) -> Answer {
    let category = match intent.slots.get("category") {
        None => None,
        Some(slot) => {
            let said = slot.resolved_id().or_else(|| slot.spoken());
            // A category said in the turn's language ("concerts"): the
            // corpus category `city.toml` gives that name.
            let named = |s: &str| {
                turn.k.event_category(s).or_else(|| {
                    let want = crate::matching::normalize::fold(s);
                    (turn.k.event_categories().into_iter()).find(|c| {
                        crate::matching::normalize::fold(&turn.k.city().category_name(c, turn.lang))
                            == want
                    })
                })
            };
            match said.map(|s| (s, named(s))) {
                None => None,
                Some((_, Some(c))) => Some(c),
                Some((s, None)) => return unknown_category(turn, s),
            }
        }
    };
    let range = intent
        .slot_value("date")
        .and_then(|v| dates::parse(v, turn.today))
        .unwrap_or(DateRange {
            start: turn.today,
            end: turn.today + Days::new(7),
            kind: SpanKind::Week,
        });
    let tz = turn.k.city().timezone;
    let mut from = local_midnight(tz, range.start);
    let to = local_midnight(tz, range.end);
    if from < turn.now && turn.now < to {
        from = turn.now;
    }
    speak_page(turn, range, category.as_deref(), from, to, 0)
}

/// A category the calendar does not have: say which ones it has.
fn unknown_category(turn: &Turn<'_>, said: &str) -> Answer {
    let lang = turn.lang;
    let known: Vec<String> = turn
        .k
        .event_categories()
        .iter()
        .map(|c| turn.k.city().category_name(c, lang))
        .collect();
    let list = speak::join(&known, lang);
    let text = match lang {
        Lang::De => format!("Zu {said} habe ich keine Veranstaltungen. Ich kenne {list}."),
        Lang::En => format!("I have no events for {said}. I know {list}."),
    };
    turn.ask(
        Speech::text(text),
        texts::what_else(lang),
        Session::default(),
    )
}

/// AMAZON.YesIntent / MoreIntent after "Soll ich weitere nennen?".
pub fn next_page(turn: &Turn<'_>) -> Answer {
    match &turn.session.events_page {
        Some(p) => speak_page(
            turn,
            DateRange {
                start: p.start,
                end: p.end,
                kind: SpanKind::Day,
            },
            p.category.as_deref(),
            p.from,
            p.to,
            p.offset,
        ),
        None => turn.ask(
            Speech::new(),
            texts::what_else(turn.lang),
            Session::default(),
        ),
    }
}

fn speak_page(
    turn: &Turn<'_>,
    range: DateRange,
    category: Option<&str>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    offset: usize,
) -> Answer {
    let lang = turn.lang;
    let of_category = |events: Vec<Event>| -> Vec<Event> {
        match category {
            None => events,
            Some(c) => events
                .into_iter()
                .filter(|e| e.categories.iter().any(|x| x == c))
                .collect(),
        }
    };
    let all = of_category(turn.k.events_between(from, to));
    let phrase = range_phrase(&range, turn.today, lang);
    // "… aus der Rubrik Märkte", "… in the category Märkte".
    let (in_de, in_en) = match category {
        None => (String::new(), String::new()),
        Some(c) => (
            format!(" aus der Rubrik {c}"),
            format!(
                " in the category {}",
                turn.k.city().category_name(c, Lang::En)
            ),
        ),
    };
    if all.is_empty() {
        let mut speech = Speech::text(match lang {
            Lang::De => format!(
                "{} habe ich keine Veranstaltungen{in_de}.",
                texts::capitalize(&phrase)
            ),
            Lang::En => format!("I have no events{in_en} {phrase}."),
        });
        let horizon = to + chrono::Duration::days(LOOKAHEAD_DAYS as i64);
        if let Some(next) = of_category(turn.k.events_between(to, horizon))
            .into_iter()
            .next()
        {
            let when = speak::day(next.start.date_naive(), turn.today, lang);
            let name = title(turn, &next);
            let expected = match (next.certainty, lang) {
                (crate::knowledge::Certainty::Expected, Lang::De) => " voraussichtlich",
                (crate::knowledge::Certainty::Expected, Lang::En) => " expected",
                _ => "",
            };
            speech = speech.then(texts::sentence(
                &match lang {
                    Lang::De => format!("Die nächste ist{expected} {when}: {name}."),
                    Lang::En => format!("The next one is{expected} {when}: {name}."),
                },
                lang,
            ));
        }
        return turn.answer(speech, None, Session::default());
    }
    let page: Vec<&Event> = all.iter().skip(offset).take(SPOKEN).collect();
    let mut speech = Speech::new();
    if offset == 0 {
        speech = speech.say(match (lang, all.len()) {
            (Lang::De, 1) => format!(
                "{} gibt es eine Veranstaltung{}.",
                texts::capitalize(&phrase),
                in_de
            ),
            (Lang::De, n) => format!(
                "{} gibt es {n} Veranstaltungen{}.",
                texts::capitalize(&phrase),
                in_de
            ),
            (Lang::En, 1) => format!("There is one event{in_en} {phrase}."),
            (Lang::En, n) => format!("There are {n} events{in_en} {phrase}."),
        });
    }
    let last = range.end.pred_opt().unwrap_or(range.end);
    let asked = (range.start.max(turn.today), last);
    for e in &page {
        let said = event_sentence(turn, e, asked);
        speech = speech.then(texts::sentence(&texts::period(&said), lang));
    }
    let card_lines: Vec<String> = all
        .iter()
        .skip(offset)
        .take(ON_CARD)
        .map(|e| card_line(turn, e))
        .collect();
    let card = Card::new(
        texts::capitalize(&match lang {
            Lang::De => format!("Veranstaltungen {phrase}"),
            Lang::En => format!("Events {phrase}"),
        }),
        card_lines.join("\n"),
    );
    let noted = |a: Answer| match page.first() {
        Some(first) => a.matched(&first.uid, None),
        None => a,
    };
    let next = offset + page.len();
    if next < all.len() {
        let session = Session {
            events_page: Some(EventsPage {
                from,
                to,
                start: range.start,
                end: range.end,
                offset: next,
                category: category.map(str::to_string),
            }),
            ..Session::default()
        };
        let q = t(lang, "Soll ich weitere nennen?", "Shall I name more?");
        return noted(
            Answer::new()
                .speak(speech.ask(q))
                .card(card)
                .ask(Speech::text(q))
                .remember(session),
        );
    }
    noted(turn.answer(speech, Some(card), Session::default()))
}

/// True for an event of whole days that lasts more than one (a market,
/// a festival), or a run of a corpus event: said with how long it still
/// runs, not with a start time.
fn lasts_days(e: &Event) -> bool {
    e.entry.is_some() || (e.all_day && e.end - e.start > chrono::Duration::days(1))
}

/// The title in the turn's language: a corpus event's name, else the
/// calendar's title.
fn title(turn: &Turn<'_>, e: &Event) -> String {
    e.entry
        .as_deref()
        .and_then(|id| turn.k.event_book().entry(id))
        .map_or_else(|| e.title.clone(), |x| x.name(turn.lang).to_string())
}

fn event_sentence(turn: &Turn<'_>, e: &Event, asked: (NaiveDate, NaiveDate)) -> String {
    if lasts_days(e) {
        let entry = e
            .entry
            .as_deref()
            .and_then(|id| turn.k.event_book().entry(id));
        return event_info::list_sentence(turn, entry, e, asked);
    }
    let (today, lang) = (turn.today, turn.lang);
    let when = texts::capitalize(&speak::day(e.start.date_naive(), today, lang));
    let time = if e.all_day {
        String::new()
    } else {
        match lang {
            Lang::De => format!(" um {}", speak::time(e.start.time(), lang)),
            Lang::En => format!(" at {}", speak::time(e.start.time(), lang)),
        }
    };
    let place = e
        .location
        .as_ref()
        .map(|l| format!(", {l}"))
        .unwrap_or_default();
    format!("{when}{time}: {}{place}.", e.title)
}

fn card_line(turn: &Turn<'_>, e: &Event) -> String {
    let lang = turn.lang;
    let date = match lasts_days(e) {
        true => {
            let last = event_info::last_day(e);
            match last == e.start.date_naive() {
                true => e.start.format("%d.%m.").to_string(),
                false => format!("{}–{}", e.start.format("%d.%m."), last.format("%d.%m.")),
            }
        }
        false => e.start.format("%d.%m.").to_string(),
    };
    let wd = &speak::weekday(chrono::Datelike::weekday(&e.start), lang)[..2];
    let mark = match e.certainty {
        crate::knowledge::Certainty::Expected => t(lang, " (voraussichtlich)", " (expected)"),
        crate::knowledge::Certainty::Confirmed => "",
    };
    let title = title(turn, e);
    let time = if e.all_day {
        String::new()
    } else {
        format!(" {}", e.start.format("%H:%M"))
    };
    let place = e
        .location
        .as_ref()
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    let url = e.url.as_ref().map(|u| format!(" {u}")).unwrap_or_default();
    format!("{wd} {date}{time} – {title}{place}{mark}{url}")
}

/// "am Wochenende", "im Dezember", "heute"; "this weekend", "in December".
fn range_phrase(r: &DateRange, today: NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    if let Some(d) = r.single_day() {
        return speak::day(d, today, lang);
    }
    let this_week = today.iso_week() == r.start.iso_week() && today.year() - r.start.year() <= 1;
    let month = speak::month_year(r.start.month(), r.start.year(), lang);
    let month_name = month.split(' ').next().unwrap_or("").to_string();
    let same_year = r.start.year() == today.year();
    let last = r.end.pred_opt().unwrap_or(r.end);
    match (r.kind, lang) {
        (SpanKind::Weekend, Lang::De) if this_week => "am Wochenende".into(),
        (SpanKind::Weekend, Lang::En) if this_week => "this weekend".into(),
        (SpanKind::Week, Lang::De) if this_week => "in den nächsten Tagen".into(),
        (SpanKind::Week, Lang::En) if this_week => "in the next few days".into(),
        (SpanKind::Month, Lang::De) if same_year => format!("im {month_name}"),
        (SpanKind::Month, Lang::En) if same_year => format!("in {month_name}"),
        (SpanKind::Month, Lang::De) => format!("im {month}"),
        (SpanKind::Month, Lang::En) => format!("in {month}"),
        (_, Lang::De) => format!(
            "vom {}.{}. bis {}.{}.",
            r.start.day(),
            r.start.month(),
            last.day(),
            last.month()
        ),
        (_, Lang::En) => format!(
            "from {} to {}",
            r.start.format("%-d %B"),
            last.format("%-d %B")
        ),
    }
}
