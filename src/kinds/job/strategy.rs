//! How the API server writes Jobs (pkg/registry/batch/job/strategy.go): status and
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
    defaults: Some(default_job),
    validate: Some(validate),
    prepare_for_create: Some(job_selector_defaults),
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn default_job(obj: &mut Value) {
    let s = spec(obj);
    if s.get("completions").is_none() && s.get("parallelism").is_none() {
        put(s, "completions", json!(1));
        put(s, "parallelism", json!(1));
    }
    set_if_absent(s, "parallelism", json!(1));
    if s.get("backoffLimit").is_none() {
        let v = if s.get("backoffLimitPerIndex").is_some() {
            json!(i32::MAX)
        } else {
            json!(6)
        };
        put(s, "backoffLimit", v);
    }
    set_if_absent(s, "completionMode", json!("NonIndexed"));
    set_if_absent(s, "suspend", json!(false));
    if let Some(rules) = s
        .pointer_mut("/podFailurePolicy/rules")
        .and_then(Value::as_array_mut)
    {
        for rule in rules {
            for pat in arr_mut(rule, "onPodConditions") {
                set_if_absent(pat, "status", json!("True"));
            }
        }
    }
    if s.get("podReplacementPolicy").is_none() {
        let v = if s.get("podFailurePolicy").is_some() {
            "Failed"
        } else {
            "TerminatingOrFailed"
        };
        put(s, "podReplacementPolicy", json!(v));
    }
    set_if_absent(s, "manualSelector", json!(false));
    let labels = obj
        .ptr("/spec/template/metadata/labels")
        .filter(|l| l.is_object())
        .cloned();
    if let Some(labels) = labels {
        let meta = child(obj, "metadata");
        if is_empty_map(meta.get("labels")) {
            put(meta, "labels", labels);
        }
    }
    default_template_at(obj, &["spec", "template"]);
    empty_status(obj);
}

