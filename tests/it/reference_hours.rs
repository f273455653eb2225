//! Differential test of opening hours: the real binary (`city-skill
//! hours`) against the OSM reference evaluator, opening_hours.js 3.15
//! (`tests/reference/hours.cjs`, installed by `tests/reference/install.sh`),
//! on expressions of the kinds cities write, at seeded instants across
//! 2026–2028, every Bavarian holiday, 24 and 31 December and both
//! daylight-saving weekends. State, next change, comment and holiday
//! named must agree, and the German and English answers must say them.

use std::io::Write as _;
use std::process::{Command, Stdio};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use city_skill::lang::Lang;
use city_skill::time::holidays::HolidayCalendar;
use city_skill::time::speak;
use serde_json::Value;

/// Expressions of the kinds OpenStreetMap and city web sites use.
const EXPRESSIONS: &[&str] = &[
    // Weekday ranges and lunch breaks.
    "Mo-Fr 08:00-16:00",
    "Mo-Fr 08:00-12:00,13:00-16:30; PH off",
    "Mo,We,Fr 07:30-13:00; Tu,Th 08:30-13:00,14:00-18:00; PH off; Dec 24,Dec 31 off",
    "Mo-Th 08:00-12:00,13:00-15:30; Fr 08:00-12:00",
    "Tu-Sa 10:00-18:00; Su,Mo off",
    "Mo-Fr 09:00-12:00; Tu,Th 14:00-18:00",
    "Mo 08:00-12:00; Tu 08:00-12:00, 14:00-18:00; We off; Th 08:00-12:00, 14:00-18:00; Fr 08:00-12:00",
    "Sa,Su 10:00-14:00; PH 10:00-14:00",
    // Overnight ranges and 24:00.
    "Mo-Fr 07:00-24:00",
    "Fr,Sa 18:00-02:00",
    "Mo-Su 22:00-06:00",
    "Mo-Sa 06:00-24:00; Su 00:00-02:00",
    "Th 20:00-03:00; PH off",
    // 24/7.
    "24/7",
    "24/7; PH off",
    "24/7; Dec 24-Dec 26 off",
    "Mo-Fr 00:00-24:00",
    // Months and dated ranges off.
    "Mo-Fr 08:00-12:00; Aug off",
    "Aug off",
    "Mo-Fr 09:00-15:00; Dec 25-Jan 01 off",
    "Dec 25-Jan 01 off",
    "Apr-Oct Mo-Su 09:00-19:00; Nov-Mar Mo-Su 10:00-16:00",
    "May-Sep Sa,Su 10:00-18:00",
    "Jan 01-Mar 15 off; Mo-Fr 10:00-12:00",
    "Mo-Fr 08:00-16:00; Jul 27-Aug 14 off; PH off",
    "2027 Jan 01-2027 Jun 30 Mo-Fr 08:00-12:00",
    // Nth weekdays.
    "Sa[1] 10:00-12:00",
    "Sa[1,3] 09:00-13:00; PH off",
    "Mo[-1] 14:00-18:00",
    "We[2] 17:00-19:00; Mo-Fr 08:00-12:00",
    // easter.
    "easter -2 days-easter +1 day off; Mo-Su 10:00-17:00",
    "easter 10:00-16:00",
    // Weeks.
    "week 01-26 Mo-Fr 08:00-12:00; week 27-53 Mo-Fr 08:00-16:00",
    "week 2-52/2 Th 15:00-18:00",
    // Public holidays.
    "Mo-Fr 08:00-18:00; PH 10:00-12:00",
    "PH off",
    "Mo-Su 08:00-20:00; PH off",
    "Mo-Fr 08:00-12:00; PH,Sa 09:00-11:00",
    // unknown and comments.
    "unknown",
    "Mo-Fr 08:00-12:00 \"nur mit Termin\"",
    "Mo-Fr 08:00-12:00; Sa unknown \"nach Vereinbarung\"",
    "\"nach Vereinbarung\"",
    "Mo-Fr 08:00-12:00 || \"nach Vereinbarung\"",
    "Mo-Fr 08:00-12:00; PH off || \"nach Vereinbarung\"",
    "Mo-Fr 08:00-12:00 || unknown",
    "Mo-Fr 08:00-12:00 || Sa 10:00-12:00",
    "Mo-Fr 10:00-16:00; We 10:00-12:00 \"nachmittags geschlossen\"",
    "closed",
];

