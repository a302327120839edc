//! `kubectl describe` for CronJob: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::cells::label_selector_string;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_cron_job(w, obj, ctx)),
    related: no_related,
    events_by_name: false,
};

fn describe_cron_job(w: &mut Pw, cj: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(cj, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(cj, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(cj, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(cj, &["metadata", "annotations"]));
    w.w(0, &format!("Schedule:\t{}\n", s(cj, &["spec", "schedule"])));
    w.w(
        0,
        &format!(
            "Concurrency Policy:\t{}\n",
            s(cj, &["spec", "concurrencyPolicy"])
        ),
    );
    w.w(
        0,
        &format!(
            "Suspend:\t{}\n",
            print_bool_ptr(opt_b(cj, &["spec", "suspend"]))
        ),
    );
    for (field, title) in [
        ("successfulJobsHistoryLimit", "Successful Job History Limit"),
        ("failedJobsHistoryLimit", "Failed Job History Limit"),
    ] {
        match opt_i(cj, &["spec", field]) {
            Some(v) => w.w(0, &format!("{title}:\t{v}\n")),
            None => w.w(0, &format!("{title}:\t<unset>\n")),
        }
    }
    match opt_i(cj, &["spec", "startingDeadlineSeconds"]) {
        Some(v) => w.w(0, &format!("Starting Deadline Seconds:\t{v}s\n")),
        None => w.w(0, "Starting Deadline Seconds:\t<unset>\n"),
    }
    let jt = get(cj, &["spec", "jobTemplate"]).unwrap_or(&Value::Null);
    match get(jt, &["spec", "selector"]) {
        Some(sel) => w.w(
            0,
            &format!("Selector:\t{}\n", label_selector_string(Some(sel))),
        ),
        None => w.w(0, "Selector:\t<unset>\n"),
    }
    for (field, title) in [
        ("parallelism", "Parallelism"),
        ("completions", "Completions"),
    ] {
        match opt_i(jt, &["spec", field]) {
            Some(v) => w.w(0, &format!("{title}:\t{v}\n")),
            None => w.w(0, &format!("{title}:\t<unset>\n")),
        }
    }
    if let Some(v) = opt_i(jt, &["spec", "activeDeadlineSeconds"]) {
        w.w(0, &format!("Active Deadline Seconds:\t{v}s\n"));
    }
    pod_template(w, get(jt, &["spec", "template"]).or(Some(&Value::Null)));
    if get(cj, &["status", "lastScheduleTime"]).is_some() {
        w.w(
            0,
            &format!(
                "Last Schedule Time:\t{}\n",
                time_at(cj, &["status", "lastScheduleTime"])
            ),
        );
    } else {
        w.w(0, "Last Schedule Time:\t<unset>\n");
    }
    w.w(0, "Active Jobs:\t");
    let active = arr(cj, &["status", "active"]);
    if active.is_empty() {
        w.line("<none>");
    } else {
        for (n, j) in active.iter().enumerate() {
            if n != 0 {
                w.w(0, ", ");
            }
            w.w(0, s(j, &["name"]));
        }
        w.line("");
    }
    describe_events(w, ctx.events, ctx.now);
}
