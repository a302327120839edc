//! `kubectl describe` for Job: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::kinds::common::lookup::controlled_pods;
use crate::print::age::parse_timestamp;
use crate::print::age::since;
use crate::print::cells::label_selector_string;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_job(w, obj, ctx)),
    related: controlled_pods,
    events_by_name: false,
};

fn describe_job(w: &mut Pw, job: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(job, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(job, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            label_selector_string(get(job, &["spec", "selector"]))
        ),
    );
    labels_multiline(w, "Labels", get(job, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(job, &["metadata", "annotations"]));
    let controlled_by = print_controller(job);
    if !controlled_by.is_empty() {
        w.w(0, &format!("Controlled By:\t{controlled_by}\n"));
    }
    if let Some(p) = opt_i(job, &["spec", "parallelism"]) {
        w.w(0, &format!("Parallelism:\t{p}\n"));
    }
    match opt_i(job, &["spec", "completions"]) {
        Some(c) => w.w(0, &format!("Completions:\t{c}\n")),
        None => w.w(0, "Completions:\t<unset>\n"),
    }
    let mode = opt_s(job, &["spec", "completionMode"]);
    if let Some(m) = mode {
        w.w(0, &format!("Completion Mode:\t{m}\n"));
    }
    if let Some(v) = opt_b(job, &["spec", "suspend"]) {
        w.w(0, &format!("Suspend:\t{}\n", go_bool(v)));
    }
    if let Some(v) = opt_i(job, &["spec", "backoffLimit"]) {
        w.w(0, &format!("Backoff Limit:\t{v}\n"));
    }
    if let Some(v) = opt_i(job, &["spec", "ttlSecondsAfterFinished"]) {
        w.w(0, &format!("TTL Seconds After Finished:\t{v}\n"));
    }
    let start = parse_timestamp(opt_s(job, &["status", "startTime"]));
    let done = parse_timestamp(opt_s(job, &["status", "completionTime"]));
    if get(job, &["status", "startTime"]).is_some() {
        w.w(
            0,
            &format!("Start Time:\t{}\n", time_at(job, &["status", "startTime"])),
        );
    }
    if get(job, &["status", "completionTime"]).is_some() {
        w.w(
            0,
            &format!(
                "Completed At:\t{}\n",
                time_at(job, &["status", "completionTime"])
            ),
        );
    }
    if let (Some(st), Some(ct)) = (start, done) {
        w.w(0, &format!("Duration:\t{}\n", since(st, ct)));
    }
    if let Some(v) = opt_i(job, &["spec", "activeDeadlineSeconds"]) {
        w.w(0, &format!("Active Deadline Seconds:\t{v}s\n"));
    }
    let (active, succeeded, failed) = (
        i(job, &["status", "active"]),
        i(job, &["status", "succeeded"]),
        i(job, &["status", "failed"]),
    );
    match opt_i(job, &["status", "ready"]) {
        None => w.w(
            0,
            &format!(
                "Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n"
            ),
        ),
        Some(ready) => w.w(
            0,
            &format!(
                "Pods Statuses:\t{active} Active ({ready} Ready) / {succeeded} Succeeded / {failed} Failed\n"
            ),
        ),
    }
    if mode == Some("Indexed") {
        w.w(
            0,
            &format!(
                "Completed Indexes:\t{}\n",
                cap_indexes(s(job, &["status", "completedIndexes"]), 50)
            ),
        );
    }
    pod_template(w, get(job, &["spec", "template"]).or(Some(&Value::Null)));
    describe_events(w, ctx.events, ctx.now);
}

/// describe.go `capIndexesListOrNone`.
fn cap_indexes(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".to_string();
    }
    let bytes = indexes.as_bytes();
    let mut ix = soft_limit;
    while ix < bytes.len() && bytes[ix] != b',' {
        ix += 1;
    }
    if ix >= bytes.len() {
        return indexes.to_string();
    }
    format!("{}...", &indexes[..=ix])
}
