//! How the API server writes RoleBindings (pkg/registry/rbac/rolebinding/strategy.go,
//! pkg/apis/rbac/v1/defaults.go, pkg/apis/rbac/validation): the role reference and subjects.

use crate::kinds::defaulting::*;
use crate::kinds::role::GROUP;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: false,
    generation: false,
    name_rule: NameRule::PathSegment,
    name_warning: None,
    defaults: Some(defaults),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

/// `SetDefaults_RoleBinding` / `SetDefaults_ClusterRoleBinding` and `SetDefaults_Subject`:
/// the RBAC group where it was left out.
pub(crate) fn defaults(obj: &mut Value) {
    if obj.get("roleRef").is_some_and(Value::is_object) {
        let r = child(obj, "roleRef");
        if str_at(r, "apiGroup").is_empty() {
            put(r, "apiGroup", json!(GROUP));
        }
    }
    for s in arr_mut(obj, "subjects") {
        if str_at(s, "apiGroup").is_empty() && matches!(str_at(s, "kind"), "User" | "Group") {
            put(s, "apiGroup", json!(GROUP));
        }
    }
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    binding(e, obj, old, &["Role", "ClusterRole"], true);
}

/// `ValidateRoleBinding` / `ValidateClusterRoleBinding` after the metadata, and their updates'
/// immutable `roleRef`.
pub(crate) fn binding(
    e: &mut Errs,
    obj: &Value,
    old: Option<&Value>,
    kinds: &[&str],
    namespaced: bool,
) {
    let rr = obj.get("roleRef").unwrap_or(&Value::Null);
    let group = str_at(rr, "apiGroup");
    if group != GROUP {
        e.unsupported("roleRef.apiGroup", group, &[GROUP]);
    }
    let kind = str_at(rr, "kind");
    if !kinds.contains(&kind) {
        e.unsupported("roleRef.kind", kind, kinds);
    }
    let name = str_at(rr, "name");
    if name.is_empty() {
        e.required("roleRef.name", "");
    } else {
        for m in path_segment_name(name, false) {
            e.invalid("roleRef.name", BadValue::Str(name.into()), &m);
        }
    }
    for (i, s) in arr(obj, "subjects").enumerate() {
        subject(e, s, namespaced, &format!("subjects[{i}]"));
    }
    if let Some(old) = old {
        let orr = old.get("roleRef").unwrap_or(&Value::Null);
        let same = ["apiGroup", "kind", "name"]
            .iter()
            .all(|k| str_at(rr, k) == str_at(orr, k));
        if !same {
            e.invalid(
                "roleRef",
                BadValue::Raw(format!(
                    "rbac.RoleRef{{APIGroup:{}, Kind:{}, Name:{}}}",
                    go_q(group),
                    go_q(kind),
                    go_q(name)
                )),
                "cannot change roleRef",
            );
        }
    }
}

/// `validateRoleBindingSubject`.
fn subject(e: &mut Errs, s: &Value, namespaced: bool, p: &str) {
    let name = str_at(s, "name");
    let group = str_at(s, "apiGroup");
    if name.is_empty() {
        e.required(&format!("{p}.name"), "");
    }
    match str_at(s, "kind") {
        "ServiceAccount" => {
            if !name.is_empty() {
                for m in is_dns1123_subdomain(name) {
                    e.invalid(&format!("{p}.name"), BadValue::Str(name.into()), &m);
                }
            }
            if !group.is_empty() {
                e.unsupported(&format!("{p}.apiGroup"), group, &[""]);
            }
            if !namespaced && str_at(s, "namespace").is_empty() {
                e.required(&format!("{p}.namespace"), "");
            }
        }
        k @ ("User" | "Group") => {
            if name.is_empty() {
                let what = if k == "User" { "user" } else { "group" };
                e.invalid(
                    &format!("{p}.name"),
                    BadValue::Str(String::new()),
                    &format!("{what} name cannot be empty"),
                );
            }
            if group != GROUP {
                e.unsupported(&format!("{p}.apiGroup"), group, &[GROUP]);
            }
        }
        k => e.unsupported(
            &format!("{p}.kind"),
            k,
            &["ServiceAccount", "User", "Group"],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(obj: Value, old: Option<Value>, kinds: &[&str], namespaced: bool) -> Vec<String> {
        let mut e = Errs::default();
        binding(&mut e, &obj, old.as_ref(), kinds, namespaced);
        e.0.iter().map(|f| f.to_string()).collect()
    }

    /// pkg/apis/rbac/validation TestValidateRoleBinding*'s cases.
    #[test]
    fn binding_validation() {
        let mut ok = json!({"roleRef": {"kind": "Role", "name": "r"},
            "subjects": [{"kind": "User", "name": "u"}, {"kind": "Group", "name": "g"},
                         {"kind": "ServiceAccount", "name": "sa"}]});
        defaults(&mut ok);
        assert_eq!(ok["roleRef"]["apiGroup"], GROUP);
        assert_eq!(ok["subjects"][0]["apiGroup"], GROUP);
        assert!(ok["subjects"][2].get("apiGroup").is_none());
        assert!(errors(ok.clone(), None, &["Role", "ClusterRole"], true).is_empty());
        // A ClusterRoleBinding: ClusterRole only, and its service accounts need a namespace.
        assert_eq!(
            errors(ok.clone(), None, &["ClusterRole"], false),
            [
                "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                "subjects[2].namespace: Required value"
            ]
        );
        let bad = json!({"roleRef": {"apiGroup": "rbac", "kind": "Thing", "name": "a/b"},
            "subjects": [{"kind": "Robot", "name": ""}, {"kind": "ServiceAccount", "name": "Bad_Name", "apiGroup": "x"}]});
        assert_eq!(
            errors(bad, None, &["Role", "ClusterRole"], true),
            [
                "roleRef.apiGroup: Unsupported value: \"rbac\": supported values: \"rbac.authorization.k8s.io\"",
                "roleRef.kind: Unsupported value: \"Thing\": supported values: \"Role\", \"ClusterRole\"",
                "roleRef.name: Invalid value: \"a/b\": may not contain '/'",
                "subjects[0].name: Required value",
                "subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
                "subjects[1].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                "subjects[1].apiGroup: Unsupported value: \"x\": supported values: \"\""
            ]
        );
        let mut changed = ok.clone();
        changed["roleRef"]["name"] = json!("other");
        assert_eq!(
            errors(changed, Some(ok), &["Role", "ClusterRole"], true),
            [
                "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"other\"}: cannot change roleRef"
            ]
        );
    }
}
