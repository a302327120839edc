//! RoleBinding (rbac.authorization.k8s.io/v1): everything kubesim knows about the kind. The
//! binding pieces ClusterRoleBinding shares (defaults, subject validation, table, describer)
//! are here too.

pub(crate) mod describe;
pub(crate) mod strategy;
pub(crate) mod table;

use super::role::GROUP;
use super::{Kind, RW};

/// The kind's k8s-openapi type: what a manifest decodes into.
pub type Object = k8s_openapi::api::rbac::v1::RoleBinding;

/// The kind's name as the API spells it.
pub const NAME: &str = "RoleBinding";

pub static KIND: Kind = Kind {
    kind: NAME,
    group: GROUP,
    version: "v1",
    plural: "rolebindings",
    singular: "rolebinding",
    short_names: &[],
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
