//! `kubectl describe` for DaemonSet: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::kinds::common::lookup::controlled_pods;
use crate::print::cells::format_labels;
use crate::print::cells::label_selector_string;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_daemon_set(w, obj, ctx)),
    related: controlled_pods,
    events_by_name: false,
};

fn describe_daemon_set(w: &mut Pw, ds: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(ds, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(ds, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            label_selector_string(get(ds, &["spec", "selector"]))
        ),
    );
    w.w(
        0,
        &format!(
            "Node-Selector:\t{}\n",
            format_labels(get(ds, &["spec", "template", "spec", "nodeSelector"]))
        ),
    );
    labels_multiline(w, "Labels", get(ds, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(ds, &["metadata", "annotations"]));
    for (field, title) in [
        (
            "desiredNumberScheduled",
            "Desired Number of Nodes Scheduled",
        ),
        (
            "currentNumberScheduled",
            "Current Number of Nodes Scheduled",
        ),
        (
            "updatedNumberScheduled",
            "Number of Nodes Scheduled with Up-to-date Pods",
        ),
        (
            "numberAvailable",
            "Number of Nodes Scheduled with Available Pods",
        ),
        ("numberMisscheduled", "Number of Nodes Misscheduled"),
    ] {
        w.w(0, &format!("{title}: {}\n", i(ds, &["status", field])));
    }
    w.w(
        0,
        &pods_status_line(pod_status_counts(ds, "DaemonSet", ctx.related)),
    );
    pod_template(w, get(ds, &["spec", "template"]).or(Some(&Value::Null)));
    describe_events(w, ctx.events, ctx.now);
}
