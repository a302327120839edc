//! StorageClass (storage.k8s.io/v1): everything kubesim knows about the kind, in one place.

mod describe;
mod strategy;
mod table;

use super::{Kind, RW};

/// The kind's k8s-openapi type: what a manifest decodes into.
pub type Object = k8s_openapi::api::storage::v1::StorageClass;

/// The kind's name as the API spells it; a constant, so a `match` on a change's kind names
/// it by path and a typo does not compile.
pub const NAME: &str = "StorageClass";

pub static KIND: Kind = Kind {
    kind: NAME,
    group: "storage.k8s.io",
    version: "v1",
    plural: "storageclasses",
    singular: "storageclass",
    short_names: &["sc"],
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
