//! A local stand-in for Alexa's language understanding, so the skill can be
//! tried without an Amazon account: text → intent and slots, read from the
//! same interaction models that are uploaded to Alexa, then wrapped in a
//! request envelope exactly as Alexa would send it.
//!
//! Matching: every sample utterance is a pattern of words and `{slot}`
//! gaps; the pattern that matches the whole utterance with the most literal
//! words wins. Custom slot values resolve to their ids like Alexa's entity
//! resolution; AMAZON.DATE values come from German and English date words.
//! Whatever matches nothing goes to `QuestionIntent` as a search query.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use serde_json::{json, Map, Value};

use crate::alexa::model::{ModelFile, ModelIntent};
use crate::lang::{Lang, Locale};
use crate::matching::normalize::{fold, words};

/// An utterance understood: intent name and slot values.
#[derive(Clone, Debug, PartialEq)]
pub struct Understood {
    /// Intent name; `None` means "open the skill" (LaunchRequest).
    pub intent: Option<String>,
    /// Slot name → (spoken value, resolved id).
    pub slots: Vec<(String, String, Option<String>)>,
}

#[derive(Debug)]
struct Pattern {
    intent: usize,
    tokens: Vec<Token>,
    literals: usize,
}

#[derive(Debug)]
enum Token {
    Word(String),
    Slot(String),
}

/// One locale's model, prepared for matching.
#[derive(Debug)]
struct LocaleModel {
    invocation: Vec<String>,
    intents: Vec<ModelIntent>,
    patterns: Vec<Pattern>,
    /// Slot type → folded value or synonym → (canonical value, id).
    values: HashMap<String, HashMap<String, (String, Option<String>)>>,
}

/// The simulator over one or more locales' interaction models.
#[derive(Debug, Default)]
pub struct Simulator {
    models: HashMap<&'static str, LocaleModel>,
}

/// Articles before a slot value ("das Fundbüro", "the lost property office").
const ARTICLES: &[&str] = &["der", "die", "das", "den", "dem", "the"];

/// What a custom slot value that resolves to nothing costs a pattern: more
/// than a literal word, so that "hat das {event} {date} offen" does not take
/// an office from "hat {office} {date} offen".
const UNRESOLVED_PENALTY: i64 = 15;

/// Built-in intents have no samples in the model; Alexa knows their phrases.
const BUILTINS: &[(&str, &[&str])] = &[
    (
        "AMAZON.StopIntent",
        &[
            "stop",
            "stopp",
            "halt",
            "aufhoeren",
            "hoer auf",
            "beenden",
            "ende",
            "tschuess",
            "exit",
            "quit",
            "bye",
            "goodbye",
            "schluss",
        ],
    ),
    (
        "AMAZON.CancelIntent",
        &[
            "abbrechen",
            "abbruch",
            "cancel",
            "vergiss es",
            "never mind",
            "nevermind",
        ],
    ),
    (
        "AMAZON.HelpIntent",
        &["hilfe", "help", "help me", "hilf mir"],
    ),
    (
        "AMAZON.YesIntent",
        &[
            "ja",
            "ja bitte",
            "jawohl",
            "gerne",
            "klar",
            "yes",
            "yes please",
            "yeah",
            "sure",
            "okay",
            "ok",
        ],
    ),
    (
        "AMAZON.NoIntent",
        &["nein", "nein danke", "no", "no thanks", "nope", "noe"],
    ),
    (
        "AMAZON.NavigateHomeIntent",
        &["startseite", "zum anfang", "go home", "home"],
    ),
    (
        "AMAZON.RepeatIntent",
        &[
            "wiederhole das",
            "wiederholen",
            "noch mal",
            "nochmal",
            "wie bitte",
            "was hast du gesagt",
            "repeat",
            "repeat that",
            "say that again",
            "pardon",
            "come again",
        ],
    ),
    (
        "AMAZON.MoreIntent",
        &["mehr", "weitere", "zeig mehr", "more", "tell me more"],
    ),
    (
        "AMAZON.NextIntent",
        &[
            "weiter",
            "mach weiter",
            "weiter bitte",
            "naechste",
            "als naechstes",
            "next",
            "the next ones",
            "go on",
            "keep going",
        ],
    ),
];

