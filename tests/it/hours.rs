//! "Hat das Bürgerbüro jetzt offen?" through the real binary at fixed
//! request times, on the default corpus: weekdays, the lunch break,
//! weekends, every Bavarian holiday that falls on an opening day in 2026
//! and 2027, 24 and 31 December, and both daylight-saving changes.
//!
//! The Bürgerbüro Ruppertstraße (hours as of July 2019):
//! Mo, We, Fr 07:30–13:00; Tu, Th 08:30–13:00 and 14:00–18:00; closed on
//! public holidays, 24 and 31 December.

const DE: &str = "Hat das Bürgerbüro Ruppertstraße jetzt offen?";
const EN: &str = "is the Buergerbuero Ruppertstrasse open now";

fn ask(locale: &str, question: &str, time: &str) -> String {
    crate::helpers::ask_line(locale, question, time)
}

/// (request time, what the German answer says, what the English one says).
const CASES: &[(&str, &str, &str)] = &[
    // An ordinary Wednesday morning, and after closing.
    ("2026-11-25T09:00:00+01:00", "hat jetzt geöffnet, heute bis 13 Uhr", "is open now, until 1 p.m. today"),
    ("2026-11-25T13:30:00+01:00", "hat gerade geschlossen. Es öffnet wieder morgen um halb neun", "is closed right now. It opens again tomorrow at 8:30 a.m."),
    // Tuesday lunch break, then the afternoon.
    ("2026-11-24T13:15:00+01:00", "hat gerade geschlossen. Es öffnet wieder heute um 14 Uhr", "It opens again today at 2 p.m."),
    ("2026-11-24T15:00:00+01:00", "hat jetzt geöffnet, heute bis 18 Uhr", "is open now, until 6 p.m. today"),
    // Before opening on a Monday.
    ("2026-11-23T06:45:00+01:00", "Es öffnet wieder heute um halb acht", "It opens again today at 7:30 a.m."),
    // Saturday and Sunday.
    ("2026-11-28T10:00:00+01:00", "Es öffnet wieder übermorgen um halb acht", "It opens again on Monday at 7:30 a.m."),
    ("2026-11-29T10:00:00+01:00", "Es öffnet wieder morgen um halb acht", "It opens again tomorrow at 7:30 a.m."),
    // 15 August on a Friday (2025), and the holidays on opening days in 2026 and 2027.
    ("2025-08-15T10:00:00+02:00", "Heute ist Mariä Himmelfahrt", "Today is Assumption Day"),
    ("2026-01-01T10:00:00+01:00", "Heute ist Neujahr", "Today is New Year's Day"),
    ("2026-01-06T10:00:00+01:00", "Heute ist Heilige Drei Könige", "Today is Epiphany"),
    ("2026-04-03T10:00:00+02:00", "Heute ist Karfreitag", "Today is Good Friday"),
    ("2026-04-06T10:00:00+02:00", "Heute ist Ostermontag", "Today is Easter Monday"),
    ("2026-05-01T10:00:00+02:00", "Heute ist Tag der Arbeit", "Today is Labour Day"),
    ("2026-05-14T10:00:00+02:00", "Heute ist Christi Himmelfahrt", "Today is Ascension Day"),
    ("2026-05-25T10:00:00+02:00", "Heute ist Pfingstmontag", "Today is Whit Monday"),
    ("2026-06-04T10:00:00+02:00", "Heute ist Fronleichnam", "Today is Corpus Christi"),
    ("2027-03-26T10:00:00+01:00", "Heute ist Karfreitag", "Today is Good Friday"),
    ("2027-03-29T10:00:00+02:00", "Heute ist Ostermontag", "Today is Easter Monday"),
    ("2027-05-06T10:00:00+02:00", "Heute ist Christi Himmelfahrt", "Today is Ascension Day"),
    ("2027-05-17T10:00:00+02:00", "Heute ist Pfingstmontag", "Today is Whit Monday"),
    ("2027-05-27T10:00:00+02:00", "Heute ist Fronleichnam", "Today is Corpus Christi"),
    ("2027-01-01T10:00:00+01:00", "Heute ist Neujahr", "Today is New Year's Day"),
    ("2027-01-06T10:00:00+01:00", "Heute ist Heilige Drei Könige", "Today is Epiphany"),
    ("2027-11-01T10:00:00+01:00", "Heute ist Allerheiligen", "Today is All Saints' Day"),
    ("2026-10-03T10:00:00+02:00", "hat gerade geschlossen", "is closed right now"), // a Saturday
    ("2025-10-03T10:00:00+02:00", "Heute ist Tag der Deutschen Einheit", "Today is German Unity Day"),
    ("2026-12-25T10:00:00+01:00", "Heute ist der erste Weihnachtsfeiertag", "Today is Christmas Day"),
    ("2026-12-26T10:00:00+01:00", "hat gerade geschlossen", "is closed right now"), // a Saturday
    ("2025-12-26T10:00:00+01:00", "Heute ist der zweite Weihnachtsfeiertag", "Today is Boxing Day"),
    // Holidays on days the office is closed anyway: no holiday to name.
    (
        "2026-08-15T10:00:00+02:00",
        "hat gerade geschlossen. Es öffnet wieder übermorgen um halb acht",
        "is closed right now. It opens again on Monday at 7:30 a.m.",
    ),
    (
        "2026-11-01T10:00:00+01:00",
        "hat gerade geschlossen. Es öffnet wieder morgen um halb acht",
        "is closed right now. It opens again tomorrow at 7:30 a.m.",
    ),
    (
        "2027-08-15T10:00:00+02:00",
        "hat gerade geschlossen. Es öffnet wieder morgen um halb acht",
        "It opens again tomorrow at 7:30 a.m.",
    ),
    // The office's own closing days.
    ("2026-12-24T10:00:00+01:00", "Heute ist Heiligabend, das Bürgerbüro Ruppertstraße hat geschlossen. Es öffnet wieder am Montag um halb acht", "Today is Christmas Eve"),
    ("2026-12-31T10:00:00+01:00", "Heute ist Silvester", "Today is New Year's Eve"),
    // Daylight saving: the Sunday of each change, and the Monday after, at
    // the same wall-clock time (UTC offsets differ).
    ("2026-03-29T03:30:00+02:00", "Es öffnet wieder morgen um halb acht", "It opens again tomorrow at 7:30 a.m."),
    ("2026-03-30T07:45:00+02:00", "hat jetzt geöffnet, heute bis 13 Uhr", "is open now, until 1 p.m. today"),
    ("2026-10-25T02:30:00+01:00", "Es öffnet wieder morgen um halb acht", "It opens again tomorrow at 7:30 a.m."),
    ("2026-10-26T07:45:00+01:00", "hat jetzt geöffnet, heute bis 13 Uhr", "is open now, until 1 p.m. today"),
    ("2026-10-26T06:45:00Z", "hat jetzt geöffnet", "is open now"),
    ("2026-03-30T05:15:00Z", "hat gerade geschlossen. Es öffnet wieder heute um halb acht", "It opens again today at 7:30 a.m."),
];

