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
