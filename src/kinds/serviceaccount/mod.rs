//! ServiceAccount (core/v1): everything kubesim knows about the kind, in one place.

mod describe;
mod strategy;
mod table;

use super::{Kind, RW};

pub static KIND: Kind = Kind {
    kind: "ServiceAccount",
    group: "",
    version: "v1",
    plural: "serviceaccounts",
    singular: "serviceaccount",
    short_names: &["sa"],
    namespaced: true,
    in_all: false,
    verbs: RW,
    table: table::TABLE,
    describer: describe::DESCRIBER,
    strategy: strategy::STRATEGY,
};
