//! The interaction model (ASK format, one JSON per locale): the part the
//! local simulator reads — invocation name, intents with samples and slots,
//! custom slot types.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `{ "interactionModel": { … } }`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelFile {
    /// The model.
    pub interaction_model: InteractionModel,
}

/// `interactionModel`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InteractionModel {
    /// The language model.
    pub language_model: LanguageModel,
    /// Dialog model, kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialog: Option<Value>,
    /// Prompts, kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompts: Option<Value>,
}

/// `languageModel`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LanguageModel {
    /// What users say to open the skill.
    pub invocation_name: String,
    /// Intents.
    #[serde(default)]
    pub intents: Vec<ModelIntent>,
    /// Custom slot types.
    #[serde(default)]
    pub types: Vec<SlotType>,
    /// Fallback sensitivity and more, kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_configuration: Option<Value>,
}

/// An intent of the model.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ModelIntent {
    /// Name, e.g. `OfficeHoursIntent`.
    pub name: String,
    /// Slots.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slots: Vec<ModelSlot>,
    /// Sample utterances with `{slot}` placeholders.
    #[serde(default)]
    pub samples: Vec<String>,
}

/// A slot of a model intent.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ModelSlot {
    /// Slot name.
    pub name: String,
    /// Slot type, e.g. `AMAZON.DATE` or a custom type.
    #[serde(rename = "type")]
    pub slot_type: String,
    /// Samples for eliciting the slot.
    #[serde(default)]
    pub samples: Vec<String>,
}

/// A custom slot type.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SlotType {
    /// Type name, e.g. `OFFICE`.
    pub name: String,
    /// Values with ids and synonyms.
    #[serde(default)]
    pub values: Vec<SlotTypeValue>,
}

/// One value of a custom slot type.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SlotTypeValue {
    /// The id entity resolution returns.
    #[serde(default)]
    pub id: Option<String>,
    /// Canonical name and synonyms.
    pub name: SlotValueName,
}

/// `name` of a slot type value.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SlotValueName {
    /// Canonical value.
    pub value: String,
    /// Other ways to say it.
    #[serde(default)]
    pub synonyms: Vec<String>,
}
