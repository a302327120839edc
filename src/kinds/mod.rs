//! The kinds: one module per kind, each holding everything kubesim knows about it — its names
//! (what `kubectl api-resources` lists and how a resource argument resolves), its table
//! columns beside the function that fills them, its describer — in the shape of Kubernetes'
//! pkg/registry/<group>/<kind>, printers.go's `TableHandler(columns, printFunc)` and kubectl
//! describe's describer map. A kind is a value ([`Kind`], e.g. `&kinds::pod::KIND`), checked by
//! the compiler; [`KINDS`] registers them all.
//!
//! Adding a kind: a new module `src/kinds/<kind>/` with its `KIND` static, and one line in
//! [`KINDS`].

use jiff::Timestamp;
use serde_json::Value;

use crate::print::cells::Column;
use crate::print::describe::DescribeCtx;
use common::lookup::{Lookup, LookupError};

pub use field::FieldError;
pub use validation::{Errs, NameRule};

pub mod clusterrole;
pub mod clusterrolebinding;
pub mod common;
pub mod configmap;
pub mod controllerrevision;
pub mod cronjob;
pub mod daemonset;
pub mod defaulting;
pub mod deployment;
pub mod endpoints;
pub mod endpointslice;
pub mod event;
pub mod field;
pub mod horizontalpodautoscaler;
pub mod ingress;
pub mod ingressclass;
pub mod job;
pub mod lease;
pub mod limitrange;
pub mod namespace;
pub mod networkpolicy;
pub mod node;
pub mod persistentvolume;
pub mod persistentvolumeclaim;
pub mod pod;
pub mod poddisruptionbudget;
pub mod priorityclass;
pub mod replicaset;
pub mod replicationcontroller;
pub mod resourcequota;
pub mod role;
pub mod rolebinding;
pub mod schema;
pub mod secret;
pub mod service;
pub mod serviceaccount;
pub mod statefulset;
pub mod storageclass;
pub mod typed;
pub mod validation;

/// One served resource type: its names as discovery describes them, and what the printers
/// and verbs ask of it.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// `Deployment`
    pub kind: &'static str,
    /// `apps` (empty for the core group)
    pub group: &'static str,
    /// `v1`
    pub version: &'static str,
    /// `deployments`
    pub plural: &'static str,
    /// `deployment`
    pub singular: &'static str,
    pub short_names: &'static [&'static str],
    pub namespaced: bool,
    /// Member of the `all` category (`kubectl get all`).
    pub in_all: bool,
    /// Verbs column of `kubectl api-resources -o wide`.
    pub verbs: &'static [&'static str],
    /// `kubectl get`'s table for the kind.
    pub table: Table,
    /// `kubectl describe` for the kind.
    pub describer: Describer,
    /// Client-side printing quirk: the zero values Go's encoder adds to the kind's typed
    /// struct when kubectl prints it without the server (`status: {}`, `resources: {}`,
    /// `strategy: {}`; [`common::client`]); `None`: only `metadata.creationTimestamp: null`.
    pub go_zero_fields: Option<fn(&mut Value)>,
    /// What the API server does on writes (`strategy.go`).
    pub strategy: Strategy,
    /// Strict decoding into the kind's k8s-openapi type (`Object` in its module) and back.
    pub decode: typed::Decode,
    /// A field whose map values are base64 (`[]byte` in Go), re-encoded as Go decodes them:
    /// Secret `data`, ConfigMap `binaryData`.
    pub base64_field: Option<&'static str>,
}

/// Kinds are identified by their group and Kind name.
impl PartialEq for Kind {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.group == other.group
    }
}
impl Eq for Kind {}

/// The old name of [`Kind`], still used across the code.
pub type KindInfo = Kind;

/// A kind's `kubectl get` table, as printers.go's `TableHandler(columns, printFunc)`.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// The columns, wide ones included, in definition order.
    pub columns: &'static [Column],
    /// One cell per column for an object, at `now`; `wide` when printed with `-o wide`.
    pub row: fn(&Value, Timestamp, bool) -> Vec<String>,
    /// Which column gets the `<kind>/` prefix (not always the first: Event).
    pub name_column: usize,
}

/// A kind's `kubectl describe`, as kubectl's describer map holds it.
#[derive(Debug, Clone, Copy)]
pub struct Describer {
    /// The object, with its events and related objects, as kubectl prints it.
    pub print: fn(&Value, &DescribeCtx) -> String,
    /// The objects the describer shows alongside the object (a Deployment's ReplicaSets, a
    /// node's pods and Lease), fetched through `lookup`; they become `DescribeCtx::related`.
    pub related: fn(&Value, &mut dyn Lookup) -> Result<Vec<Value>, LookupError>,
    /// Events are also matched by their involvedObject's kind and name, not only its uid (a
    /// Node: the kubelet's events name the node).
    pub events_by_name: bool,
}

