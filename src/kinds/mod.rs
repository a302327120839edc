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

pub mod common;
pub mod configmap;
pub mod controllerrevision;
pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod endpoints;
pub mod event;
pub mod job;
pub mod lease;
pub mod limitrange;
pub mod namespace;
pub mod node;
pub mod persistentvolume;
pub mod persistentvolumeclaim;
pub mod pod;
pub mod replicaset;
pub mod replicationcontroller;
pub mod resourcequota;
pub mod secret;
pub mod service;
pub mod serviceaccount;
pub mod statefulset;
pub mod storageclass;

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
}

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
    &cronjob::KIND,
    &job::KIND,
    &lease::KIND,
    &storageclass::KIND,
];

/// Order of the `all` category, as discovery lists it (and `kubectl get all` prints it).
pub const ALL_ORDER: &[&str] = &[
    "Pod",
    "ReplicationController",
    "Service",
    "DaemonSet",
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "CronJob",
    "Job",
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
