//! `kubectl describe` for StatefulSet: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::kinds::common::lookup::controlled_pods;
use crate::print::cells::label_selector_string;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_stateful_set(w, obj, ctx)),
    related: controlled_pods,
    events_by_name: false,
};

fn describe_stateful_set(w: &mut Pw, ss: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(ss, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(ss, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            time_at(ss, &["metadata", "creationTimestamp"])
        ),
    );
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            label_selector_string(get(ss, &["spec", "selector"]))
        ),
    );
    labels_multiline(w, "Labels", get(ss, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(ss, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Replicas:\t{} desired | {} total\n",
            replicas(ss),
            i(ss, &["status", "replicas"])
        ),
    );
    w.w(
        0,
        &format!(
            "Update Strategy:\t{}\n",
            s(ss, &["spec", "updateStrategy", "type"])
        ),
    );
    if let Some(ru) = get(ss, &["spec", "updateStrategy", "rollingUpdate"])
        && let Some(p) = opt_i(ru, &["partition"])
    {
        w.w(1, &format!("Partition:\t{p}\n"));
        if let Some(mu) = get(ru, &["maxUnavailable"]) {
            w.w(1, &format!("MaxUnavailable:\t{}\n", scalar(mu)));
        }
    }
    w.w(
        0,
        &pods_status_line(pod_status_counts(ss, "StatefulSet", ctx.related)),
    );
    pod_template(w, get(ss, &["spec", "template"]).or(Some(&Value::Null)));
    let templates = arr(ss, &["spec", "volumeClaimTemplates"]);
    if templates.is_empty() {
        w.w(0, "Volume Claims:\t<none>\n");
    } else {
        w.w(0, "Volume Claims:\n");
        for pvc in templates {
            w.w(1, &format!("Name:\t{}\n", s(pvc, &["metadata", "name"])));
            w.w(1, &format!("StorageClass:\t{}\n", pvc_class(pvc)));
            labels_multiline_indent(w, "  ", "Labels", "\t", get(pvc, &["metadata", "labels"]));
            labels_multiline_indent(
                w,
                "  ",
                "Annotations",
                "\t",
                get(pvc, &["metadata", "annotations"]),
            );
            match get(pvc, &["spec", "resources", "requests", "storage"]) {
                Some(q) => w.w(1, &format!("Capacity:\t{}\n", quantity_string(Some(q)))),
                None => w.w(1, "Capacity:\t<default>\n"),
            }
            w.w(
                1,
                &format!(
                    "Access Modes:\t{}\n",
                    go_slice(arr(pvc, &["spec", "accessModes"]))
                ),
            );
        }
    }
    describe_events(w, ctx.events, ctx.now);
}
