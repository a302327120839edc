//! ClusterRole (rbac.authorization.k8s.io/v1): everything kubesim knows about the kind.

mod describe;
mod strategy;
mod table;

use super::role::GROUP;
use super::{Kind, RW};

/// The kind's k8s-openapi type: what a manifest decodes into.
pub type Object = k8s_openapi::api::rbac::v1::ClusterRole;

/// The kind's name as the API spells it.
pub const NAME: &str = "ClusterRole";

pub static KIND: Kind = Kind {
    kind: NAME,
    group: GROUP,
    version: "v1",
    plural: "clusterroles",
    singular: "clusterrole",
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
