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

fn validate(e: &mut Errs, obj: &Value, _old: Option<&Value>) {
    cronjob(e, obj, specs(obj, None).0);
}

fn cronjob(e: &mut Errs, obj: &Value, s: &Value) {
    let name = obj
        .ptr("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if name.len() > 52 {
        e.invalid(
            "metadata.name",
            BadValue::Str(name.into()),
            "must be no more than 52 characters",
        );
    }
    let sched = str_at(s, "schedule");
    if sched.is_empty() {
        e.required("spec.schedule", "");
    } else if sched.contains("TZ") {
        e.invalid(
            "spec.schedule",
            BadValue::Str(sched.into()),
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        );
    } else if let Err(m) = parse_cron(sched) {
        e.invalid("spec.schedule", BadValue::Str(sched.into()), &m);
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
    for k in [
        "startingDeadlineSeconds",
        "successfulJobsHistoryLimit",
        "failedJobsHistoryLimit",
    ] {
        e.nonneg(&format!("spec.{k}"), s.get(k));
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
}

/// robfig/cron `ParseStandard`: 5 fields or a descriptor; returns robfig's error text.
fn parse_cron(s: &str) -> Result<(), String> {
    if let Some(d) = s.strip_prefix('@') {
        return match d {
            "yearly" | "annually" | "monthly" | "weekly" | "daily" | "midnight" | "hourly" => {
                Ok(())
            }
            _ if d.starts_with("every ") => Ok(()),
            _ => Err(format!("unrecognized descriptor: {s}")),
        };
    }
    let fields: Vec<&str> = s.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    let bounds = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)];
    let names: [&[&str]; 5] = [
        &[],
        &[],
        &[],
        &[
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ],
        &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
    ];
    for (i, f) in fields.iter().enumerate() {
        let (min, max) = bounds[i];
        for part in f.split(',') {
            let (range, step) = match part.split_once('/') {
                Some((r, st)) => (r, Some(st)),
                None => (part, None),
            };
            let num = |x: &str| -> Result<i64, String> {
                if let Some(pos) = names[i].iter().position(|n| n.eq_ignore_ascii_case(x)) {
                    return Ok(pos as i64 + if i == 3 { 1 } else { 0 });
                }
                x.parse::<u32>().map(i64::from).map_err(|_| {
                    format!(
                        "failed to parse int from {x}: strconv.Atoi: parsing {}: invalid syntax",
                        go_q(x)
                    )
                })
            };
            let (lo, hi) = if range == "*" || range == "?" {
                (min, max)
            } else if let Some((a, b)) = range.split_once('-') {
                (num(a)?, num(b)?)
            } else {
                let v = num(range)?;
                (v, if step.is_some() { max } else { v })
            };
            if let Some(st) = step {
                let n = num(st)?;
                if n == 0 {
                    return Err(format!("step of range should be a positive number: {part}"));
                }
            }
            if lo < min {
                return Err(format!(
                    "beginning of range ({lo}) below minimum ({min}): {part}"
                ));
            }
            if hi > max {
                return Err(format!("end of range ({hi}) above maximum ({max}): {part}"));
            }
            if lo > hi {
                return Err(format!(
                    "beginning of range ({lo}) beyond end of range ({hi}): {part}"
                ));
            }
        }
    }
    Ok(())
}
