//! `kubectl describe` for IngressClass: describe.go's `describeIngressClassV1`.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_ingress_class(w, obj, ctx)),
    related: no_related,
    events_by_name: false,
};

fn describe_ingress_class(w: &mut Pw, ic: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(ic, &["metadata", "name"])));
    labels_multiline(w, "Labels", get(ic, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(ic, &["metadata", "annotations"]));
    w.w(
        0,
        &format!("Controller:\t{}\n", s(ic, &["spec", "controller"])),
    );
    if let Some(p) = get(ic, &["spec", "parameters"]).filter(|p| !p.is_null()) {
        w.w(0, "Parameters:\n");
        if let Some(g) = opt_s(p, &["apiGroup"]) {
            w.w(1, &format!("APIGroup:\t{g}\n"));
        }
        w.w(1, &format!("Kind:\t{}\n", s(p, &["kind"])));
        w.w(1, &format!("Name:\t{}\n", s(p, &["name"])));
    }
    describe_events(w, ctx.events, ctx.now);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::common::describe::testing::ctx;
    use serde_json::json;

    /// describe_test.go `TestDescribeIngressClass`.
    #[test]
    fn describes_an_ingress_class() {
        let ic = json!({"metadata": {"name": "example-class"},
            "spec": {"controller": "example.com/controller",
                     "parameters": {"apiGroup": "v1", "kind": "ConfigMap", "name": "example-parameters"}}});
        assert_eq!(
            (DESCRIBER.print)(&ic, &ctx(&[], &[])),
            "Name:         example-class
Labels:       <none>
Annotations:  <none>
Controller:   example.com/controller
Parameters:
  APIGroup:  v1
  Kind:      ConfigMap
  Name:      example-parameters
Events:      <none>
"
        );
    }
}