/// How the API server writes a kind, as its registry's `strategy.go`: every field is stated by
/// every kind (`None`/`false` where the kind has no such rule).
#[derive(Debug, Clone, Copy)]
pub struct Strategy {
    /// `status` is a subresource: a main-resource update keeps the stored status.
    pub status_subresource: bool,
    /// The kind carries `metadata.generation` (1 on create, bumped on spec changes).
    pub generation: bool,
    /// The format `metadata.name` (and `generateName`) must have.
    pub name_rule: NameRule,
    /// What a name that is a subdomain but not a DNS label is used in, for the 1.27+ warning
    /// (`this is used in Pod names and hostnames`); `None`: no warning.
    pub name_warning: Option<&'static str>,
    /// Defaulting (scheme defaulters, visible strategy and admission defaults), run on every
    /// create and update; `None`: the kind has no visible defaults.
    pub defaults: Option<fn(&mut Value)>,
    /// The kind's validation after the object metadata's (create: `old` is `None`);
    /// `None`: only the metadata is validated.
    pub validate: Option<fn(&mut Errs, &Value, Option<&Value>)>,
    /// `PrepareForCreate` given the new object's uid, after admission and before validation
    /// (the Job's generated selector).
    pub prepare_for_create: Option<fn(&mut Value, &str)>,
    /// `PrepareForUpdate`'s kind-specific part, given the new object and the stored one,
    /// after defaulting and before validation (the DaemonSet's template generation).
    pub prepare_for_update: Option<fn(&mut Value, &Value)>,
    /// `CheckGracefulDelete`: whether a delete with this grace period (the request's) is
    /// graceful; a kind with graceful deletion may also be force-deleted with grace 0.
    pub graceful_delete: Option<fn(&Value, Option<i64>) -> bool>,
    /// Deletion also waits for `spec.finalizers` and sets `status.phase: Terminating`
    /// (Namespace).
    pub spec_finalizers: bool,
}

/// [`Strategy::name_warning`] of the workloads whose name prefixes their pods' names.
pub(crate) const PODS_NAME_WARNING: &str = "this is used in Pod names and hostnames";

pub(crate) const RW: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// Every kind kubesim serves, in `kubectl api-resources` order (core group first, then groups
/// alphabetically, each sorted by plural).
pub static KINDS: &[&Kind] = &[
    &configmap::KIND,
    &endpoints::KIND,
    &event::KIND,
    &limitrange::KIND,
    &namespace::KIND,
    &node::KIND,
    &persistentvolumeclaim::KIND,
    &persistentvolume::KIND,
    &pod::KIND,
    &replicationcontroller::KIND,
    &resourcequota::KIND,
    &secret::KIND,
    &serviceaccount::KIND,
    &service::KIND,
    &controllerrevision::KIND,
    &daemonset::KIND,
    &deployment::KIND,
    &replicaset::KIND,
    &statefulset::KIND,
    &horizontalpodautoscaler::KIND,
    &cronjob::KIND,
    &job::KIND,
    &lease::KIND,
    &endpointslice::KIND,
    &ingressclass::KIND,
    &ingress::KIND,
    &networkpolicy::KIND,
    &poddisruptionbudget::KIND,
    &clusterrolebinding::KIND,
    &clusterrole::KIND,
    &rolebinding::KIND,
    &role::KIND,
    &priorityclass::KIND,
    &storageclass::KIND,
];

/// Order of the `all` category, as discovery lists it (and `kubectl get all` prints it).
pub static ALL_ORDER: &[&Kind] = &[
    &pod::KIND,
    &replicationcontroller::KIND,
    &service::KIND,
    &daemonset::KIND,
    &deployment::KIND,
    &replicaset::KIND,
    &statefulset::KIND,
    &horizontalpodautoscaler::KIND,
    &cronjob::KIND,
    &job::KIND,
];

impl Kind {
    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `deployments.apps` / `pods`: how the server names the resource in messages.
    pub fn resource(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// `deployment.apps` / `pod`: how kubectl names the type in `-o name` and operation lines.
    pub fn name_form(&self) -> String {
        let lower = self.kind.to_ascii_lowercase();
        if self.group.is_empty() {
            lower
        } else {
            format!("{lower}.{}", self.group)
        }
    }
}

impl Kind {
    /// Applies the kind's defaults to `obj` in place.
    pub fn apply_defaults(&self, obj: &mut Value) {
        defaulting::apply(self, obj);
    }