/// Expressions with school holidays, which the skill refuses.
const SCHOOL: &[&str] = &[
    "Mo-Fr 08:00-16:00; SH Mo-Fr 10:00-12:00",
    "SH off; Mo-Fr 08:00-12:00",
];

/// Seeded instants per expression across 2026–2028.
const RANDOM_INSTANTS: usize = 60;

/// splitmix64: a fixed sequence, the same on every run.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn at(d: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    d.and_hms_opt(h, m, 0).unwrap()
}

/// The instants every expression is asked at (local time).
fn instants() -> Vec<NaiveDateTime> {
    let mut out = Vec::new();
    let start = at(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), 0, 0);
    let minutes = (3 * 365 + 1) * 24 * 60 / 5;
    let mut rng = Seeded(17);
    for _ in 0..RANDOM_INSTANTS {
        let t = start + Duration::minutes(5 * (rng.next() % minutes) as i64);
        // 02:xx does not exist (March) or happens twice (October) on a
        // change day; both evaluators have their own reading of it.
        if t.format("%m-%H").to_string().ends_with("-02") {
            continue;
        }
        out.push(t);
    }
    let munich = HolidayCalendar::munich();
    for year in 2026..=2028 {
        for (d, _) in munich.in_year(year) {
            out.extend([at(d, 10, 0), at(d, 20, 30)]);
        }
        for day in [24, 31] {
            let d = NaiveDate::from_ymd_opt(year, 12, day).unwrap();
            out.extend([at(d, 10, 0), at(d, 15, 0), at(d, 23, 45)]);
        }
        // The last Sundays of March and October: the weekends of the changes.
        for month in [3, 10] {
            let last = NaiveDate::from_ymd_opt(year, month, 31).unwrap();
            let sunday = last - Duration::days(i64::from(last.weekday().num_days_from_sunday()));
            let sat = sunday - Duration::days(1);
            let mon = sunday + Duration::days(1);
            out.extend([
                at(sat, 10, 0),
                at(sat, 23, 30),
                at(sunday, 1, 30),
                at(sunday, 3, 30),
                at(sunday, 10, 0),
                at(mon, 7, 45),
            ]);
        }
    }
    out
}

fn queries(exprs: &[&str], times: &[NaiveDateTime]) -> Vec<String> {
    exprs
        .iter()
        .flat_map(|e| {
            times.iter().map(move |t| {
                serde_json::json!({ "expr": e, "at": t.format("%Y-%m-%dT%H:%M").to_string() })
                    .to_string()
            })
        })
        .collect()
}

/// Feeds `lines` to a command's stdin, one JSON answer per line back.
fn run_lines(mut cmd: Command, lines: &[String]) -> Vec<Value> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let mut stdin = child.stdin.take().unwrap();
    let input = lines.join("\n") + "\n";
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "{cmd:?} failed");
    let answers: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        answers.len(),
        lines.len(),
        "{cmd:?} answered {} of {} lines",
        answers.len(),
        lines.len()
    );
    answers
}

/// The installed opening_hours.js package (tests/reference/install.sh).
fn oh_js_dir() -> std::path::PathBuf {
    let dir = std::env::var_os("OH_JS_DIR").map_or_else(
        || {
            crate::helpers::install_references();
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/reference/node_modules/opening_hours")
        },
        Into::into,
    );
    assert!(
        dir.join("build/opening_hours.js").is_file(),
        "opening_hours.js is not installed at {}: its installation failed",
        dir.display()
    );
    dir
}

