//! The kinds registry: what `kubectl api-resources` lists, and how a user's resource argument
//! (`po`, `pods`, `Pod`, `deployment.v1.apps`, `deploy.apps`) resolves to a kind.

/// One served resource type, as discovery describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
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
}

const RW: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

macro_rules! k {
    ($kind:literal, $group:literal, $version:literal, $plural:literal, $singular:literal, [$($short:literal),*], $ns:literal, $all:literal) => {
        KindInfo {
            kind: $kind,
            group: $group,
            version: $version,
            plural: $plural,
            singular: $singular,
            short_names: &[$($short),*],
            namespaced: $ns,
            in_all: $all,
            verbs: RW,
        }
    };
}

/// Every kind kubesim serves, in `kubectl api-resources` order (core group first, then groups
/// alphabetically, each sorted by plural).
pub static KINDS: &[KindInfo] = &[
    k!(
        "ConfigMap",
        "",
        "v1",
        "configmaps",
        "configmap",
        ["cm"],
        true,
        false
    ),
    k!(
        "Endpoints",
        "",
        "v1",
        "endpoints",
        "endpoints",
        ["ep"],
        true,
        false
    ),
    k!("Event", "", "v1", "events", "event", ["ev"], true, false),
    k!(
        "LimitRange",
        "",
        "v1",
        "limitranges",
        "limitrange",
        ["limits"],
        true,
        false
    ),
    k!(
        "Namespace",
        "",
        "v1",
        "namespaces",
        "namespace",
        ["ns"],
        false,
        false
    ),
    k!("Node", "", "v1", "nodes", "node", ["no"], false, false),
    k!(
        "PersistentVolumeClaim",
        "",
        "v1",
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        ["pvc"],
        true,
        false
    ),
    k!(
        "PersistentVolume",
        "",
        "v1",
        "persistentvolumes",
        "persistentvolume",
        ["pv"],
        false,
        false
    ),
    k!("Pod", "", "v1", "pods", "pod", ["po"], true, true),
    k!(
        "ReplicationController",
        "",
        "v1",
        "replicationcontrollers",
        "replicationcontroller",
        ["rc"],
        true,
        true
    ),
    k!(
        "ResourceQuota",
        "",
        "v1",
        "resourcequotas",
        "resourcequota",
        ["quota"],
        true,
        false
    ),
    k!("Secret", "", "v1", "secrets", "secret", [], true, false),
    k!(
        "ServiceAccount",
        "",
        "v1",
        "serviceaccounts",
        "serviceaccount",
        ["sa"],
        true,
        false
    ),
    k!(
        "Service",
        "",
        "v1",
        "services",
        "service",
        ["svc"],
        true,
        true
    ),
    k!(
        "ControllerRevision",
        "apps",
        "v1",
        "controllerrevisions",
        "controllerrevision",
        [],
        true,
        false
    ),
    k!(
        "DaemonSet",
        "apps",
        "v1",
        "daemonsets",
        "daemonset",
        ["ds"],
        true,
        true
    ),
    k!(
        "Deployment",
        "apps",
        "v1",
        "deployments",
        "deployment",
        ["deploy"],
        true,
        true
    ),
    k!(
        "ReplicaSet",
        "apps",
        "v1",
        "replicasets",
        "replicaset",
        ["rs"],
        true,
        true
    ),
    k!(
        "StatefulSet",
        "apps",
        "v1",
        "statefulsets",
        "statefulset",
        ["sts"],
        true,
        true
    ),
    k!(
        "CronJob",
        "batch",
        "v1",
        "cronjobs",
        "cronjob",
        ["cj"],
        true,
        true
    ),
    k!("Job", "batch", "v1", "jobs", "job", [], true, true),
    k!(
        "Lease",
        "coordination.k8s.io",
        "v1",
        "leases",
        "lease",
        [],
        true,
        false
    ),
    k!(
        "StorageClass",
        "storage.k8s.io",
        "v1",
        "storageclasses",
        "storageclass",
        ["sc"],
        false,
        false
    ),
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

impl KindInfo {
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
pub fn by_kind(kind: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// The kind for an object's `apiVersion` and `kind`.
pub fn by_api_version_kind(api_version: &str, kind: &str) -> Option<&'static KindInfo> {
    KINDS
        .iter()
        .find(|k| k.kind == kind && k.api_version() == api_version)
}

/// Resolves a user's resource argument the way kubectl's RESTMapper does: plural, singular,
/// short name or Kind, case-insensitively, optionally qualified as `resource.group` or
/// `resource.version.group`. Returns `None` when nothing matches.
pub fn resolve(arg: &str) -> Option<&'static KindInfo> {
    let lower = arg.to_ascii_lowercase();
    let matches = |k: &KindInfo, name: &str| {
        k.plural == name
            || k.singular == name
            || k.kind.eq_ignore_ascii_case(name)
            || k.short_names.contains(&name)
    };
    // Unqualified first: `pods`, `po`, `Pod`.
    if let Some(k) = KINDS.iter().find(|k| matches(k, &lower)) {
        return Some(k);
    }
    // `resource.group` or `resource.version.group`.
    let (name, rest) = lower.split_once('.')?;
    KINDS.iter().find(|k| {
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