impl Simulator {
    /// Reads the models embedded in the binary (`intents/*.json`).
    ///
    /// # Errors
    /// When a model file is not valid JSON of the ASK format.
    pub fn embedded() -> Result<Self, serde_json::Error> {
        let mut sim = Self::default();
        sim.add(Locale::DeDe, include_str!("../../intents/de-DE.json"))?;
        sim.add(Locale::EnUs, include_str!("../../intents/en-US.json"))?;
        sim.add(Locale::EnGb, include_str!("../../intents/en-GB.json"))?;
        Ok(sim)
    }

    /// Adds a locale's model from its JSON text.
    ///
    /// # Errors
    /// When the text is not an ASK interaction model.
    pub fn add(&mut self, locale: Locale, json: &str) -> Result<(), serde_json::Error> {
        let file: ModelFile = serde_json::from_str(json)?;
        let lm = file.interaction_model.language_model;
        let mut patterns = Vec::new();
        for (i, intent) in lm.intents.iter().enumerate() {
            for sample in &intent.samples {
                let tokens: Vec<Token> = sample
                    .split_whitespace()
                    .flat_map(|w| {
                        if w.starts_with('{') && w.ends_with('}') {
                            vec![Token::Slot(w.trim_matches(['{', '}']).to_string())]
                        } else {
                            words(w).into_iter().map(Token::Word).collect()
                        }
                    })
                    .collect();
                let literals = tokens
                    .iter()
                    .filter(|t| matches!(t, Token::Word(_)))
                    .count();
                patterns.push(Pattern {
                    intent: i,
                    tokens,
                    literals,
                });
            }
        }
        let mut values = HashMap::new();
        for ty in &lm.types {
            let mut map = HashMap::new();
            for v in &ty.values {
                for s in std::iter::once(&v.name.value).chain(&v.name.synonyms) {
                    map.entry(words(s).join(" "))
                        .or_insert((v.name.value.clone(), v.id.clone()));
                }
            }
            values.insert(ty.name.clone(), map);
        }
        self.models.insert(
            locale.tag(),
            LocaleModel {
                invocation: words(&lm.invocation_name),
                intents: lm.intents,
                patterns,
                values,
            },
        );
        Ok(())
    }

