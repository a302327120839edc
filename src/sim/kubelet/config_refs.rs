//! ConfigMap and Secret references the kubelet resolves before a pod's containers start
//! (`makeEnvironmentVariables` for env and envFrom, the configmap/secret volume plugins'
//! `SetUp` for volumes): which reference fails and with which message, as a pure decision
//! over a lookup of the namespace's ConfigMaps and Secrets.

use std::collections::BTreeMap;

use serde_json::Value;

/// The kind of object a reference names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    ConfigMap,
    Secret,
}

impl Source {
    /// The GroupResource's name in a not-found error (`configmap "x" not found`).
    fn resource(self) -> &'static str {
        match self {
            Source::ConfigMap => "configmap",
            Source::Secret => "secret",
        }
    }
    /// The kind in a missing-key error (`couldn't find key k in ConfigMap ns/x`).
    fn kind(self) -> &'static str {
        match self {
            Source::ConfigMap => "ConfigMap",
            Source::Secret => "Secret",
        }
    }
}

/// What stops the pod's containers from starting: a volume that cannot be mounted (the
/// whole pod waits in `ContainerCreating`) and, per container, the `CreateContainerConfigError`
/// message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefErrors {
    /// `MountVolume.SetUp failed for volume "v" : configmap "x" not found`.
    pub mount: Option<String>,
    /// Container name → `configmap "x" not found` / `couldn't find key k in ConfigMap ns/x`.
    pub containers: BTreeMap<String, String>,
}

impl RefErrors {
    pub fn is_empty(&self) -> bool {
        self.mount.is_none() && self.containers.is_empty()
    }
}

fn s<'v>(v: &'v Value, p: &str) -> &'v str {
    v.pointer(p).and_then(Value::as_str).unwrap_or("")
}

fn optional(r: &Value) -> bool {
    r.get("optional").and_then(Value::as_bool) == Some(true)
}