#[test]
fn open_now_answers_are_right_at_every_listed_moment_in_german() {
    let mut wrong = Vec::new();
    for (time, de, _) in CASES {
        let got = ask("de-DE", DE, time);
        if !got.contains(de) {
            wrong.push(format!("{time}: want {de:?}\n    got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn open_now_answers_are_right_at_every_listed_moment_in_english() {
    let mut wrong = Vec::new();
    for (time, _, en) in CASES {
        let got = ask("en-US", EN, time);
        if !got.contains(en) {
            wrong.push(format!("{time}: want {en:?}\n    got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_holiday_on_the_asked_day_is_named() {
    let got = ask(
        "de-DE",
        "wann hat das Bürgerbüro Ruppertstraße am Donnerstag offen",
        "2026-05-30T09:00:00+02:00",
    );
    assert!(
        got.starts_with(
            "Am Donnerstag ist Fronleichnam, da hat das Bürgerbüro Ruppertstraße geschlossen"
        ),
        "{got}"
    );
}

#[test]
fn hours_of_an_ordinary_asked_day_are_given() {
    let got = ask(
        "en-US",
        "when is the Buergerbuero Ruppertstrasse open on Tuesday",
        "2026-11-25T09:00:00+01:00",
    );
    assert!(
        got.contains("is open on Tuesday from 8:30 a.m. to 1 p.m. and from 2 p.m. to 6 p.m."),
        "{got}"
    );
}
