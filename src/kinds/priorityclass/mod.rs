//! PriorityClass (scheduling.k8s.io/v1): everything kubesim knows about the kind, in one place.

mod describe;
mod strategy;
mod table;

use super::{Kind, RW};

/// The kind's k8s-openapi type: what a manifest decodes into.
pub type Object = k8s_openapi::api::scheduling::v1::PriorityClass;

/// The kind's name as the API spells it; a constant, so a `match` on a change's kind names
/// it by path and a typo does not compile.
pub const NAME: &str = "PriorityClass";

/// `scheduling.HighestUserDefinablePriority`: the most a class not named `system-` may have.
pub const HIGHEST_USER_DEFINABLE_PRIORITY: i64 = 1_000_000_000;

/// `scheduling.SystemCriticalPriority`: `system-cluster-critical`'s value; `system-node-critical`
/// has 1000 more.
pub const SYSTEM_CRITICAL_PRIORITY: i64 = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;

/// The system classes the API server creates at bootstrap (pkg/apis/scheduling/helpers.go):
/// name, value, description.
pub const SYSTEM_PRIORITY_CLASSES: &[(&str, i64, &str)] = &[
    (
        "system-node-critical",
        SYSTEM_CRITICAL_PRIORITY + 1000,
        "Used for system critical pods that must not be moved from their current node.",
    ),
    (
        "system-cluster-critical",
        SYSTEM_CRITICAL_PRIORITY,
        "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
    ),
];

pub static KIND: Kind = Kind {
    kind: NAME,
    group: "scheduling.k8s.io",
    version: "v1",
    plural: "priorityclasses",
    singular: "priorityclass",
    short_names: &["pc"],
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
