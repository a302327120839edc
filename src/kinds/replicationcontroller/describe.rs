//! `kubectl describe` for ReplicationController: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::kinds::common::lookup::controlled_pods;
use crate::print::cells::format_labels;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_replication_controller(w, obj, ctx)),
    related: controlled_pods,
    events_by_name: false,
};

fn describe_replication_controller(w: &mut Pw, rc: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(rc, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(rc, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            format_labels(get(rc, &["spec", "selector"]))
        ),
    );
    labels_multiline(w, "Labels", get(rc, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(rc, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            i(rc, &["status", "replicas"]),
            replicas(rc)
        ),
    );
    w.w(
        0,
        &pods_status_line(pod_status_counts(rc, "ReplicationController", ctx.related)),
    );
    pod_template(w, get(rc, &["spec", "template"]));
    workload_conditions(w, rc);
    describe_events(w, ctx.events, ctx.now);
}
