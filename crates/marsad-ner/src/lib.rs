//! Arabic named-entity recognition for marsad: a trainable sequence tagger (PER, LOC, ORG, MISC)
//! over the tokens of `marsad-text`.
#![deny(missing_docs)]

use serde::{Deserialize, Serialize};

/// The type of a named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityType {
    /// A person.
    #[serde(rename = "PER")]
    Per,
    /// A place (geo-political entity or location).
    #[serde(rename = "LOC")]
    Loc,
    /// An organization.
    #[serde(rename = "ORG")]
    Org,
    /// Any other name.
    #[serde(rename = "MISC")]
    Misc,
}

/// One entity mention in a document, with its byte span in the original text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// First byte in the original text.
    pub start: usize,
    /// One past the last byte in the original text.
    pub end: usize,
    /// The mention as written.
    pub text: String,
    /// The entity type.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// The canonical entity this mention refers to, when the hand-kept list knows it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub entity_id: Option<String>,
    /// The entity's English name, when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name_en: Option<String>,
}
