//! How the API server writes CronJobs (pkg/registry/batch/cronjob/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::PODS_NAME_WARNING;
use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: true,
    name_rule: NameRule::Subdomain,
    name_warning: Some(PODS_NAME_WARNING),
    defaults: Some(default_cronjob),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn default_cronjob(obj: &mut Value) {
    let s = spec(obj);
    set_if_absent(s, "concurrencyPolicy", json!("Allow"));
    set_if_absent(s, "suspend", json!(false));
    set_if_absent(s, "successfulJobsHistoryLimit", json!(3));
    set_if_absent(s, "failedJobsHistoryLimit", json!(1));
    let jt = child(s, "jobTemplate");
    set_if_absent(child(jt, "metadata"), "creationTimestamp", Value::Null);
    let jspec = child(jt, "spec");
    if let Some(rules) = jspec
        .pointer_mut("/podFailurePolicy/rules")
        .and_then(Value::as_array_mut)
    {
        for rule in rules {
            for pat in arr_mut(rule, "onPodConditions") {
                set_if_absent(pat, "status", json!("True"));
            }
        }
    }
    default_template_at(obj, &["spec", "jobTemplate", "spec", "template"]);
    empty_status(obj);
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let (s, old_s) = specs(obj, old);
    cronjob(e, obj, s, old_s, old.is_none());
}

/// validation.go `ValidateCronJobCreate`/`ValidateCronJobUpdate` (`validateCronJobSpec`).
fn cronjob(e: &mut Errs, obj: &Value, s: &Value, old_s: Option<&Value>, create: bool) {
    let tz = s.get("timeZone").and_then(Value::as_str);
    let sched = str_at(s, "schedule");
    if sched.is_empty() {
        e.required("spec.schedule", "");
    } else {
        let allow_tz = old_s.is_some_and(|o| str_at(o, "schedule").contains("TZ"));
        if let Err(m) = crate::util::cron::parse_standard(sched) {
            e.invalid("spec.schedule", BadValue::Str(sched.into()), &m);
        }
        if allow_tz && sched.contains("TZ") && tz.is_some() {
            e.invalid(
                "spec.schedule",
                BadValue::Str(sched.into()),
                "cannot use both timeZone field and TZ or CRON_TZ in schedule",
            );
        } else if !allow_tz && sched.contains("TZ") {
            e.invalid(
                "spec.schedule",
                BadValue::Str(sched.into()),
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            );
        }
    }
    e.nonneg(
        "spec.startingDeadlineSeconds",
        s.get("startingDeadlineSeconds"),
    );
    let old_tz = old_s.map(|o| o.get("timeZone").and_then(Value::as_str));
    if old_tz.is_none_or(|o| o != tz)
        && let Some(tz) = tz
        && let Err(m) = time_zone(tz)
    {
        e.invalid("spec.timeZone", BadValue::Str(tz.into()), &m);
    }
    let cp = str_at(s, "concurrencyPolicy");
    match cp {
        "Allow" | "Forbid" | "Replace" => {}
        "" => e.required("spec.concurrencyPolicy", ""),
        _ => e.unsupported(
            "spec.concurrencyPolicy",
            cp,
            &["Allow", "Forbid", "Replace"],
        ),
    }
    let jt = s.get("jobTemplate").unwrap_or(&Value::Null);
    let jmeta = jt.get("metadata").unwrap_or(&Value::Null);
    labels(e, jmeta.get("labels"), "spec.jobTemplate.metadata.labels");
    annotations(
        e,
        jmeta.get("annotations"),
        "spec.jobTemplate.metadata.annotations",
    );
    job_spec(
        e,
        jt.get("spec").unwrap_or(&Value::Null),
        "spec.jobTemplate.spec",
        false,
    );
    for k in ["successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
        e.nonneg(&format!("spec.{k}"), s.get(k));
    }
    // After the spec, only on create: old CronJobs with longer names stay updatable.
    let name = obj
        .ptr("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if create && name.len() > 52 {
        e.invalid(
            "metadata.name",
            BadValue::Str(name.into()),
            "must be no more than 52 characters",
        );
    }
}

