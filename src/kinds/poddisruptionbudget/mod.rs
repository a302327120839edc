//! PodDisruptionBudget (policy/v1): everything kubesim knows about the kind, in one place.
//! No disruption controller runs: the status stays as the API server writes it on create
//! (all zero), so ALLOWED DISRUPTIONS reads 0.

mod describe;
mod strategy;
mod table;

use super::{Kind, RW};

/// The kind's k8s-openapi type: what a manifest decodes into.
pub type Object = k8s_openapi::api::policy::v1::PodDisruptionBudget;

/// The kind's name as the API spells it.
pub const NAME: &str = "PodDisruptionBudget";

pub static KIND: Kind = Kind {
    kind: NAME,
    group: "policy",
    version: "v1",
    plural: "poddisruptionbudgets",
    singular: "poddisruptionbudget",
    short_names: &["pdb"],
    namespaced: true,
    in_all: false,
    verbs: RW,
    table: table::TABLE,
    describer: describe::DESCRIBER,
    go_zero_fields: None,
    strategy: strategy::STRATEGY,
    decode: super::typed::decode_as::<Object>,
    base64_field: None,
};
