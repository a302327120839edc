//! DaemonSet (apps/v1): everything kubesim knows about the kind, in one place.

mod describe;
mod strategy;
mod table;

use super::{Kind, RW};

pub static KIND: Kind = Kind {
    kind: "DaemonSet",
    group: "apps",
    version: "v1",
    plural: "daemonsets",
    singular: "daemonset",
    short_names: &["ds"],
    namespaced: true,
    in_all: true,
    verbs: RW,
    table: table::TABLE,
    describer: describe::DESCRIBER,
    strategy: strategy::STRATEGY,
};