/// opening_hours.js's answers; `published`: without removing 8 August.
fn reference(lines: &[String], published: bool) -> Vec<Value> {
    let mut cmd = Command::new("node");
    cmd.arg(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/hours.cjs"
    ))
    .env("TZ", "Europe/Berlin")
    .env("OH_JS_DIR", oh_js_dir());
    if published {
        cmd.arg("--keep-augsburg");
    }
    run_lines(cmd, lines)
}

/// The skill's answers, with `args` after `hours`.
fn ours(lines: &[String], args: &[&str]) -> Vec<Value> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_city-skill"));
    cmd.arg("hours").args(args);
    run_lines(cmd, lines)
}

/// opening_hours.js's holiday names, as the skill says them in German.
fn holiday_de(js: &str) -> Option<&'static str> {
    Some(match js {
        "Neujahr" => "Neujahr",
        "Heilige Drei Könige" => "Heilige Drei Könige",
        "Karfreitag" => "Karfreitag",
        "Ostermontag" => "Ostermontag",
        "Maifeiertag" => "Tag der Arbeit",
        "Christi Himmelfahrt" => "Christi Himmelfahrt",
        "Pfingstmontag" => "Pfingstmontag",
        "Fronleichnam" => "Fronleichnam",
        "Augsburger Friedensfest" => "Augsburger Friedensfest",
        "Mariä Himmelfahrt" => "Mariä Himmelfahrt",
        "Tag der Deutschen Einheit" => "Tag der Deutschen Einheit",
        "Allerheiligen" => "Allerheiligen",
        "1. Weihnachtstag" => "der erste Weihnachtsfeiertag",
        "2. Weihnachtstag" => "der zweite Weihnachtsfeiertag",
        _ => return None,
    })
}

fn local(v: &Value) -> Option<NaiveDateTime> {
    v.as_str()
        .map(|s| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap())
}

/// What differs between our answer and the reference's for one query,
/// and whether our spoken answers say what our evaluation found.
fn differences(query: &str, ours: &Value, js: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut differ =
        |what: &str| out.push(format!("{query}: {what}\n  ours: {ours}\n  js:   {js}"));
    if let Some(e) = js.get("error").or(ours.get("error")) {
        differ(&format!("error {e}"));
        return out;
    }
    if ours["state"] != js["state"] {
        differ("state");
    }
    if ours["next"] != js["next"] {
        differ("next change");
    }
    let js_comment = js["comment"].as_str();
    let js_holiday = js_comment.and_then(holiday_de);
    let our_holiday = ours["holiday"]["de"].as_str();
    match (our_holiday, js_holiday) {
        (Some(a), Some(b)) if a == b => {}
        (None, Some(_)) if ours["quiet_holiday"] == true => {}
        (None, None) => {}
        _ => differ("holiday named"),
    }
    if js_holiday.is_none() && ours["comment"].as_str() != js_comment {
        differ("comment");
    }
    // The spoken answers say the state and the change found.
    let q: Value = serde_json::from_str(query).unwrap();
    let now = local(&q["at"]).unwrap();
    for (locale, lang) in [("de-DE", Lang::De), ("en-US", Lang::En)] {
        let said = ours["speech"][locale].as_str().unwrap_or_default();
        let mut must = Vec::new();
        match (
            ours["state"].as_str(),
            local(&ours["next"]),
            local(&ours["opens"]),
        ) {
            (Some("open"), Some(next), _) => must.push(speak::until(next, now, lang)),
            (Some("closed" | "unknown"), _, Some(opens)) => {
                must.push(speak::moment(opens, now, lang))
            }
            _ => {}
        }
        if let Some(h) = ours["holiday"][lang.code()].as_str() {
            must.push(h.to_string());
        }
        if let Some(c) = ours["comment"].as_str() {
            must.push(c.to_string());
        }
        for m in must.iter().filter(|m| !said.contains(m.as_str())) {
            differ(&format!("{locale} answer {said:?} does not say {m:?}"));
        }
    }
    out
}

