//! Pod (core/v1): everything kubesim knows about the kind, in one place.

mod describe;
mod strategy;
mod table;

use super::{Kind, RW};

pub static KIND: Kind = Kind {
    kind: "Pod",
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
    strategy: strategy::STRATEGY,
};
