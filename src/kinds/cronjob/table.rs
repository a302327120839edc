//! `kubectl get cronjobs`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::kinds::common::table::*;
use crate::print::age::*;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("SCHEDULE"),
    n("TIMEZONE"),
    n("SUSPEND"),
    n("ACTIVE"),
    n("LAST SCHEDULE"),
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
    cron_job_row(obj, now)
}

fn cron_job_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let last_schedule = match opt_string(obj, &["status", "lastScheduleTime"]) {
        Some(ts) => age(Some(ts), now),
        None => "<none>".to_string(),
    };
    let suspend = match opt_bool(obj, &["spec", "suspend"]) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    let (names, images) = layout_container_cells(template_containers(
        obj,
        &["spec", "jobTemplate", "spec", "template"],
    ));
    vec![
        name(obj),
        string(obj, &["spec", "schedule"]).to_string(),
        opt_string(obj, &["spec", "timeZone"])
            .unwrap_or("<none>")
            .to_string(),
        suspend.to_string(),
        list(obj, &["status", "active"]).len().to_string(),
        last_schedule,
        creation_age(obj, now),
        names,
        images,
        format_label_selector(get(obj, &["spec", "jobTemplate", "spec", "selector"])),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn cron_job() {
        let cj = json!({
            "metadata": {"name": "hello", "creationTimestamp": "2025-06-01T11:50:00Z"},
            "spec": {"schedule": "*/1 * * * *", "suspend": false,
                     "jobTemplate": {"spec": {"template": {"spec": {
                         "restartPolicy": "OnFailure",
                         "containers": [{"name": "hello", "image": "busybox:1.28"}]}}}}},
            "status": {"active": [{"kind": "Job", "name": "hello-29144399"}],
                       "lastScheduleTime": "2025-06-01T11:59:15Z"}
        });
        assert_eq!(
            wide("CronJob", &cj),
            [
                "hello",
                "*/1 * * * *",
                "<none>",
                "False",
                "1",
                "45s",
                "10m",
                "hello",
                "busybox:1.28",
                "<none>"
            ]
        );
        let never = json!({"metadata": {"name": "n"},
                           "spec": {"schedule": "@daily", "timeZone": "Etc/UTC", "suspend": true}});
        assert_eq!(
            narrow("CronJob", &never),
            ["n", "@daily", "Etc/UTC", "True", "0", "<none>", "<unknown>"]
        );
        let unset = json!({"metadata": {"name": "u"}, "spec": {"schedule": "0 0 * * *"}});
        assert_eq!(narrow("CronJob", &unset)[3], "<unset>");
    }
}