fn all_differences(lines: &[String], ours: &[Value], js: &[Value]) -> Vec<String> {
    lines
        .iter()
        .zip(ours.iter().zip(js))
        .flat_map(|(q, (o, j))| differences(q, o, j))
        .collect()
}

#[test]
fn the_skill_agrees_with_opening_hours_js_on_every_expression_at_every_instant() {
    assert!(EXPRESSIONS.len() >= 40);
    let lines = queries(EXPRESSIONS, &instants());
    let (ours, js) = (ours(&lines, &[]), reference(&lines, false));
    let diff = all_differences(&lines, &ours, &js);
    eprintln!(
        "opening hours: {} expressions, {} checks, {} disagreements",
        EXPRESSIONS.len(),
        lines.len(),
        diff.len()
    );
    if let Some(path) = std::env::var_os("REFERENCE_DIFF_OUT") {
        std::fs::write(path, diff.join("\n")).unwrap();
    }
    assert!(
        diff.is_empty(),
        "{} of {} differ:\n{}",
        diff.len(),
        lines.len(),
        diff[..diff.len().min(20)].join("\n")
    );
}

#[test]
fn opening_hours_js_3_15_makes_8_august_a_holiday_in_all_of_bavaria_so_the_test_removes_it() {
    // 8 August 2026 is a Saturday; 2028, a Tuesday.
    let times = [
        at(NaiveDate::from_ymd_opt(2026, 8, 8).unwrap(), 10, 0),
        at(NaiveDate::from_ymd_opt(2028, 8, 8).unwrap(), 10, 0),
    ];
    let lines = queries(&["Mo-Su 08:00-20:00; PH off"], &times);
    let published = reference(&lines, true);
    assert!(
        published
            .iter()
            .all(|a| a["comment"] == "Augsburger Friedensfest"),
        "{published:?}"
    );
    // The skill in Munich is open; in Augsburg it agrees with 3.15 as published.
    let munich = ours(&lines, &[]);
    assert!(munich.iter().all(|a| a["state"] == "open"), "{munich:?}");
    assert_eq!(
        all_differences(
            &lines,
            &ours(&lines, &["--municipality", "Augsburg"]),
            &published
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        all_differences(&lines, &munich, &reference(&lines, false)),
        Vec::<String>::new()
    );
}

#[test]
fn a_planted_error_in_the_holidays_makes_the_differential_test_fail_on_15_august() {
    // The planted error: the skill evaluated as if Munich kept no Mariä
    // Himmelfahrt (a real option for Protestant municipalities).
    let lines = queries(EXPRESSIONS, &instants());
    let diff = all_differences(
        &lines,
        &ours(&lines, &["--no-assumption-day"]),
        &reference(&lines, false),
    );
    assert!(!diff.is_empty());
    assert!(
        diff.iter()
            .all(|d| d.contains("-08-15T") || d.contains("next change")),
        "{}",
        diff.join("\n")
    );
    assert!(diff.iter().any(|d| d.contains("-08-15T")));
}

#[test]
fn school_holidays_are_refused_where_opening_hours_js_would_apply_them() {
    // Sommerferien 2026: 3 August to 14 September (opening_hours.js's data).
    let lines = queries(
        SCHOOL,
        &[at(NaiveDate::from_ymd_opt(2026, 8, 4).unwrap(), 14, 0)],
    );
    let js = reference(&lines, false);
    assert_eq!(js[0]["state"], "closed", "{js:?}");
    for a in ours(&lines, &[]) {
        let e = a["error"].as_str().unwrap_or_default();
        assert!(e.contains("school holidays (SH)"), "{a}");
    }
}
