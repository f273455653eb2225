//! The try page in a real browser: Debian's headless chromium, driven
//! through chromedriver (W3C WebDriver) against the real binary
//! (`city-skill try --port 0`) on 127.0.0.1. A citizen asks in German, asks
//! a follow-up, switches to English, rates an answer, types markup, uses
//! only the keyboard; an oversized post is refused and the page goes on;
//! the console stays free of errors (a policy violation would show there).
//!
//! Without chromium and chromedriver these tests say so loudly and pass;
//! with `CITY_SKILL_REQUIRE_BROWSER=1` (set by `.ci/run`) they fail instead.

use std::sync::{Mutex, MutexGuard};

use serde_json::json;

use crate::server::Server;
use crate::webdriver::{tools, Browser, ENTER, TAB};

/// The Shift key of W3C WebDriver.
const SHIFT: &str = "\u{E008}";

/// One browser at a time: two chromiums on two shared cores would make
/// every test slow.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The page on a fresh `try` server in a fresh browser, or `None` (after
/// a loud message) when chromium is not installed and not required.
struct Session {
    browser: Browser,
    server: Server,
    url: String,
    _turn: MutexGuard<'static, ()>,
}

fn session_with(env: &[(&str, &str)]) -> Option<Session> {
    let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (chromium, driver) = match tools() {
        Ok(t) => t,
        Err(why) => {
            assert!(
                std::env::var("CITY_SKILL_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "CITY_SKILL_REQUIRE_BROWSER=1 but {why}"
            );
            eprintln!("\n!!! SKIPPED browser test: {why}\n");
            return None;
        }
    };
    let server = Server::start_command(&["try", "--port", "0"], env);
    let url = format!("http://{}/", server.addr);
    let browser = Browser::start(&chromium, &driver);
    Some(Session {
        browser,
        server,
        url,
        _turn: turn,
    })
}

fn session() -> Option<Session> {
    session_with(&[])
}

impl Session {
    fn open(&self) {
        self.browser.goto(&self.url);
        self.browser
            .wait_for("document.readyState === 'complete' && document.getElementById('question')");
    }

    /// Types `question` into the question field and presses Enter; waits
    /// for the answer and returns its text.
    fn ask(&self, question: &str) -> String {
        let before = self.answers();
        let input = self.browser.find("#question");
        self.browser
            .type_into(&input, &format!("{question}{ENTER}"));
        self.wait_for_answer(before)
    }

    fn answers(&self) -> u64 {
        self.browser
            .js(
                "return document.querySelectorAll('#log .a').length;",
                json!([]),
            )
            .as_u64()
            .unwrap_or(0)
    }

    fn wait_for_answer(&self, before: u64) -> String {
        self.browser.wait_for(&format!(
            "document.querySelectorAll('#log .a').length > {before}"
        ));
        self.browser
            .js(
                "var a = document.querySelectorAll('#log .a'); return a[a.length - 1].textContent;",
                json!([]),
            )
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The id (or tag) of the focused element.
    fn focused(&self) -> String {
        self.browser
            .js(
                "var e = document.activeElement; return e.id || e.className || e.tagName;",
                json!([]),
            )
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Console messages at level SEVERE (errors), except those `expected`.
    fn console_errors(&self, expected: &[&str]) -> Vec<String> {
        self.browser
            .console()
            .into_iter()
            .filter(|(level, _)| level == "SEVERE")
            .map(|(_, m)| m)
            .filter(|m| !expected.iter().any(|e| m.contains(e)))
            .collect()
    }

    fn assert_no_console_errors(&self) {
        let errors = self.console_errors(&[]);
        assert!(errors.is_empty(), "console errors: {errors:#?}");
    }
}

#[test]
fn page_answers_in_german_and_a_follow_up_in_the_same_session() {
    let Some(s) = session() else { return };
    s.open();
    let first = s.ask("Wann hat das Bürgerbüro Pasing offen?");
    assert!(first.contains("Pasing"), "{first}");
    let card = s.browser.js(
        "return document.querySelector('#log .card h3').textContent;",
        json!([]),
    );
    assert_eq!(card, "Bürgerbüro Pasing");
    let follow_up = s.ask("und wo ist das?");
    assert!(follow_up.contains("Landsberger Straße"), "{follow_up}");
    s.assert_no_console_errors();
}

#[test]
fn page_switches_to_english_labels_and_answers_in_english() {
    let Some(s) = session() else { return };
    s.open();
    s.browser.js(
        "var l = document.getElementById('locale'); l.value = 'en-US'; l.dispatchEvent(new Event('change'));",
        json!([]),
    );
    let label = s.browser.js(
        "return document.getElementById('question-label').textContent;",
        json!([]),
    );
    assert_eq!(label, "Question");
    let lang = s
        .browser
        .js("return document.documentElement.lang;", json!([]));
    assert_eq!(lang, "en");
    let answer = s.ask("where is the lost property office");
    assert!(answer.contains("Implerstraße"), "{answer}");
    let rate = s.browser.js(
        "return document.querySelector('.rate-yes').textContent;",
        json!([]),
    );
    assert_eq!(rate, "helpful");
    s.assert_no_console_errors();
}

#[test]
fn page_thanks_after_a_rating_and_the_rating_reaches_the_report() {
    let Some(s) = session_with(&[("CITY_SKILL_REPORT_UNANSWERED", "1")]) else {
        return;
    };
    s.open();
    s.ask("Wie beantrage ich einen Reisepass?");
    let expected = s.browser.find("#log .rate input");
    s.browser.type_into(&expected, "Die Gebühr");
    s.browser.click(&s.browser.find("#log .rate-no"));
    let thanks = s
        .browser
        .wait_for("document.querySelector('#log .thanks') && document.querySelector('#log .thanks').textContent");
    assert_eq!(thanks, "Danke!");
    assert_eq!(
        s.focused(),
        "thanks",
        "the thanks takes the focus, for screen readers"
    );
    s.assert_no_console_errors();
    let Session { server, .. } = s;
    let (logs, _) = server.stop();
    let rating = logs
        .lines()
        .find(|l| l.contains("\"message\":\"rating\""))
        .unwrap_or_else(|| panic!("no rating logged:\n{logs}"));
    assert!(
        rating.contains("\"helpful\":false") && rating.contains("die gebuehr"),
        "{rating}"
    );
}

#[test]
fn page_shows_typed_markup_as_text() {
    let Some(s) = session() else { return };
    s.open();
    let markup = "<img src=x onerror=alert(1)>";
    s.ask(markup);
    let shown = s.browser.js(
        "var q = document.querySelector('#log .q'); return q.lastChild.textContent;",
        json!([]),
    );
    assert_eq!(shown, markup);
    let images = s.browser.js(
        "return document.querySelectorAll('#log img').length;",
        json!([]),
    );
    assert_eq!(images, 0);
    s.assert_no_console_errors();
}

#[test]
fn page_keeps_answering_after_an_oversized_post_is_refused_with_413() {
    let Some(s) = session() else { return };
    s.open();
    let status = s.browser.js_async(
        "var done = arguments[arguments.length - 1];
         fetch('/api/ask', {method: 'POST', headers: {'Content-Type': 'application/json'},
                body: JSON.stringify({question: 'x'.repeat(20000)})})
           .then(function (r) { done(r.status); }, function (e) { done(String(e)); });",
        json!([]),
    );
    assert_eq!(status, 413);
    let answer = s.ask("Wann hat das Fundbüro offen?");
    assert!(answer.contains("Fundbüro"), "{answer}");
    let errors = s.console_errors(&["status of 413"]);
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

#[test]
fn console_errors_are_seen_by_these_tests() {
    let Some(s) = session() else { return };
    s.open();
    s.browser.js("console.error('probe 4711');", json!([]));
    let errors = s.console_errors(&[]);
    assert!(
        errors.iter().any(|e| e.contains("probe 4711")),
        "{errors:?}"
    );
}

#[test]
fn microphone_button_is_hidden_when_the_browser_has_no_speech_recognition() {
    let Some(s) = session() else { return };
    s.browser.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": "delete window.SpeechRecognition; delete window.webkitSpeechRecognition;"}),
    );
    s.open();
    let hidden = s
        .browser
        .js("return document.getElementById('mic').hidden;", json!([]));
    assert_eq!(hidden, true);
    s.assert_no_console_errors();
}

#[test]
fn microphone_button_is_offered_when_the_browser_has_speech_recognition() {
    let Some(s) = session() else { return };
    s.browser.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": "window.SpeechRecognition = function () {};"}),
    );
    s.open();
    let hidden = s
        .browser
        .js("return document.getElementById('mic').hidden;", json!([]));
    assert_eq!(hidden, false);
}

#[test]
fn page_works_by_keyboard_alone_in_a_sensible_tab_order() {
    let Some(s) = session() else { return };
    s.browser.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": "delete window.SpeechRecognition; delete window.webkitSpeechRecognition;"}),
    );
    s.open();
    let mut order = Vec::new();
    for _ in 0..4 {
        s.browser.press(TAB);
        order.push(s.focused());
    }
    assert_eq!(order, ["locale", "speak", "question", "send"]);
    // Back to the question, type, Enter: only keys.
    s.browser.press_with(SHIFT, TAB);
    assert_eq!(s.focused(), "question");
    let before = s.answers();
    s.browser.keys(&format!("Wo ist das Fundbüro?{ENTER}"));
    let answer = s.wait_for_answer(before);
    assert!(answer.contains("Implerstraße"), "{answer}");
    assert_eq!(
        s.focused(),
        "question",
        "the focus is back for the next question"
    );
    // Shift+Tab reaches the rating: the comment, then "nicht hilfreich".
    s.browser.press_with(SHIFT, TAB);
    s.browser.press_with(SHIFT, TAB);
    assert!(s.focused().contains("rate-no"), "{}", s.focused());
    s.browser.press(ENTER);
    s.browser
        .wait_for("document.querySelector('#log .thanks') !== null");
    s.assert_no_console_errors();
}

#[test]
fn screenshots_at_phone_and_desktop_width() {
    let Some(s) = session() else { return };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let docs = std::env::var("CITY_SKILL_UPDATE_SCREENSHOTS").as_deref() == Ok("1");
    for (name, width, height, mobile) in [("phone", 390, 844, true), ("desktop", 1280, 800, false)]
    {
        s.browser.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
        );
        s.open();
        s.ask("Wann hat das Bürgerbüro Pasing offen?");
        s.ask("und wo ist das?");
        s.browser.js("window.scrollTo(0, 0);", json!([]));
        let overflow = s.browser.js(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            json!([]),
        );
        assert_eq!(overflow, false, "the page is wider than the {name} screen");
        let png = s.browser.screenshot();
        assert_eq!(&png[1..4], b"PNG");
        let png_width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        assert_eq!(png_width, width, "{name}");
        let file = format!("try-page-{name}.png");
        std::fs::write(dir.join(&file), &png).unwrap();
        if docs {
            let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
            std::fs::create_dir_all(&docs).unwrap();
            std::fs::write(docs.join(&file), &png).unwrap();
        }
    }
    s.assert_no_console_errors();
}
