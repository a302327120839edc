//! IngressClass (networking.k8s.io/v1, cluster-scoped): everything kubesim knows about the
//! kind, in one place. No ingress controller runs to claim one.

mod describe;
mod strategy;
mod table;

use super::{Kind, RW};

/// The kind's k8s-openapi type: what a manifest decodes into.
pub type Object = k8s_openapi::api::networking::v1::IngressClass;

/// The kind's name as the API spells it.
pub const NAME: &str = "IngressClass";

pub static KIND: Kind = Kind {
    kind: NAME,
    group: "networking.k8s.io",
    version: "v1",
    plural: "ingressclasses",
    singular: "ingressclass",
    short_names: &[],
    namespaced: false,
    in_all: false,
    verbs: RW,
    table: table::TABLE,
    describer: describe::DESCRIBER,
    go_zero_fields: None,
    strategy: strategy::STRATEGY,
    decode: super::typed::decode_as::<Object>,
    base64_field: None,
};
