//! NetworkPolicy (networking.k8s.io/v1): everything kubesim knows about the kind, in one
//! place. Stored, validated, listed and described as 1.33 does; nothing enforces it (kind's
//! kindnet does not implement network policies either).

mod describe;
mod strategy;
mod table;

use super::{Kind, RW};

/// The kind's k8s-openapi type: what a manifest decodes into.
pub type Object = k8s_openapi::api::networking::v1::NetworkPolicy;

/// The kind's name as the API spells it.
pub const NAME: &str = "NetworkPolicy";

pub static KIND: Kind = Kind {
    kind: NAME,
    group: "networking.k8s.io",
    version: "v1",
    plural: "networkpolicies",
    singular: "networkpolicy",
    short_names: &["netpol"],
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
