//! `kubectl describe` for ReplicaSet: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::kinds::common::lookup::controlled_pods;
use crate::print::cells::format_label_selector;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_replica_set(w, obj, ctx)),
    related: controlled_pods,
    events_by_name: false,
};

fn describe_replica_set(w: &mut Pw, rs: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(rs, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(rs, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            format_label_selector(get(rs, &["spec", "selector"]))
        ),
    );
    labels_multiline(w, "Labels", get(rs, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(rs, &["metadata", "annotations"]));
    let controlled_by = print_controller(rs);
    if !controlled_by.is_empty() {
        w.w(0, &format!("Controlled By:\t{controlled_by}\n"));
    }
    w.w(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            i(rs, &["status", "replicas"]),
            replicas(rs)
        ),
    );
    w.w(
        0,
        &pods_status_line(pod_status_counts(rs, "ReplicaSet", ctx.related)),
    );
    pod_template(w, get(rs, &["spec", "template"]).or(Some(&Value::Null)));
    workload_conditions(w, rs);
    describe_events(w, ctx.events, ctx.now);
}
