//! Pod (core/v1): everything kubesim knows about the kind, in one place.

mod describe;
pub mod node_affinity;
mod strategy;
mod table;
pub mod toleration;

/// `GetPodQOS`, as the strategy computes it (admission computes it again after LimitRanger).
pub(crate) use strategy::qos_class;
pub use toleration::{tolerated, toleration_tolerates};

use super::{Kind, RW};

/// The kind's k8s-openapi type: what a manifest decodes into.
pub type Object = k8s_openapi::api::core::v1::Pod;

/// The kind's name as the API spells it; a constant, so a `match` on a change's kind names
/// it by path and a typo does not compile.
pub const NAME: &str = "Pod";

pub static KIND: Kind = Kind {
    kind: NAME,
    group: "",
    version: "v1",
    plural: "pods",
    singular: "pod",
    short_names: &["po"],
    namespaced: true,
    in_all: true,
    verbs: RW,
    table: table::TABLE,
    describer: describe::DESCRIBER,
    go_zero_fields: Some(super::common::client::pod),
    strategy: strategy::STRATEGY,
    decode: super::typed::decode_as::<Object>,
    base64_field: None,
};
