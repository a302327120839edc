//! StorageClass (storage.k8s.io/v1): everything kubesim knows about the kind, in one place.

mod describe;
mod strategy;
mod table;

use super::{Kind, RW};

pub static KIND: Kind = Kind {
    kind: "StorageClass",
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
    strategy: strategy::STRATEGY,
};
