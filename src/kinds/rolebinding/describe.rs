//! `kubectl describe` for RoleBinding (and ClusterRoleBinding): describe.go's
//! `RoleBindingDescriber`.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, _ctx| tabbed(|w| describe_binding(w, obj)),
    related: no_related,
    events_by_name: false,
};

/// The RoleBinding and ClusterRoleBinding describer (the same in describe.go).
pub(crate) fn describe_binding(w: &mut Pw, b: &Value) {
    w.w(0, &format!("Name:\t{}\n", s(b, &["metadata", "name"])));
    labels_multiline(w, "Labels", get(b, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(b, &["metadata", "annotations"]));
    w.w(0, "Role:\n");
    w.w(1, &format!("Kind:\t{}\n", s(b, &["roleRef", "kind"])));
    w.w(1, &format!("Name:\t{}\n", s(b, &["roleRef", "name"])));
    w.w(0, "Subjects:\n");
    w.w(1, "Kind\tName\tNamespace\n");
    w.w(1, "----\t----\t---------\n");
    for sub in arr(b, &["subjects"]) {
        w.w(
            1,
            &format!(
                "{}\t{}\t{}\n",
                s(sub, &["kind"]),
                s(sub, &["name"]),
                s(sub, &["namespace"])
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::common::describe::testing::ctx;
    use serde_json::json;

    #[test]
    fn describes_a_binding() {
        let rb = json!({"metadata": {"name": "read-pods"},
            "roleRef": {"kind": "Role", "name": "pod-reader"},
            "subjects": [{"kind": "User", "name": "jane"},
                         {"kind": "ServiceAccount", "name": "sa", "namespace": "ns"}]});
        assert_eq!(
            (DESCRIBER.print)(&rb, &ctx(&[], &[])),
            "Name:         read-pods
Labels:       <none>
Annotations:  <none>
Role:
  Kind:  Role
  Name:  pod-reader
Subjects:
  Kind            Name  Namespace
  ----            ----  ---------
  User            jane  
  ServiceAccount  sa    ns
"
        );
    }
}