    /// Understands an utterance in `locale`; `today` resolves date words.
    pub fn understand(&self, utterance: &str, locale: Locale, today: NaiveDate) -> Understood {
        let Some(model) = self.models.get(locale.tag()) else {
            return Understood {
                intent: Some("AMAZON.FallbackIntent".into()),
                slots: Vec::new(),
            };
        };
        let (opened, tokens) = strip_invocation(&words(utterance), &model.invocation);
        if tokens.is_empty() {
            return Understood {
                intent: if opened {
                    None
                } else {
                    Some("AMAZON.FallbackIntent".into())
                },
                slots: Vec::new(),
            };
        }
        let phrase = tokens.join(" ");
        for (intent, phrases) in BUILTINS {
            if phrases.contains(&phrase.as_str()) && model.intents.iter().any(|i| i.name == *intent)
            {
                return Understood {
                    intent: Some((*intent).to_string()),
                    slots: Vec::new(),
                };
            }
        }
        let lang = locale.lang();
        let mut best: Option<(i64, Understood)> = None;
        for p in &model.patterns {
            // Every way the slots can split the words: "hat {office} {date}
            // offen" must try "das bürgerbüro pasing" + "morgen", not only
            // the first split that fits.
            for captures in match_all(&p.tokens, &tokens) {
                let intent = &model.intents[p.intent];
                let mut score = 10 * p.literals as i64;
                let mut slots = Vec::new();
                let mut ok = true;
                for (name, value) in captures {
                    let ty = intent
                        .slots
                        .iter()
                        .find(|s| s.name == name)
                        .map(|s| s.slot_type.as_str())
                        .unwrap_or("");
                    match ty {
                        "AMAZON.DATE" => match date_value(&value, today, lang) {
                            Some(d) => {
                                score += 5;
                                slots.push((name, d, None));
                            }
                            None => ok = false,
                        },
                        "AMAZON.SearchQuery" => {
                            score -= 3;
                            slots.push((name, value, None));
                        }
                        custom => {
                            // "das Bürgerbüro Pasing" resolves like "Bürgerbüro Pasing".
                            let bare = value
                                .split_once(' ')
                                .filter(|(a, _)| ARTICLES.contains(a))
                                .map_or(value.as_str(), |(_, rest)| rest);
                            let values = model.values.get(custom);
                            let hit = values.and_then(|m| m.get(&value).or_else(|| m.get(bare)));
                            match hit {
                                Some((canonical, id)) => {
                                    score += 5;
                                    slots.push((name, canonical.clone(), id.clone()));
                                }
                                None => {
                                    // A value of no kind the slot knows: a
                                    // pattern whose slot resolves wins even
                                    // with fewer literal words.
                                    score -= UNRESOLVED_PENALTY;
                                    slots.push((name, value, None));
                                }
                            }
                        }
                    }
                }
                if ok && best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((
                        score,
                        Understood {
                            intent: Some(intent.name.clone()),
                            slots,
                        },
                    ));
                }
            }
        }
        if let Some((_, u)) = best {
            return u;
        }
        if model.intents.iter().any(|i| i.name == "QuestionIntent") {
            return Understood {
                intent: Some("QuestionIntent".into()),
                slots: vec![("query".into(), phrase, None)],
            };
        }
        Understood {
            intent: Some("AMAZON.FallbackIntent".into()),
            slots: Vec::new(),
        }
    }

    /// A request envelope as Alexa would send it for `u`.
    pub fn envelope(
        &self,
        u: &Understood,
        locale: Locale,
        now: DateTime<Utc>,
        session: &SessionState,
    ) -> Value {
        let request = match &u.intent {
            None => json!({"type": "LaunchRequest"}),
            Some(name) => {
                let mut slots = Map::new();
                for (slot, value, id) in &u.slots {
                    let mut s = json!({"name": slot, "value": value, "confirmationStatus": "NONE"});
                    if let Some(id) = id {
                        s["resolutions"] = json!({"resolutionsPerAuthority": [{
                            "authority": "amzn1.er-authority.echo-sdk.local.OFFICE",
                            "status": {"code": "ER_SUCCESS_MATCH"},
                            "values": [{"value": {"name": value, "id": id}}]
                        }]});
                    }
                    slots.insert(slot.clone(), s);
                }
                json!({"type": "IntentRequest", "dialogState": "STARTED",
                       "intent": {"name": name, "confirmationStatus": "NONE", "slots": slots}})
            }
        };
        let mut request = request;
        request["requestId"] = json!(format!("amzn1.echo-api.request.local-{}", session.turn));
        request["timestamp"] = json!(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        request["locale"] = json!(locale.tag());
        json!({
            "version": "1.0",
            "session": {
                "new": session.turn == 0,
                "sessionId": "amzn1.echo-api.session.local",
                "application": {"applicationId": session.application_id},
                "attributes": session.attributes,
                "user": {"userId": "amzn1.ask.account.local"}
            },
            "context": {"System": {
                "application": {"applicationId": session.application_id},
                "user": {"userId": "amzn1.ask.account.local"},
                "device": {"deviceId": "amzn1.ask.device.local", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.eu.amazonalexa.com"
            }},
            "request": request
        })
    }
}

/// What the simulator carries from turn to turn.
#[derive(Clone, Debug)]
pub struct SessionState {
    /// 0 for the first turn.
    pub turn: u32,
    /// Session attributes from the last response.
    pub attributes: Map<String, Value>,
    /// Skill ID put into the envelope.
    pub application_id: String,
}

impl SessionState {
    /// A new session for `application_id`.
    pub fn new(application_id: &str) -> Self {
        Self {
            turn: 0,
            attributes: Map::new(),
            application_id: application_id.to_string(),
        }
    }
}

/// Drops "alexa", "frag stadt münchen", "ask munich city to", …; returns
/// whether the skill was named and the remaining words.
fn strip_invocation(tokens: &[String], invocation: &[String]) -> (bool, Vec<String>) {
    let mut t: Vec<String> = tokens.to_vec();
    if t.first().is_some_and(|w| w == "alexa") {
        t.remove(0);
    }
    if invocation.is_empty() {
        return (false, t);
    }
    let pos = t.windows(invocation.len()).position(|w| w == invocation);
    let Some(pos) = pos else {
        return (false, t);
    };
    let before = &t[..pos];
    const LAUNCH: &[&str] = &[
        "frag", "frage", "oeffne", "starte", "ask", "open", "start", "launch", "tell", "bei",
        "von", "die", "der",
    ];
    if !before.iter().all(|w| LAUNCH.contains(&w.as_str())) {
        return (false, t);
    }
    let mut rest: Vec<String> = t[pos + invocation.len()..].to_vec();
    while rest
        .first()
        .is_some_and(|w| ["to", "for", "about", "ob", "nach", "wegen"].contains(&w.as_str()))
    {
        rest.remove(0);
    }
    (true, rest)
}

/// Matches pattern tokens against the whole utterance; slots take one or
/// more words. Returns the slot captures of the first full match.
/// Most splits of one utterance tried against one pattern.
const MAX_SPLITS: usize = 64;

/// All assignments of words to the pattern's slots (at most [`MAX_SPLITS`]).
fn match_all(pattern: &[Token], words: &[String]) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    collect(pattern, words, &mut Vec::new(), &mut out);
    out
}

