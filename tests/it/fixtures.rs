//! Every request type and built-in intent, as a real Alexa envelope, in
//! German and English: the response is valid and says what it should.

use city_skill::alexa::{CanFulfill, ResponseEnvelope};

use crate::helpers::{
    assert_valid_response, fixture, skill, speech, wednesday_morning, with_locale,
};

fn answer(name: &str, locale: &str) -> ResponseEnvelope {
    let request = with_locale(fixture(name), locale);
    let response = skill()
        .handle_json(&request, wednesday_morning())
        .unwrap_or_else(|e| panic!("{name} ({locale}) refused: {e}"));
    assert_valid_response(&response);
    response
}

fn both(name: &str) -> [(ResponseEnvelope, &'static str); 2] {
    [(answer(name, "de-DE"), "de"), (answer(name, "en-US"), "en")]
}

fn says(r: &ResponseEnvelope, de_or_en: &str, de: &str, en: &str) {
    let s = speech(r);
    let want = if de_or_en == "de" { de } else { en };
    assert!(
        s.to_lowercase().contains(&want.to_lowercase()),
        "expected {want:?} in {s:?}"
    );
}

#[test]
fn launch_welcomes_gives_examples_and_asks() {
    for (r, l) in both("launch.json") {
        says(&r, l, "Willkommen", "Welcome");
        says(&r, l, "zum Beispiel", "for example");
        assert!(speech(&r).trim_end().ends_with('?'));
        assert_eq!(r.response.should_end_session, Some(false));
    }
}

#[test]
fn office_hours_says_whether_the_resolved_office_is_open_now_and_shows_the_week() {
    // Wednesday 10:00 in Munich.
    for (r, l) in both("office_hours.json") {
        says(
            &r,
            l,
            "Bürgerbüro Ruppertstraße hat jetzt geöffnet, heute bis 13 Uhr",
            "Ruppertstraße is open now, until 1 p.m. today",
        );
        says(
            &r,
            l,
            "Stand der Öffnungszeiten: Juli 2019",
            "These hours are as of July 2019",
        );
        assert!(r
            .response
            .card
            .as_ref()
            .is_some_and(|c| c.body().contains("08:30–13:00, 14:00–18:00")));
        // Open for a follow-up ("und wo ist das?"), with a reprompt.
        assert_eq!(r.response.should_end_session, Some(false));
        assert!(r.response.reprompt.is_some());
        assert!(r.session_attributes.contains_key("office"));
    }
}

#[test]
fn office_slot_without_resolution_is_matched_by_its_raw_value() {
    for (r, l) in both("office_hours_raw_value.json") {
        says(&r, l, "Fundbüro", "Lost Property Office");
    }
}

#[test]
fn missing_office_slot_asks_which_office() {
    for (r, l) in both("office_hours_slot_missing.json") {
        says(&r, l, "Welches Amt", "Which office");
        assert_eq!(r.response.should_end_session, Some(false));
    }
}

#[test]
fn office_address_gives_street_and_house_number() {
    for (r, l) in both("office_address.json") {
        says(&r, l, "Implerstraße 11", "Implerstraße 11");
    }
}

#[test]
fn office_phone_is_spoken_as_a_telephone_number() {
    for (r, _) in both("office_phone.json") {
        let json = serde_json::to_string(&r).unwrap();
        assert!(
            json.contains("<say-as interpret-as=\\\"telephone\\\">089 233-96000</say-as>"),
            "{json}"
        );
        assert!(r
            .response
            .card
            .as_ref()
            .is_some_and(|c| c.body().contains("089 233-96000")));
    }
}

#[test]
fn question_is_answered_from_the_faq() {
    for (r, l) in both("question.json") {
        says(&r, l, "Reisepass", "passport");
        assert!(r.response.card.is_some());
    }
}

#[test]
fn unknown_question_admits_it_and_names_115() {
    for (r, l) in both("question_unknown.json") {
        says(&r, l, "weiß ich leider nicht", "don't know");
        assert!(speech(&r).contains("115"));
    }
}

#[test]
fn events_this_weekend_lists_at_most_three_and_offers_more() {
    for (r, l) in both("events.json") {
        says(&r, l, "am Wochenende", "this weekend");
        assert!(r.response.card.is_some());
    }
}

#[test]
fn an_event_by_name_says_when_it_is_and_shows_a_card() {
    // Wednesday 25 November 2026: the Wiesn is next in 2027.
    for (r, l) in both("event_info.json") {
        says(&r, l, "Oktoberfest", "Oktoberfest");
        says(&r, l, "2027", "2027");
        assert!(r.response.card.is_some());
    }
}

#[test]
fn help_explains_and_ends_with_a_question() {
    for (r, l) in both("help.json") {
        says(&r, l, "Öffnungszeiten", "opening hours");
        assert!(speech(&r).trim_end().ends_with('?'));
        assert_eq!(r.response.should_end_session, Some(false));
    }
}

#[test]
fn stop_and_cancel_say_goodbye_and_end_the_session() {
    for name in ["stop.json", "cancel.json"] {
        for (r, l) in both(name) {
            says(&r, l, "Tschüss", "Goodbye");
            assert_eq!(r.response.should_end_session, Some(true));
        }
    }
}

#[test]
fn fallback_says_it_did_not_understand_and_asks_again() {
    for (r, l) in both("fallback.json") {
        says(&r, l, "nicht verstanden", "didn't get that");
        assert_eq!(r.response.should_end_session, Some(false));
    }
}

#[test]
fn navigate_home_goes_back_to_the_start() {
    for (r, _) in both("navigate_home.json") {
        assert_eq!(r.response.should_end_session, Some(false));
    }
}

#[test]
fn yes_and_no_without_context_keep_the_conversation_sensible() {
    for (r, _) in both("yes.json") {
        assert_eq!(r.response.should_end_session, Some(false));
    }
    for (r, l) in both("no.json") {
        says(&r, l, "Tschüss", "Goodbye");
    }
}

#[test]
fn unknown_intent_gets_a_polite_answer() {
    for (r, l) in both("unknown_intent.json") {
        says(&r, l, "leider", "Sorry");
        assert_eq!(r.response.should_end_session, Some(false));
    }
}

#[test]
fn unknown_request_types_get_a_harmless_reply() {
    for name in ["unknown_type.json", "session_resumed.json"] {
        for (r, _) in both(name) {
            assert!(r.response.output_speech.is_some());
        }
    }
}

#[test]
fn session_ended_and_exception_get_an_empty_response() {
    for name in [
        "session_ended.json",
        "session_ended_error.json",
        "exception_encountered.json",
    ] {
        for (r, _) in both(name) {
            assert!(r.response.output_speech.is_none(), "{name}");
            assert!(r.response.should_end_session.is_none(), "{name}");
        }
    }
}

#[test]
fn can_fulfill_says_yes_for_a_known_office_without_speech() {
    for (r, _) in both("can_fulfill.json") {
        let c = r
            .response
            .can_fulfill_intent
            .as_ref()
            .expect("canFulfillIntent");
        assert_eq!(c.can_fulfill, CanFulfill::Yes);
        assert!(r.response.output_speech.is_none());
    }
}

#[test]
fn can_fulfill_says_yes_for_a_known_event_and_its_slot() {
    for (r, _) in both("can_fulfill_event.json") {
        let c = r
            .response
            .can_fulfill_intent
            .as_ref()
            .expect("canFulfillIntent");
        assert_eq!(c.can_fulfill, CanFulfill::Yes);
        let json = serde_json::to_value(c).unwrap();
        assert_eq!(json["slots"]["event"]["canUnderstand"], "YES", "{json}");
        assert!(r.response.output_speech.is_none());
    }
}

#[test]
fn can_fulfill_says_no_for_an_event_the_city_does_not_know() {
    let mut request = fixture("can_fulfill_event.json");
    request["request"]["intent"]["slots"]["event"] =
        serde_json::json!({ "name": "event", "value": "mondlandung" });
    let r = skill().handle_json(&request, wednesday_morning()).unwrap();
    let c = r.response.can_fulfill_intent.expect("canFulfillIntent");
    assert_eq!(c.can_fulfill, CanFulfill::No);
}

#[test]
fn can_fulfill_says_no_for_a_question_outside_the_city() {
    for (r, _) in both("can_fulfill_unknown.json") {
        let c = r
            .response
            .can_fulfill_intent
            .as_ref()
            .expect("canFulfillIntent");
        assert_eq!(c.can_fulfill, CanFulfill::No);
    }
}

#[test]
fn missing_locale_falls_back_to_english() {
    let mut request = fixture("help.json");
    request["request"].as_object_mut().unwrap().remove("locale");
    let r = skill().handle_json(&request, wednesday_morning()).unwrap();
    assert!(speech(&r).contains("opening hours"));
}

#[test]
fn british_english_is_answered_in_english() {
    let r = answer("help.json", "en-GB");
    assert!(speech(&r).contains("opening hours"));
}

#[test]
fn every_fixture_round_trips_through_the_response_types() {
    for name in [
        "launch.json",
        "office_hours.json",
        "events.json",
        "event_info.json",
        "can_fulfill.json",
    ] {
        let r = answer(name, "de-DE");
        let json = serde_json::to_value(&r).unwrap();
        let back: ResponseEnvelope = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
    }
}

#[test]
fn german_answers_contain_no_english_sentences() {
    for name in [
        "launch.json",
        "office_hours.json",
        "help.json",
        "question_unknown.json",
        "events.json",
        "event_info.json",
        "fallback.json",
    ] {
        let s = speech(&answer(name, "de-DE")).to_lowercase();
        for word in [" the ", " is ", " you ", " open ", " sorry", " and "] {
            assert!(!s.contains(word), "{name}: English {word:?} in {s:?}");
        }
    }
}
