//! PersistentVolume (core/v1): everything kubesim knows about the kind, in one place.

mod describe;
mod strategy;
mod table;

use super::{Kind, RW};

pub static KIND: Kind = Kind {
    kind: "PersistentVolume",
    group: "",
    version: "v1",
    plural: "persistentvolumes",
    singular: "persistentvolume",
    short_names: &["pv"],
    namespaced: false,
    in_all: false,
    verbs: RW,
    table: table::TABLE,
    describer: describe::DESCRIBER,
    strategy: strategy::STRATEGY,
};