    /// Validates `obj` as this kind (`old`: the stored object on updates).
    pub fn validate(&self, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
        validation::validate(self, obj, old)
    }

    /// The warnings a valid `name` gets on create.
    pub fn name_warnings(&self, name: &str) -> Vec<String> {
        validation::name_warnings(self.strategy.name_warning, name)
    }
}

/// The kind with this exact Kind name (`Deployment`).
pub fn by_kind(kind: &str) -> Option<&'static Kind> {
    KINDS.iter().copied().find(|k| k.kind == kind)
}

/// The kind for an object's `apiVersion` and `kind`.
pub fn by_api_version_kind(api_version: &str, kind: &str) -> Option<&'static Kind> {
    KINDS
        .iter()
        .copied()
        .find(|k| k.kind == kind && k.api_version() == api_version)
}

/// Resolves a user's resource argument the way kubectl's RESTMapper does: plural, singular,
/// short name or Kind, case-insensitively, optionally qualified as `resource.group` or
/// `resource.version.group`. Returns `None` when nothing matches.
pub fn resolve(arg: &str) -> Option<&'static Kind> {
    let lower = arg.to_ascii_lowercase();
    let matches = |k: &Kind, name: &str| {
        k.plural == name
            || k.singular == name
            || k.kind.eq_ignore_ascii_case(name)
            || k.short_names.contains(&name)
    };
    // Unqualified first: `pods`, `po`, `Pod`.
    if let Some(k) = KINDS.iter().copied().find(|k| matches(k, &lower)) {
        return Some(k);
    }
    // `resource.group` or `resource.version.group`.
    let (name, rest) = lower.split_once('.')?;
    KINDS.iter().copied().find(|k| {
        if !matches(k, name) {
            return false;
        }
        if rest == k.group {
            return true;
        }
        match rest.split_once('.') {
            Some((v, g)) => v == k.version && g == k.group,
            None => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_every_form() {
        for arg in [
            "deploy",
            "deployment",
            "deployments",
            "Deployment",
            "DEPLOYMENTS",
            "deployment.apps",
            "deployments.apps",
            "deployment.v1.apps",
        ] {
            assert_eq!(resolve(arg).map(|k| k.kind), Some("Deployment"), "{arg}");
        }
        assert_eq!(resolve("po").map(|k| k.kind), Some("Pod"));
        assert_eq!(resolve("sc").map(|k| k.kind), Some("StorageClass"));
        assert_eq!(
            resolve("storageclasses.storage.k8s.io").map(|k| k.kind),
            Some("StorageClass")
        );
        assert_eq!(resolve("ev").map(|k| k.kind), Some("Event"));
        assert!(resolve("gizmos").is_none());
        assert!(resolve("deployment.batch").is_none());
        assert!(resolve("deployment.v2.apps").is_none());
    }

    /// A minimal object of `k` that its k8s-openapi type accepts (the fields Go requires).
    fn minimal(k: &Kind) -> Value {
        use crate::util::fields::Fields;
        let mut o = serde_json::json!({
            "apiVersion": k.api_version(),
            "kind": k.kind,
            "metadata": {"name": "x"},
        });
        let set = match k.kind {
            "ControllerRevision" => o.set("/revision", serde_json::json!(1)),
            "Event" => o.set("/involvedObject", serde_json::json!({})),
            "EndpointSlice" => o
                .set("/addressType", serde_json::json!("IPv4"))
                .and_then(|_| o.set("/endpoints", serde_json::json!([]))),
            "PriorityClass" => o.set("/value", serde_json::json!(0)),
            "RoleBinding" | "ClusterRoleBinding" => o.set(
                "/roleRef",
                serde_json::json!({"apiGroup": "", "kind": "", "name": ""}),
            ),
            "StorageClass" => o.set(
                "/provisioner",
                serde_json::json!("kubernetes.io/no-provisioner"),
            ),
            _ => Ok(None),
        };
        set.unwrap();
        o
    }

    /// The registry walk: every kind has its names, its table, a describer, its strategy (or
    /// says it has none) and a typed decode, and the kinds are in `kubectl api-resources` order.
    #[test]
    fn every_kind_is_complete() {
        let mut short_names = std::collections::BTreeSet::new();
        let now = jiff::Timestamp::UNIX_EPOCH;
        for k in KINDS {
            // Names.
            assert!(!k.plural.is_empty() && !k.singular.is_empty(), "{}", k.kind);
            assert_eq!(k.singular, k.kind.to_ascii_lowercase(), "{}", k.kind);
            assert_eq!(k.plural, k.plural.to_ascii_lowercase(), "{}", k.kind);
            assert!(!k.version.is_empty() && !k.verbs.is_empty(), "{}", k.kind);
            for s in k.short_names {
                assert_eq!(*s, s.to_ascii_lowercase(), "{}", k.kind);
                assert!(short_names.insert(*s), "short name {s} used twice");
            }
            for name in [k.plural, k.singular, k.kind]
                .into_iter()
                .chain(k.short_names.iter().copied())
            {
                assert_eq!(resolve(name), Some(*k), "{name}");
            }
            assert_eq!(by_kind(k.kind), Some(*k));
            assert_eq!(by_api_version_kind(&k.api_version(), k.kind), Some(*k));
            // The table: NAME first, except Event, whose name is its OBJECT column.
            let columns = k.table.columns;
            assert!(!columns.is_empty(), "{}", k.kind);
            assert!(k.table.name_column < columns.len(), "{}", k.kind);
            if k.kind != "Event" {
                assert_eq!(columns[0].header, "NAME", "{}", k.kind);
                assert_eq!(k.table.name_column, 0, "{}", k.kind);
            }
            // A typed decode that round-trips a minimal object, and a row for it.
            let obj = minimal(k);
            let mut unknown = Vec::new();
            let decoded =
                (k.decode)(&obj, &mut unknown).unwrap_or_else(|e| panic!("{}: {e:?}", k.kind));
            assert_eq!(decoded, obj, "{}", k.kind);
            assert!(unknown.is_empty(), "{}: {unknown:?}", k.kind);
            let mut unknown = Vec::new();
            let _ = (k.decode)(&serde_json::json!({"bogus": 1}), &mut unknown);
            assert_eq!(unknown, ["bogus"], "{}", k.kind);
            // One cell per column, wide ones included (the printer drops those it hides).
            for wide in [false, true] {
                let cells = (k.table.row)(&obj, now, wide).len();
                assert_eq!(cells, columns.len(), "{}", k.kind);
            }
            // Defaulting is idempotent, and the defaulted minimal object decodes still.
            let mut once = obj.clone();
            k.apply_defaults(&mut once);
            let mut twice = once.clone();
            k.apply_defaults(&mut twice);
            assert_eq!(once, twice, "{}", k.kind);
            assert!((k.decode)(&once, &mut Vec::new()).is_ok(), "{}", k.kind);
            // Status and generation: a kind with a generation has a status subresource.
            assert!(
                !k.strategy.generation || k.strategy.status_subresource,
                "{}",
                k.kind
            );
        }
        // The kinds that state they have no defaulting or no rules beyond their metadata.
        let without = |f: fn(&Kind) -> bool| -> Vec<&str> {
            KINDS.iter().filter(|k| f(k)).map(|k| k.kind).collect()
        };
        assert_eq!(
            without(|k| k.strategy.defaults.is_none()),
            [
                "ConfigMap",
                "Event",
                "ServiceAccount",
                "ControllerRevision",
                "Ingress",
                "PodDisruptionBudget",
                "ClusterRole",
                "Role"
            ]
        );
        assert_eq!(
            without(|k| k.strategy.validate.is_none()),
            [
                "Endpoints",
                "Event",
                "LimitRange",
                "Namespace",
                "Node",
                "ServiceAccount",
                "ControllerRevision"
            ]
        );
        // `kubectl api-resources` order: the core group first, then groups by name, each by
        // plural.
        let order = |k: &Kind| (!k.group.is_empty(), k.group, k.plural);
        for w in KINDS.windows(2) {
            assert!(
                order(w[0]) < order(w[1]),
                "{} before {}",
                w[0].kind,
                w[1].kind
            );
        }
        // ALL_ORDER names exactly the kinds in the `all` category.
        let mut all: Vec<&str> = without(|k| k.in_all);
        all.sort();
        let mut listed: Vec<&str> = ALL_ORDER.iter().map(|k| k.kind).collect();
        listed.sort();
        assert_eq!(all, listed);
    }

    #[test]
    fn names_as_kubectl_prints_them() {
        let d = by_kind("Deployment").unwrap();
        assert_eq!(d.resource(), "deployments.apps");
        assert_eq!(d.name_form(), "deployment.apps");
        assert_eq!(d.api_version(), "apps/v1");
        let p = by_kind("Pod").unwrap();
        assert_eq!(p.resource(), "pods");
        assert_eq!(p.name_form(), "pod");
    }
}
