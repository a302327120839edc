//! How the API server writes PersistentVolumes (pkg/registry/core/persistentvolume/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: false,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: Some(defaults),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn defaults(obj: &mut Value) {
    let s = spec(obj);
    set_if_absent(s, "persistentVolumeReclaimPolicy", json!("Retain"));
    set_if_absent(s, "volumeMode", json!("Filesystem"));
    // SetDefaults_HostPathVolumeSource, as for a pod's volume.
    if let Some(hp) = s.get_mut("hostPath").filter(|h| h.is_object()) {
        set_if_absent(hp, "type", json!(""));
    }
    set_if_absent(status(obj), "phase", json!("Pending"));
}

fn validate(e: &mut Errs, obj: &Value, _old: Option<&Value>) {
    pv(e, specs(obj, None).0);
}

fn pv(e: &mut Errs, s: &Value) {
    if arr(s, "accessModes").next().is_none() {
        e.required("spec.accessModes", "");
    }
    access_modes(e, s, "spec");
    let cap = s.get("capacity").and_then(Value::as_object);
    match cap {
        None => e.required("spec.capacity", ""),
        Some(c) if c.is_empty() => e.required("spec.capacity", ""),
        Some(c) => {
            if !c.contains_key("storage") || c.len() > 1 {
                let keys: Vec<String> = c
                    .iter()
                    .map(|(k, v)| format!("{}:{}", go_q(k), quantity_str(v)))
                    .collect();
                e.0.push(FieldError::unsupported(
                    "spec.capacity",
                    BadValue::Raw(format!("core.ResourceList{{{}}}", keys.join(", "))),
                    &["storage"],
                ));
            }
            for (k, v) in c {
                quantity_nonneg(e, &format!("spec.capacity[{k}]"), v);
            }
        }
    }
    let rp = str_at(s, "persistentVolumeReclaimPolicy");
    if !rp.is_empty() && !matches!(rp, "Delete" | "Recycle" | "Retain") {
        e.unsupported(
            "spec.persistentVolumeReclaimPolicy",
            rp,
            &["Delete", "Recycle", "Retain"],
        );
    }
    const SOURCES: &[&str] = &[
        "hostPath",
        "gcePersistentDisk",
        "awsElasticBlockStore",
        "glusterfs",
        "nfs",
        "rbd",
        "quobyte",
        "cinder",
        "cephfs",
        "iscsi",
        "fc",
        "flocker",
        "flexVolume",
        "azureFile",
        "vsphereVolume",
        "azureDisk",
        "photonPersistentDisk",
        "portworxVolume",
        "scaleIO",
        "local",
        "storageos",
        "csi",
    ];
    if !SOURCES.iter().any(|k| s.get(*k).is_some()) {
        e.required("spec", "must specify a volume type");
    }
}
