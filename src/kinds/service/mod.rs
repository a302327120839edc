//! Service (core/v1): everything kubesim knows about the kind, in one place.

mod describe;
pub(crate) use describe::format_endpoints;
mod strategy;
mod table;

use super::{Kind, RW};

/// The kind's k8s-openapi type: what a manifest decodes into.
pub type Object = k8s_openapi::api::core::v1::Service;

/// The kind's name as the API spells it; a constant, so a `match` on a change's kind names
/// it by path and a typo does not compile.
pub const NAME: &str = "Service";

pub static KIND: Kind = Kind {
    kind: NAME,
    group: "",
    version: "v1",
    plural: "services",
    singular: "service",
    short_names: &["svc"],
    namespaced: true,
    in_all: true,
    verbs: RW,
    table: table::TABLE,
    describer: describe::DESCRIBER,
    go_zero_fields: Some(super::common::client::service),
    strategy: strategy::STRATEGY,
    decode: super::typed::decode_as::<Object>,
    base64_field: None,
};
