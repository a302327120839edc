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
    graceful_delete: None,
    spec_finalizers: false,
};

fn default_job(obj: &mut Value) {
    let s = spec(obj);
    if s.get("completions").is_none() && s.get("parallelism").is_none() {
        s["completions"] = json!(1);
        s["parallelism"] = json!(1);
    }
    set_if_absent(s, "parallelism", json!(1));
    if s.get("backoffLimit").is_none() {
        let v = if s.get("backoffLimitPerIndex").is_some() {
            json!(i32::MAX)
        } else {
            json!(6)
        };
        s["backoffLimit"] = v;
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
        s["podReplacementPolicy"] = json!(v);
    }
    set_if_absent(s, "manualSelector", json!(false));
    let labels = obj
        .ptr("/spec/template/metadata/labels")
        .filter(|l| l.is_object())
        .cloned();
    if let Some(labels) = labels {
        let meta = child(obj, "metadata");
        if is_empty_map(meta.get("labels")) {
            meta["labels"] = labels;
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
        meta["labels"] = template_labels;
    }
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let (spec, old_spec) = specs(obj, old);
    job_spec(e, spec, "spec", true);
    job_policies(e, spec, "spec");
    if let Some(os) = old_spec {
        immutable(e, spec, os, "selector", "spec.selector", selector_go);
        if spec.get("template") != os.get("template") {
            e.invalid(
                "spec.template",
                BadValue::Raw("core.PodTemplateSpec{...}".into()),
                IMMUTABLE,
            );
        }
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
