//! The phrases of Alexa's built-in intents: they have no samples in the
//! model, Alexa knows them; the simulator knows these.

/// Built-in intents have no samples in the model; Alexa knows their phrases.
pub(super) const BUILTINS: &[(&str, &[&str])] = &[
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
