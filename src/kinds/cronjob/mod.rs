//! CronJob (batch/v1): everything kubesim knows about the kind, in one place.

mod describe;
mod strategy;
mod table;

use super::{Kind, RW};

pub static KIND: Kind = Kind {
    kind: "CronJob",
    group: "batch",
    version: "v1",
    plural: "cronjobs",
    singular: "cronjob",
    short_names: &["cj"],
    namespaced: true,
    in_all: true,
    verbs: RW,
    table: table::TABLE,
    describer: describe::DESCRIBER,
    strategy: strategy::STRATEGY,
};