/// validation.go `validateTimeZone`: IANA naming rules (`validTimeZoneCharacters` per `/`
/// component), not `Local`, and a zone Go's `time.LoadLocation` finds.
fn time_zone(tz: &str) -> Result<(), String> {
    if tz.is_empty() {
        return Err("timeZone must be nil or non-empty string".into());
    }
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+');
    for part in tz.split('/') {
        if part == "."
            || part == ".."
            || part.starts_with('-')
            || part.is_empty()
            || part.len() > 14
            || !part.chars().all(ok_char)
        {
            return Err(format!("unknown time zone {tz}"));
        }
    }
    if tz.eq_ignore_ascii_case("Local") {
        return Err(
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
                .into(),
        );
    }
    crate::util::cron::load_location(tz).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// validation_test.go's timeZone cases: IANA names load, the rest is refused with Go's
    /// words.
    #[test]
    fn time_zones() {
        for ok in [
            "Etc/UTC",
            "Europe/Paris",
            "America/New_York",
            "UTC",
            "Etc/GMT+5",
        ] {
            assert_eq!(time_zone(ok), Ok(()), "{ok}");
        }
        let bad = |tz: &str| time_zone(tz).unwrap_err();
        assert_eq!(bad(""), "timeZone must be nil or non-empty string");
        assert_eq!(
            bad("Local"),
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
        );
        for tz in [
            "../etc/passwd",
            "Europe/-Paris",
            " Europe/Paris",
            "America/Argentina_Buenos_Aires_Long",
        ] {
            assert_eq!(bad(tz), format!("unknown time zone {tz}"), "{tz}");
        }
        assert_eq!(bad("Mars/Olympus"), "unknown time zone Mars/Olympus");
    }

    fn errors(obj: Value, old: Option<Value>) -> Vec<String> {
        let mut e = Errs::default();
        validate(&mut e, &obj, old.as_ref());
        // The template is left undefaulted here: only the CronJob's own fields are looked at.
        e.0.iter()
            .filter(|f| !f.field.starts_with("spec.jobTemplate"))
            .map(|f| format!("{}: {}", f.field, f.detail))
            .collect()
    }

    fn cj(schedule: &str, tz: Option<&str>) -> Value {
        let mut o = json!({"metadata": {"name": "hello"},
            "spec": {"schedule": schedule, "concurrencyPolicy": "Allow",
                     "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure",
                         "containers": [{"name": "c", "image": "busybox"}]}}}}}});
        if let Some(tz) = tz {
            o["spec"]["timeZone"] = json!(tz);
        }
        o
    }

    /// `validateScheduleFormat`: TZ in a schedule is refused on create, tolerated on update
    /// when the old schedule had it, unless `timeZone` is set too.
    #[test]
    fn tz_in_the_schedule() {
        let tz = "TZ=Europe/Paris 0 9 * * *";
        assert_eq!(
            errors(cj(tz, None), None),
            ["spec.schedule: cannot use TZ or CRON_TZ in schedule, use timeZone field instead"]
        );
        assert!(errors(cj(tz, None), Some(cj(tz, None))).is_empty());
        assert_eq!(
            errors(cj(tz, Some("Etc/UTC")), Some(cj(tz, None))),
            ["spec.schedule: cannot use both timeZone field and TZ or CRON_TZ in schedule"]
        );
        assert_eq!(
            errors(cj("0 9 * * 8", None), None),
            ["spec.schedule: end of range (8) above maximum (6): 8"]
        );
        assert!(errors(cj("@every 90m", None), None).is_empty());
        assert!(errors(cj("30 6-16/4 ? JAN-DEC MON-FRI", None), None).is_empty());
    }
}
