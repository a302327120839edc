//! ControllerRevisions as the StatefulSet and DaemonSet controllers and kubectl's history
//! helpers use them (pkg/controller/history, kubectl's polymorphichelpers history.go and
//! rollback.go): a revision's data (a strategic patch replacing `spec.template`), its hash,
//! sorting, the revisions an owner controls, and the owner as a revision restores it.

use crate::api::Ptr;
use crate::api::errors::{ApiError, Reason};
use crate::api::kinds::KindInfo;
use crate::api::{Api, name_of};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::Deserialize;
use serde_json::{Value, json};

fn internal(e: serde_json::Error) -> ApiError {
    ApiError::new(Reason::InternalError, e.to_string())
}

fn cr_info() -> &'static KindInfo {
    &crate::kinds::controllerrevision::KIND
}

/// `getPatch`: the revision's data, `{"spec":{"template":{..., "$patch":"replace"}}}`.
pub fn revision_data(owner: &Value) -> Value {
    let mut template = owner
        .ptr("/spec/template")
        .cloned()
        .unwrap_or_else(|| json!({}));
    if let Some(t) = template.as_object_mut() {
        t.insert("$patch".into(), json!("replace"));
    }
    json!({"spec": {"template": template}})
}

/// Go's `json.Marshal` of a decoded map: compact, keys sorted, `<`, `>`, `&`, U+2028 and
/// U+2029 escaped.
pub(crate) fn go_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// `HashControllerRevision`: FNV-1 (32-bit) of the data's bytes and the collision count in
/// decimal, its decimal value through `rand.SafeEncodeString`.
pub fn hash_revision(data: &Value, collision_count: i32) -> String {
    let mut h: u32 = 2_166_136_261;
    let mut write = |bytes: &[u8]| {
        for b in bytes {
            h = h.wrapping_mul(16_777_619);
            h ^= u32::from(*b);
        }
    };
    write(go_json(data).as_bytes());
    write(collision_count.to_string().as_bytes());
    super::deployment::util::safe_encode_string(&h.to_string())
}

/// The pod template a revision records (`ApplyRevision` of its replace patch).
pub fn revision_template(cr: &Value) -> Result<PodTemplateSpec, ApiError> {
    let mut t = cr
        .ptr("/data/spec/template")
        .cloned()
        .unwrap_or_else(|| json!({}));
    if let Some(o) = t.as_object_mut() {
        o.remove("$patch");
    }
    PodTemplateSpec::deserialize(&t).map_err(internal)
}

/// `revision` of a ControllerRevision.
pub fn revision_number(cr: &Value) -> i64 {
    cr.get("revision").and_then(Value::as_i64).unwrap_or(0)
}

/// `SortControllerRevisions`: by revision, then creation time, then name.
pub fn sort_revisions(revs: &mut [Value]) {
    revs.sort_by(|a, b| {
        revision_number(a)
            .cmp(&revision_number(b))
            .then_with(|| {
                let t = |v: &Value| {
                    v.ptr("/metadata/creationTimestamp")
                        .and_then(Value::as_str)
                        .and_then(crate::api::parse_time)
                };
                t(a).cmp(&t(b))
            })
            .then_with(|| name_of(a).cmp(name_of(b)))
    });
}

/// Whether the owner's `spec.selector` (non-empty) selects these labels.
pub fn selects(owner: &Value, labels: Option<&Value>) -> bool {
    let Some(sel) = owner
        .ptr("/spec/selector")
        .and_then(|s| LabelSelector::deserialize(s).ok())
    else {
        return false;
    };
    match crate::api::selector::Selector::from_label_selector(&sel) {
        Ok(s) => !s.is_empty() && s.matches_value(labels),
        Err(_) => false,
    }
}

/// The revisions the owner controls and its selector matches, sorted (the controllers'
/// `ListRevisions`, kubectl's `controlledHistoryV1`).
pub fn list_revisions(api: &mut Api, owner: &Value) -> Result<Vec<Value>, ApiError> {
    let ns = owner
        .ptr("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    let uid = owner
        .ptr("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut revs: Vec<Value> = api
        .list_controlled_ref(cr_info(), ns, uid)?
        .into_iter()
        .filter(|r| selects(owner, r.ptr("/metadata/labels")))
        .cloned()
        .collect();
    sort_revisions(&mut revs);
    Ok(revs)
}

/// kubectl's `statefulSetHistory` / `daemonSetHistory`: the owner and its revisions, sorted.
pub fn history(
    api: &mut Api,
    info: &KindInfo,
    ns: &str,
    name: &str,
) -> Result<(Value, Vec<Value>), ApiError> {
    let v = api.get(info, ns, name)?;
    let revs = list_revisions(api, &v)?;
    Ok((v, revs))
}

/// The owner as a revision restores it (kubectl's `applyStatefulSetHistory` /
/// `applyDaemonSetHistory`): its template replaced by the revision's.
pub fn apply_revision(owner: &Value, cr: &Value) -> Value {
    let mut out = owner.clone();
    let mut t = cr
        .ptr("/data/spec/template")
        .cloned()
        .unwrap_or_else(|| json!({}));
    if let Some(o) = t.as_object_mut() {
        o.remove("$patch");
    }
    if let Some(spec) = out.get_mut("spec").and_then(Value::as_object_mut) {
        spec.insert("template".into(), t);
    }
    out
}

/// kubectl's `statefulsetMatch` / `daemonSetMatch`: the owner's template is the revision's.
pub fn matches_revision(owner: &Value, cr: &Value) -> bool {
    cr.get("data") == Some(&revision_data(owner))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revision_hash_is_fnv1_of_the_sorted_patch_and_the_collision_count() {
        let sv = json!({"spec": {"template": {"metadata": {"labels": {"app": "web"}},
                                              "spec": {"containers": [{"name": "a", "image": "b"}]}}}});
        let data = revision_data(&sv);
        assert_eq!(
            go_json(&data),
            r#"{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"b","name":"a"}]}}}}"#
        );
        let h0 = hash_revision(&data, 0);
        assert_eq!(h0, hash_revision(&data, 0));
        assert_ne!(h0, hash_revision(&data, 1));
        assert!(
            h0.len() <= 10
                && h0
                    .chars()
                    .all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c))
        );
        assert_eq!(
            go_json(&json!({"a": "<&>"})),
            r#"{"a":"\u003c\u0026\u003e"}"#
        );
    }

    #[test]
    fn an_owner_restored_from_a_revision_gets_its_template() {
        let owner = json!({"metadata": {"name": "ds", "namespace": "ns"},
                           "spec": {"selector": {"matchLabels": {"app": "a"}},
                                    "template": {"metadata": {"labels": {"app": "a"}},
                                                 "spec": {"containers": [{"name": "c", "image": "new"}]}}}});
        let mut old = owner.clone();
        old["spec"]["template"]["spec"]["containers"][0]["image"] = json!("old");
        let cr = json!({"data": revision_data(&old), "revision": 1});
        assert!(!matches_revision(&owner, &cr));
        let restored = apply_revision(&owner, &cr);
        assert_eq!(restored, old);
        assert!(matches_revision(&restored, &cr));
        assert!(selects(&owner, Some(&json!({"app": "a", "x": "y"}))));
        assert!(!selects(&owner, Some(&json!({"app": "b"}))));
        assert!(!selects(
            &json!({"spec": {"selector": {}}}),
            Some(&json!({"app": "a"}))
        ));
    }
}
