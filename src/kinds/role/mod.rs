//! Role (rbac.authorization.k8s.io/v1): everything kubesim knows about the kind, in one place.
//! The policy-rule pieces ClusterRole shares (validation, the describer's rule table) are
//! here too.

pub(crate) mod describe;
pub(crate) mod strategy;
mod table;

pub(crate) use table::row as table_row;

use super::{Kind, RW};

/// The kind's k8s-openapi type: what a manifest decodes into.
pub type Object = k8s_openapi::api::rbac::v1::Role;

/// The kind's name as the API spells it.
pub const NAME: &str = "Role";

/// The API group of the RBAC kinds (`rbac.GroupName`).
pub const GROUP: &str = "rbac.authorization.k8s.io";

pub static KIND: Kind = Kind {
    kind: NAME,
    group: GROUP,
    version: "v1",
    plural: "roles",
    singular: "role",
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