fn collect(
    pattern: &[Token],
    words: &[String],
    so_far: &mut Vec<(String, String)>,
    out: &mut Vec<Vec<(String, String)>>,
) {
    if out.len() >= MAX_SPLITS {
        return;
    }
    match pattern.first() {
        None => {
            if words.is_empty() {
                out.push(so_far.clone());
            }
        }
        Some(Token::Word(w)) => {
            if words.first() == Some(w) {
                collect(&pattern[1..], &words[1..], so_far, out);
            }
        }
        Some(Token::Slot(name)) => {
            for n in 1..=words.len() {
                so_far.push((name.clone(), words[..n].join(" ")));
                collect(&pattern[1..], &words[n..], so_far, out);
                so_far.pop();
            }
        }
    }
}

/// German and English date words as AMAZON.DATE values.
pub fn date_value(text: &str, today: NaiveDate, lang: Lang) -> Option<String> {
    let t = fold(text).split_whitespace().collect::<Vec<_>>().join(" ");
    let t = t
        .strip_prefix("am ")
        .or_else(|| t.strip_prefix("on "))
        .unwrap_or(&t)
        .to_string();
    let t = t
        .strip_prefix("im ")
        .or_else(|| t.strip_prefix("in "))
        .unwrap_or(&t)
        .to_string();
    let day = |d: NaiveDate| Some(d.format("%Y-%m-%d").to_string());
    let week = |d: NaiveDate, suffix: &str| {
        let w = d.iso_week();
        Some(format!("{}-W{:02}{suffix}", w.year(), w.week()))
    };
    match t.as_str() {
        "heute" | "today" | "heute abend" | "tonight" => return day(today),
        "morgen" | "tomorrow" => return day(today + Days::new(1)),
        "uebermorgen" | "day after tomorrow" | "the day after tomorrow" => {
            return day(today + Days::new(2))
        }
        "jetzt" | "gerade" | "now" | "right now" => return Some("PRESENT_REF".into()),
        "wochenende" | "diesem wochenende" | "dieses wochenende" | "this weekend"
        | "the weekend" | "weekend" | "at the weekend" => return week(today, "-WE"),
        "naechsten wochenende" | "naechstes wochenende" | "next weekend" => {
            return week(today + Days::new(7), "-WE")
        }
        "dieser woche" | "diese woche" | "this week" => return week(today, ""),
        "naechster woche" | "naechste woche" | "next week" => {
            return week(today + Days::new(7), "")
        }
        "diesem monat" | "diesen monat" | "this month" => {
            return Some(today.format("%Y-%m").to_string())
        }
        _ => {}
    }
    const DAYS: [(&str, &str, Weekday); 7] = [
        ("montag", "monday", Weekday::Mon),
        ("dienstag", "tuesday", Weekday::Tue),
        ("mittwoch", "wednesday", Weekday::Wed),
        ("donnerstag", "thursday", Weekday::Thu),
        ("freitag", "friday", Weekday::Fri),
        ("samstag", "saturday", Weekday::Sat),
        ("sonntag", "sunday", Weekday::Sun),
    ];
    for (de, en, wd) in DAYS {
        if t == de || t == en || t == format!("{de}s") || t == format!("this {en}") {
            let ahead =
                (7 + wd.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
            return day(today + Days::new(u64::from(ahead)));
        }
    }
    const MONTHS: [(&str, &str); 12] = [
        ("januar", "january"),
        ("februar", "february"),
        ("maerz", "march"),
        ("april", "april"),
        ("mai", "may"),
        ("juni", "june"),
        ("juli", "july"),
        ("august", "august"),
        ("september", "september"),
        ("oktober", "october"),
        ("november", "november"),
        ("dezember", "december"),
    ];
    // "1 juni 2026", "24 dezember", "december 24th", "24th of december".
    let month_of = |w: &str| MONTHS.iter().position(|(de, en)| w == *de || w == *en);
    let number = |w: &str| {
        w.trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<u32>()
            .ok()
    };
    let ws: Vec<&str> = t.split(' ').filter(|w| *w != "of" && *w != "the").collect();
    // "31 12" (said "am 31.12."): day and month as numbers.
    if let [d, m] = ws.as_slice() {
        if let (Ok(d), Ok(m)) = (d.parse::<u32>(), m.parse::<u32>()) {
            let this_year = NaiveDate::from_ymd_opt(today.year(), m, d);
            if let Some(date) = this_year
                .filter(|x| *x >= today)
                .or_else(|| NaiveDate::from_ymd_opt(today.year() + 1, m, d))
            {
                return day(date);
            }
        }
    }
    let (d, m, y) = match ws.as_slice() {
        [a, b] if month_of(b).is_some() => (number(a), month_of(b), None),
        [a, b] => (number(b), month_of(a), None),
        [a, b, y] if month_of(b).is_some() => (number(a), month_of(b), y.parse::<i32>().ok()),
        [a, b, y] => (number(b), month_of(a), y.parse::<i32>().ok()),
        _ => (None, None, None),
    };
    if let (Some(d), Some(m)) = (d, m) {
        let m = m as u32 + 1;
        let this_year = NaiveDate::from_ymd_opt(today.year(), m, d);
        let date = match y {
            Some(y) => NaiveDate::from_ymd_opt(y, m, d),
            None => this_year
                .filter(|x| *x >= today)
                .or_else(|| NaiveDate::from_ymd_opt(today.year() + 1, m, d)),
        };
        if let Some(date) = date {
            return day(date);
        }
    }
    for (i, (de, en)) in MONTHS.iter().enumerate() {
        if t == *de || t == *en {
            let m = i as u32 + 1;
            let year = if m < today.month() {
                today.year() + 1
            } else {
                today.year()
            };
            return Some(format!("{year}-{m:02}"));
        }
    }
    let _ = lang;
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_words_become_alexa_date_values() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        let cases = [
            ("heute", "2026-11-25"),
            ("morgen", "2026-11-26"),
            ("übermorgen", "2026-11-27"),
            ("am Wochenende", "2026-W48-WE"),
            ("nächste Woche", "2026-W49"),
            ("am Montag", "2026-11-30"),
            ("im Dezember", "2026-12"),
            ("today", "2026-11-25"),
            ("tomorrow", "2026-11-26"),
            ("this weekend", "2026-W48-WE"),
            ("next week", "2026-W49"),
            ("on Saturday", "2026-11-28"),
            ("am 1. Juni 2026", "2026-06-01"),
            ("am 24. Dezember", "2026-12-24"),
            ("am 6. Januar", "2027-01-06"),
            ("december 24th", "2026-12-24"),
            ("the 31st of december", "2026-12-31"),
        ];
        for (text, want) in cases {
            assert_eq!(
                date_value(text, today, Lang::De).as_deref(),
                Some(want),
                "{text}"
            );
        }
    }

    fn sim() -> Simulator {
        Simulator::embedded().unwrap_or_else(|e| panic!("models do not parse: {e}"))
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
    }

    #[test]
    fn office_hours_question_resolves_office_id() {
        let u = sim().understand(
            "Alexa, frag Stadt München, wann hat das Bürgerbüro Ruppertstraße offen?",
            Locale::DeDe,
            today(),
        );
        assert_eq!(u.intent.as_deref(), Some("OfficeHoursIntent"));
        assert_eq!(u.slots[0].2.as_deref(), Some("buergerbuero-ruppertstrasse"));
    }

    #[test]
    fn opening_the_skill_is_a_launch() {
        let u = sim().understand("Alexa, öffne Stadt München", Locale::DeDe, today());
        assert_eq!(u.intent, None);
    }

    #[test]
    fn weekend_becomes_the_weeks_we_value() {
        assert_eq!(
            date_value("am Wochenende", today(), Lang::De).as_deref(),
            Some("2026-W48-WE")
        );
        assert_eq!(
            date_value("im Dezember", today(), Lang::De).as_deref(),
            Some("2026-12")
        );
        assert_eq!(
            date_value("tomorrow", today(), Lang::En).as_deref(),
            Some("2026-11-26")
        );
    }

    #[test]
    fn anything_else_is_a_search_query() {
        let u = sim().understand("Knöllchen bezahlen", Locale::DeDe, today());
        assert_eq!(u.intent.as_deref(), Some("QuestionIntent"));
    }
}