/// The Job registry strategy's generated selector (`pkg/registry/batch/job/strategy.go`,
/// `generateSelector`), run on create unless `spec.manualSelector` is true: adds the template
/// labels `job-name`, `batch.kubernetes.io/job-name` (= the Job's name), `controller-uid`,
/// `batch.kubernetes.io/controller-uid` (= `uid`) when absent, and the selector
/// `matchLabels: {batch.kubernetes.io/controller-uid: <uid>}`.
pub fn job_selector_defaults(job: &mut Value, uid: &str) {
    if !job.is_object() {
        return;
    }
    let manual = job
        .ptr("/spec/manualSelector")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if manual {
        return;
    }
    let name = job
        .ptr("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let s = spec(job);
    let template = child(s, "template");
    let meta = child(template, "metadata");
    let labels = child(meta, "labels");
    for key in ["job-name", "batch.kubernetes.io/job-name"] {
        set_if_absent(labels, key, json!(name));
    }
    for key in ["controller-uid", "batch.kubernetes.io/controller-uid"] {
        set_if_absent(labels, key, json!(uid));
    }
    let template_labels = labels.clone();
    let selector = child(s, "selector");
    let ml = child(selector, "matchLabels");
    set_if_absent(ml, "batch.kubernetes.io/controller-uid", json!(uid));
    // `SetDefaults_Job` runs again whenever the Job is read back: a Job without labels shows
    // its template's, the generated ones included.
    let meta = child(job, "metadata");
    if is_empty_map(meta.get("labels")) {
        put(meta, "labels", template_labels);
    }
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let (spec, old_spec) = specs(obj, old);
    job_spec(e, spec, "spec", true);
    job_policies(e, spec, "spec");
    if let (Some(os), Some(old)) = (old_spec, old) {
        completions_update(e, spec, os);
        immutable(e, spec, os, "selector", "spec.selector", selector_go);
        // A Job suspended before it ever started may change where its pods go
        // (`AllowMutableSchedulingDirectives`).
        let mutable_scheduling = os.get("suspend").and_then(Value::as_bool) == Some(true)
            && old.ptr("/status/startTime").is_none();
        let template = |t: Option<&Value>| {
            let mut t = t.cloned().unwrap_or(Value::Null);
            if mutable_scheduling && let Some(m) = t.as_object_mut() {
                m.remove("metadata");
                if let Some(ps) = m.get_mut("spec").and_then(Value::as_object_mut) {
                    for k in ["nodeSelector", "tolerations", "affinity", "schedulingGates"] {
                        ps.remove(k);
                    }
                }
            }
            t
        };
        if template(spec.get("template")) != template(os.get("template")) {
            e.invalid(
                "spec.template",
                BadValue::Raw("core.PodTemplateSpec{...}".into()),
                IMMUTABLE,
            );
        }
        let scalar = |v: Option<&Value>| match v {
            None | Some(Value::Null) => "null".to_string(),
            Some(Value::String(s)) => go_q(s),
            Some(v) => v.to_string(),
        };
        for k in ["completionMode", "backoffLimitPerIndex", "managedBy"] {
            immutable(e, spec, os, k, &format!("spec.{k}"), scalar);
        }
        for k in ["podFailurePolicy", "successPolicy"] {
            if spec.get(k) != os.get(k) {
                e.invalid(
                    &format!("spec.{k}"),
                    BadValue::Raw(format!("batch.{}{{...}}", upper_first(k))),
                    IMMUTABLE,
                );
            }
        }
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// `validateCompletions`: completions is immutable, except that an Indexed Job may change it
/// together with parallelism (ElasticIndexedJob, GA in 1.31).
fn completions_update(e: &mut Errs, spec: &Value, old: &Value) {
    let (new_c, old_c) = (spec.get("completions"), old.get("completions"));
    if new_c == old_c {
        return;
    }
    let indexed = spec.get("completionMode").and_then(Value::as_str) == Some("Indexed");
    match new_c.and_then(Value::as_i64) {
        Some(c) if indexed => {
            if spec.get("parallelism").and_then(Value::as_i64) != Some(c) {
                e.invalid(
                    "spec.completions",
                    BadValue::Int(c),
                    "can only be modified in tandem with spec.parallelism",
                );
            }
        }
        None if indexed => {}
        Some(c) => e.invalid("spec.completions", BadValue::Int(c), IMMUTABLE),
        None => e.invalid("spec.completions", BadValue::Null, IMMUTABLE),
    }
}

/// The parts of `validateJobSpec` (pkg/apis/batch/validation) about the newer Job fields:
/// ttlSecondsAfterFinished, backoffLimitPerIndex and maxFailedIndexes, Indexed parallelism,
/// podFailurePolicy (with restartPolicy Never), successPolicy rules, podReplacementPolicy.
fn job_policies(e: &mut Errs, s: &Value, path: &str) {
    let int = |k: &str| s.get(k).and_then(Value::as_i64);
    for k in [
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
        "maxFailedIndexes",
    ] {
        e.nonneg(&format!("{path}.{k}"), s.get(k));
    }
    let indexed = s.get("completionMode").and_then(Value::as_str) == Some("Indexed");
    if s.get("backoffLimitPerIndex").is_some() && !indexed {
        e.forbidden(
            &format!("{path}.backoffLimitPerIndex"),
            "requires indexed completion mode",
        );
    }
    if s.get("maxFailedIndexes").is_some() && s.get("backoffLimitPerIndex").is_none() {
        e.required(
            &format!("{path}.backoffLimitPerIndex"),
            "when maxFailedIndexes is specified",
        );
    }
    if indexed {
        if let Some(p) = int("parallelism").filter(|p| *p > 100_000) {
            e.invalid(
                &format!("{path}.parallelism"),
                BadValue::Int(p),
                "must be less than or equal to 100000 when completion mode is Indexed",
            );
        }
        if let (Some(c), Some(m)) = (int("completions"), int("maxFailedIndexes"))
            && m > c
        {
            e.invalid(
                &format!("{path}.maxFailedIndexes"),
                BadValue::Int(m),
                "must be less than or equal to completions",
            );
        }
    }
    if let Some(pfp) = s.get("podFailurePolicy").filter(|v| v.is_object()) {
        pod_failure_policy(e, s, pfp, &format!("{path}.podFailurePolicy"));
    }
    if let Some(sp) = s.get("successPolicy").filter(|v| v.is_object()) {
        let rules = sp.get("rules").and_then(Value::as_array);
        if rules.is_none_or(|r| r.is_empty()) {
            e.required(
                &format!("{path}.successPolicy.rules"),
                "at least one rules must be specified when the successPolicy is specified",
            );
        }
        for (i, rule) in rules.into_iter().flatten().enumerate() {
            if rule.get("succeededCount").is_none() && rule.get("succeededIndexes").is_none() {
                e.required(
                    &format!("{path}.successPolicy.rules[{i}]"),
                    "at least one of succeededCount or succeededIndexes must be specified",
                );
            }
        }
    }
    if let Some(rp) = s.get("podReplacementPolicy").and_then(Value::as_str) {
        let fpath = format!("{path}.podReplacementPolicy");
        if s.get("podFailurePolicy").is_some() {
            if rp != "Failed" {
                e.unsupported(&fpath, rp, &["Failed"]);
            }
        } else if !matches!(rp, "Failed" | "TerminatingOrFailed") {
            e.unsupported(&fpath, rp, &["Failed", "TerminatingOrFailed"]);
        }
    }
    let restart = s
        .ptr("/template/spec/restartPolicy")
        .and_then(Value::as_str)
        .unwrap_or("");
    if s.get("podFailurePolicy").is_some() && restart == "OnFailure" {
        e.invalid(
            &format!("{path}.template.spec.restartPolicy"),
            BadValue::Str(restart.into()),
            "only \"Never\" is supported when podFailurePolicy is specified",
        );
    }
}

/// `validatePodFailurePolicy`: each rule names a supported action and exactly one of
/// onExitCodes / onPodConditions; FailIndex needs backoffLimitPerIndex.
fn pod_failure_policy(e: &mut Errs, spec: &Value, pfp: &Value, path: &str) {
    let rules = pfp.get("rules").and_then(Value::as_array);
    if rules.is_some_and(|r| r.len() > 20) {
        e.0.push(crate::kinds::field::FieldError {
            field: format!("{path}.rules"),
            kind: crate::kinds::field::FieldErrorType::TooMany,
            value: Some(BadValue::Int(rules.map_or(0, Vec::len) as i64)),
            detail: "must have at most 20 items".into(),
        });
        return;
    }
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        let rpath = format!("{path}.rules[{i}]");
        let action = rule.get("action").and_then(Value::as_str).unwrap_or("");
        let apath = format!("{rpath}.action");
        match action {
            "FailJob" | "Ignore" | "Count" => {}
            "FailIndex" if spec.get("backoffLimitPerIndex").is_none() => e.invalid(
                &apath,
                BadValue::Str(action.into()),
                "requires the backoffLimitPerIndex to be set",
            ),
            "FailIndex" => {}
            "" => e.required(&apath, ""),
            other => e.unsupported(&apath, other, &["Count", "FailIndex", "FailJob", "Ignore"]),
        }
        let codes = rule.get("onExitCodes").filter(|v| v.is_object());
        let conds = rule
            .get("onPodConditions")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty());
        let omit = |detail: &str| crate::kinds::field::FieldError {
            field: rpath.clone(),
            kind: crate::kinds::field::FieldErrorType::Invalid,
            value: None,
            detail: detail.into(),
        };
        match (codes, conds) {
            (None, None) => e.0.push(omit(
                "specifying one of OnExitCodes and OnPodConditions is required",
            )),
            (Some(_), Some(_)) => e.0.push(omit(
                "specifying both OnExitCodes and OnPodConditions is not supported",
            )),
            (Some(c), None) => {
                let cpath = format!("{rpath}.onExitCodes");
                let op = c.get("operator").and_then(Value::as_str).unwrap_or("");
                if !matches!(op, "In" | "NotIn") {
                    e.unsupported(&format!("{cpath}.operator"), op, &["In", "NotIn"]);
                }
                let values: Vec<i64> = c
                    .get("values")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_i64).collect())
                    .unwrap_or_default();
                if values.is_empty() {
                    e.required(&format!("{cpath}.values"), "at least one value is required");
                }
                for (j, v) in values.iter().enumerate() {
                    let vpath = format!("{cpath}.values[{j}]");
                    if op == "In" && *v == 0 {
                        e.invalid(
                            &vpath,
                            BadValue::Int(0),
                            "must not be 0 for the In operator",
                        );
                    }
                    if j > 0 && values[j - 1] > *v {
                        e.invalid(&vpath, BadValue::Int(*v), "must be ordered");
                    } else if j > 0 && values[j - 1] == *v {
                        e.0.push(crate::kinds::field::FieldError {
                            field: vpath,
                            kind: crate::kinds::field::FieldErrorType::Duplicate,
                            value: Some(BadValue::Int(*v)),
                            detail: String::new(),
                        });
                    }
                }
            }
            (None, Some(_)) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(spec: Value) -> Vec<String> {
        let mut e = Errs::default();
        job_policies(&mut e, &spec, "spec");
        e.0.iter().map(ToString::to_string).collect()
    }

    fn update_errors(old: Value, new: Value) -> Vec<String> {
        let mut e = Errs::default();
        validate(&mut e, &new, Some(&old));
        // The bare template lacks the defaulted fields; only the update rules matter here.
        e.0.iter()
            .map(ToString::to_string)
            .filter(|m| !m.starts_with("spec.template.spec."))
            .collect()
    }

    fn job(spec: Value, start: bool) -> Value {
        let mut spec = spec;
        spec["selector"] = json!({"matchLabels": {"a": "b"}});
        spec["template"] = json!({"metadata": {"labels": {"a": "b"}}, "spec": {
            "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}});
        let status = if start {
            json!({"startTime": "2026-01-01T00:00:00Z"})
        } else {
            json!({})
        };
        json!({"metadata": {"name": "j", "namespace": "default"}, "spec": spec, "status": status})
    }

    #[test]
    fn updates_keep_what_the_api_server_keeps() {
        let old = job(json!({"completions": 2, "parallelism": 2}), true);
        let mut new = old.clone();
        new["spec"]["completions"] = json!(3);
        assert_eq!(
            update_errors(old.clone(), new),
            ["spec.completions: Invalid value: 3: field is immutable"]
        );
        // Elastic Indexed Jobs: completions moves with parallelism.
        let old = job(
            json!({"completions": 2, "parallelism": 2, "completionMode": "Indexed"}),
            true,
        );
        let mut new = old.clone();
        new["spec"]["completions"] = json!(4);
        assert_eq!(
            update_errors(old.clone(), new.clone()),
            [
                "spec.completions: Invalid value: 4: can only be modified in tandem with spec.parallelism"
            ]
        );
        new["spec"]["parallelism"] = json!(4);
        assert!(update_errors(old.clone(), new.clone()).is_empty());
        new["spec"]["completionMode"] = json!("NonIndexed");
        assert_eq!(
            update_errors(old, new),
            [
                "spec.completions: Invalid value: 4: field is immutable",
                "spec.completionMode: Invalid value: \"NonIndexed\": field is immutable"
            ]
        );
        // A suspended Job that never started may change its node selector, not its image.
        let old = job(json!({"completions": 1, "suspend": true}), false);
        let mut new = old.clone();
        new["spec"]["template"]["spec"]["nodeSelector"] = json!({"disk": "ssd"});
        assert!(update_errors(old.clone(), new.clone()).is_empty());
        new["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx");
        assert_eq!(update_errors(old, new).len(), 1);
        let started = job(json!({"completions": 1, "suspend": true}), true);
        let mut new = started.clone();
        new["spec"]["template"]["spec"]["nodeSelector"] = json!({"disk": "ssd"});
        assert_eq!(
            update_errors(started, new),
            ["spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"]
        );
    }

    #[test]
    fn policies_are_validated_as_the_api_server_does() {
        let t = |rp: &str| json!({"spec": {"restartPolicy": rp}});
        assert_eq!(
            errors(json!({"backoffLimitPerIndex": 1, "template": t("Never")})),
            ["spec.backoffLimitPerIndex: Forbidden: requires indexed completion mode"]
        );
        assert_eq!(
            errors(
                json!({"completionMode": "Indexed", "completions": 2, "maxFailedIndexes": 3,
                "template": t("Never")})
            ),
            [
                "spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified",
                "spec.maxFailedIndexes: Invalid value: 3: must be less than or equal to completions"
            ]
        );
        assert_eq!(
            errors(
                json!({"template": t("OnFailure"), "podFailurePolicy": {"rules": [
                {"action": "FailIndex", "onExitCodes": {"operator": "In", "values": [0, 2, 2]}},
                {"action": "Ignore"}]}})
            ),
            [
                "spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set",
                "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
                "spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 2",
                "spec.podFailurePolicy.rules[1]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
                "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified"
            ]
        );
        assert_eq!(
            errors(
                json!({"podReplacementPolicy": "TerminatingOrFailed", "template": t("Never"),
                "podFailurePolicy": {"rules": [{"action": "Count",
                    "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]}})
            ),
            [
                "spec.podReplacementPolicy: Unsupported value: \"TerminatingOrFailed\": supported values: \"Failed\""
            ]
        );
        assert!(
            errors(json!({"completionMode": "Indexed", "completions": 2,
            "backoffLimitPerIndex": 1, "maxFailedIndexes": 1, "template": t("Never")}))
            .is_empty()
        );
    }
}
