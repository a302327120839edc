//! LimitRange (core/v1): everything kubesim knows about the kind, in one place.

pub mod admission;
mod describe;
mod strategy;
mod table;

pub(crate) use describe::limit_range_rows;

use super::{Kind, RW};

/// The kind's k8s-openapi type: what a manifest decodes into.
pub type Object = k8s_openapi::api::core::v1::LimitRange;

/// The kind's name as the API spells it; a constant, so a `match` on a change's kind names
/// it by path and a typo does not compile.
pub const NAME: &str = "LimitRange";

pub static KIND: Kind = Kind {
    kind: NAME,
    group: "",
    version: "v1",
    plural: "limitranges",
    singular: "limitrange",
    short_names: &["limits"],
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