/// Checks `pod`'s references; `lookup` returns an object's keys and values, `None` when it
/// does not exist. Volumes come first (they are mounted before any container starts); then the
/// init containers in order up to the first that fails (the later ones never start), then
/// every app container (the kubelet tries each one).
pub fn check(
    pod: &Value,
    mut lookup: impl FnMut(Source, &str) -> Option<BTreeMap<String, String>>,
) -> RefErrors {
    let mut out = RefErrors::default();
    for vol in pod
        .pointer("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        // A projected volume collects every source's error (an aggregate: one message, or
        // `[a, b]`), as projected.go's collectData.
        let refs: Vec<(Source, &Value, &str)> = if let Some(r) = vol.get("configMap") {
            vec![(Source::ConfigMap, r, s(r, "/name"))]
        } else if let Some(r) = vol.get("secret") {
            vec![(Source::Secret, r, s(r, "/secretName"))]
        } else if let Some(p) = vol.get("projected") {
            p.get("sources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|src| {
                    if let Some(r) = src.get("configMap") {
                        Some((Source::ConfigMap, r, s(r, "/name")))
                    } else {
                        src.get("secret")
                            .map(|r| (Source::Secret, r, s(r, "/name")))
                    }
                })
                .collect()
        } else {
            continue;
        };
        let errs: Vec<String> = refs
            .into_iter()
            .filter(|(src, r, name)| !optional(r) && lookup(*src, name).is_none())
            .map(|(src, _, name)| format!("{} \"{name}\" not found", src.resource()))
            .collect();
        let msg = match errs.as_slice() {
            [] => continue,
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        out.mount = Some(format!(
            "MountVolume.SetUp failed for volume \"{}\" : {msg}",
            s(vol, "/name")
        ));
        return out;
    }
    let ns = match s(pod, "/metadata/namespace") {
        "" => "default",
        n => n,
    };
    let list = |p: &str| {
        pod.pointer(p)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for c in list("/spec/initContainers") {
        if let Some(e) = container_error(&c, ns, &mut lookup) {
            out.containers.insert(s(&c, "/name").to_string(), e);
            return out;
        }
    }
    for c in list("/spec/containers") {
        if let Some(e) = container_error(&c, ns, &mut lookup) {
            out.containers.insert(s(&c, "/name").to_string(), e);
        }
    }
    out
}

/// The first failing reference of container `c`: its `envFrom` in order, then its `env`.
pub fn container_error(
    c: &Value,
    ns: &str,
    lookup: &mut impl FnMut(Source, &str) -> Option<BTreeMap<String, String>>,
) -> Option<String> {
    let not_found = |src: Source, name: &str| format!("{} \"{name}\" not found", src.resource());
    for from in c
        .get("envFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (src, r) = if let Some(r) = from.get("configMapRef") {
            (Source::ConfigMap, r)
        } else if let Some(r) = from.get("secretRef") {
            (Source::Secret, r)
        } else {
            continue;
        };
        if !optional(r) && lookup(src, s(r, "/name")).is_none() {
            return Some(not_found(src, s(r, "/name")));
        }
    }
    for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
        let (src, r) = if let Some(r) = e.pointer("/valueFrom/configMapKeyRef") {
            (Source::ConfigMap, r)
        } else if let Some(r) = e.pointer("/valueFrom/secretKeyRef") {
            (Source::Secret, r)
        } else {
            continue;
        };
        if optional(r) {
            continue;
        }
        let (name, key) = (s(r, "/name"), s(r, "/key"));
        match lookup(src, name) {
            None => return Some(not_found(src, name)),
            Some(data) if !data.contains_key(key) => {
                return Some(format!(
                    "couldn't find key {key} in {} {ns}/{name}",
                    src.kind()
                ));
            }
            Some(_) => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn world() -> impl FnMut(Source, &str) -> Option<BTreeMap<String, String>> {
        |src, name| match (src, name) {
            (Source::ConfigMap, "cfg") => Some(BTreeMap::from([("a".into(), "1".into())])),
            (Source::Secret, "sec") => Some(BTreeMap::from([("p".into(), "x".into())])),
            _ => None,
        }
    }

    fn pod_with(c: Value, volumes: Value) -> Value {
        json!({"metadata": {"name": "p", "namespace": "default"},
               "spec": {"containers": [c], "volumes": volumes}})
    }

    /// Reference §15's test vectors 1-4, and the Secret forms.
    #[test]
    fn which_error_for_which_reference() {
        let env = |r: Value| json!({"name": "app", "env": [{"name": "V", "valueFrom": r}]});
        let cases = [
            (
                env(json!({"configMapKeyRef": {"name": "nope", "key": "k"}})),
                Some("configmap \"nope\" not found"),
            ),
            (
                env(json!({"configMapKeyRef": {"name": "cfg", "key": "k"}})),
                Some("couldn't find key k in ConfigMap default/cfg"),
            ),
            (
                env(json!({"configMapKeyRef": {"name": "cfg", "key": "k", "optional": true}})),
                None,
            ),
            (
                env(json!({"configMapKeyRef": {"name": "nope", "key": "k", "optional": true}})),
                None,
            ),
            (
                env(json!({"configMapKeyRef": {"name": "cfg", "key": "a"}})),
                None,
            ),
            (
                env(json!({"secretKeyRef": {"name": "nope", "key": "p"}})),
                Some("secret \"nope\" not found"),
            ),
            (
                env(json!({"secretKeyRef": {"name": "sec", "key": "q"}})),
                Some("couldn't find key q in Secret default/sec"),
            ),
            (
                json!({"name": "app", "envFrom": [{"configMapRef": {"name": "cfg"}},
                                                   {"secretRef": {"name": "gone"}}]}),
                Some("secret \"gone\" not found"),
            ),
            (
                json!({"name": "app", "envFrom": [{"configMapRef": {"name": "gone", "optional": true}}]}),
                None,
            ),
            (
                json!({"name": "app", "env": [{"name": "X", "value": "1"}]}),
                None,
            ),
        ];
        for (c, want) in cases {
            let got = check(&pod_with(c.clone(), json!([])), world());
            assert_eq!(got.mount, None);
            assert_eq!(got.containers.get("app").map(String::as_str), want, "{c}");
        }
    }

    #[test]
    fn volumes_fail_the_mount_before_any_container() {
        let c = json!({"name": "app", "env": [{"name": "V", "valueFrom": {"configMapKeyRef": {"name": "nope", "key": "k"}}}]});
        let got = check(
            &pod_with(
                c.clone(),
                json!([{"name": "config", "configMap": {"name": "app-cfg"}}]),
            ),
            world(),
        );
        assert_eq!(
            got.mount.as_deref(),
            Some(
                "MountVolume.SetUp failed for volume \"config\" : configmap \"app-cfg\" not found"
            )
        );
        assert!(got.containers.is_empty());
        let got = check(
            &pod_with(
                json!({"name": "app"}),
                json!([{"name": "s", "secret": {"secretName": "db"}}]),
            ),
            world(),
        );
        assert_eq!(
            got.mount.as_deref(),
            Some("MountVolume.SetUp failed for volume \"s\" : secret \"db\" not found")
        );
        let got = check(
            &pod_with(
                json!({"name": "app"}),
                json!([{"name": "s", "secret": {"secretName": "db", "optional": true}},
                       {"name": "c", "configMap": {"name": "cfg"}}]),
            ),
            world(),
        );
        assert!(got.is_empty());
        // A projected volume: every missing source, optional ones skipped.
        let projected = json!([{"name": "all", "projected": {"sources": [
            {"configMap": {"name": "a"}},
            {"secret": {"name": "b"}},
            {"configMap": {"name": "c", "optional": true}},
            {"downwardAPI": {"items": []}}
        ]}}]);
        let got = check(&pod_with(json!({"name": "app"}), projected), world());
        assert_eq!(
            got.mount.as_deref(),
            Some(
                "MountVolume.SetUp failed for volume \"all\" : [configmap \"a\" not found, secret \"b\" not found]"
            )
        );
        let one = json!([{"name": "kube-api-access-x", "projected": {"sources": [
            {"serviceAccountToken": {"path": "token"}},
            {"configMap": {"name": "kube-root-ca.crt"}}
        ]}}]);
        let got = check(&pod_with(json!({"name": "app"}), one), world());
        assert_eq!(
            got.mount.as_deref(),
            Some(
                "MountVolume.SetUp failed for volume \"kube-api-access-x\" : configmap \"kube-root-ca.crt\" not found"
            )
        );
    }
}
