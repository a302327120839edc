//! `kubectl get jobs`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::kinds::common::table::*;
use crate::print::age::*;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("STATUS"),
    n("COMPLETIONS"),
    n("DURATION"),
    n("AGE"),
    w("CONTAINERS"),
    w("IMAGES"),
    w("SELECTOR"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    job_row(obj, now)
}

fn job_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let succeeded = int(obj, &["status", "succeeded"]);
    let completions = match opt_int(obj, &["spec", "completions"]) {
        Some(c) => format!("{succeeded}/{c}"),
        None => {
            let parallelism = opt_int(obj, &["spec", "parallelism"]).unwrap_or(0);
            if parallelism > 1 {
                format!("{succeeded}/1 of {parallelism}")
            } else {
                format!("{succeeded}/1")
            }
        }
    };
    let start = parse_timestamp(opt_string(obj, &["status", "startTime"]));
    let completion = parse_timestamp(opt_string(obj, &["status", "completionTime"]));
    let duration = match (start, completion) {
        (None, _) => String::new(),
        (Some(s), None) => since(s, now),
        (Some(s), Some(c)) => since(s, c),
    };
    let conditions = list(obj, &["status", "conditions"]);
    let status = if has_condition(conditions, "Complete") {
        "Complete"
    } else if has_condition(conditions, "Failed") {
        "Failed"
    } else if is_deleting(obj) {
        "Terminating"
    } else if has_condition(conditions, "Suspended") {
        "Suspended"
    } else if has_condition(conditions, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    };
    let (names, images) = layout_container_cells(template_containers(obj, &["spec", "template"]));
    vec![
        name(obj),
        status.to_string(),
        completions,
        duration,
        creation_age(obj, now),
        names,
        images,
        format_label_selector(get(obj, &["spec", "selector"])),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use crate::util::fields::Fields;
    use serde_json::{Value, json};

    fn job(spec: Value, status: Value) -> Value {
        let mut spec = spec;
        spec.set(
            "/selector",
            json!({"matchLabels": {
            "batch.kubernetes.io/controller-uid": "8c5f2b1e-0d3a-4c7b-9a61-2f4e5d6c7b8a"}}),
        )
        .unwrap();
        spec.set(
            "/template",
            json!({"spec": {"restartPolicy": "Never",
            "containers": [{"name": "pi", "image": "perl:5.34.0"}]}}),
        )
        .unwrap();
        json!({"metadata": {"name": "pi", "creationTimestamp": "2025-06-01T11:50:00Z"},
               "spec": spec, "status": status})
    }

    #[test]
    fn job_rows() {
        let complete = job(
            json!({"completions": 1, "parallelism": 1}),
            json!({"succeeded": 1, "startTime": "2025-06-01T11:50:00Z",
                   "completionTime": "2025-06-01T11:50:42Z",
                   "conditions": [{"type": "SuccessCriteriaMet", "status": "True"},
                                  {"type": "Complete", "status": "True"}]}),
        );
        assert_eq!(
            wide("Job", &complete),
            [
                "pi",
                "Complete",
                "1/1",
                "42s",
                "10m",
                "pi",
                "perl:5.34.0",
                "batch.kubernetes.io/controller-uid=8c5f2b1e-0d3a-4c7b-9a61-2f4e5d6c7b8a"
            ]
        );
        // Work queue: no completions, parallelism 3, still running.
        let queue = job(
            json!({"parallelism": 3}),
            json!({"active": 3, "startTime": "2025-06-01T11:54:48Z"}),
        );
        assert_eq!(
            narrow("Job", &queue),
            ["pi", "Running", "0/1 of 3", "5m12s", "10m"]
        );
        let fixed = job(
            json!({"completions": 5, "parallelism": 2}),
            json!({"succeeded": 2, "active": 2, "startTime": "2025-06-01T11:50:00Z"}),
        );
        assert_eq!(
            narrow("Job", &fixed),
            ["pi", "Running", "2/5", "10m", "10m"]
        );
        let not_started = job(
            json!({"completions": 1, "suspend": true}),
            json!({
            "conditions": [{"type": "Suspended", "status": "True"}]}),
        );
        assert_eq!(
            narrow("Job", &not_started),
            ["pi", "Suspended", "0/1", "", "10m"]
        );
        let failed = job(
            json!({"completions": 1, "backoffLimit": 0}),
            json!({"failed": 1, "startTime": "2025-06-01T11:50:00Z",
                   "conditions": [{"type": "FailureTarget", "status": "True"},
                                  {"type": "Failed", "status": "True"}]}),
        );
        assert_eq!(narrow("Job", &failed)[1], "Failed");
        let failing = job(
            json!({"completions": 1}),
            json!({"startTime": "2025-06-01T11:50:00Z",
                   "conditions": [{"type": "FailureTarget", "status": "True"}]}),
        );
        assert_eq!(narrow("Job", &failing)[1], "FailureTarget");
        let mut deleting = job(json!({"completions": 1}), json!({}));
        deleting
            .set("/metadata/deletionTimestamp", json!("2025-06-01T12:00:00Z"))
            .unwrap();
        assert_eq!(narrow("Job", &deleting)[1], "Terminating");
    }
}
