//! How the API server writes Secrets (pkg/registry/core/secret/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: false,
    generation: false,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: Some(default_secret),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn default_secret(obj: &mut Value) {
    use base64::Engine as _;
    set_if_absent(obj, "type", json!("Opaque"));
    // The API server folds stringData into data (stringData wins) and never stores stringData.
    if let Some(Value::Object(sd)) = obj.as_object_mut().and_then(|m| m.remove("stringData")) {
        let data = child(obj, "data");
        for (k, v) in sd {
            let s = v.as_str().unwrap_or_default();
            put(
                data,
                &k,
                json!(base64::engine::general_purpose::STANDARD.encode(s)),
            );
        }
    }
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    secret(e, obj, old);
}

fn secret(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let data = obj.get("data").and_then(Value::as_object);
    let mut total = 0;
    for (k, v) in data.into_iter().flatten() {
        for m in is_config_map_key(k) {
            e.invalid(&format!("data[{k}]"), BadValue::Str(k.clone()), &m);
        }
        total += v.as_str().map_or(0, |s| s.len() * 3 / 4);
    }
    if total > MAX_SECRET_SIZE {
        e.too_long("data", MAX_SECRET_SIZE);
    }
    let has = |k: &str| data.is_some_and(|d| d.contains_key(k));
    let ty = str_at(obj, "type");
    match ty {
        "kubernetes.io/service-account-token" => {
            let ann = obj.ptr("/metadata/annotations/kubernetes.io~1service-account.name");
            if ann.and_then(Value::as_str).is_none_or(str::is_empty) {
                e.required(
                    "metadata.annotations[kubernetes.io/service-account.name]",
                    "",
                );
            }
        }
        "kubernetes.io/dockercfg" if !has(".dockercfg") => {
            e.required("data[.dockercfg]", "");
        }
        "kubernetes.io/dockerconfigjson" if !has(".dockerconfigjson") => {
            e.required("data[.dockerconfigjson]", "");
        }
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            e.required("data[username]", "");
            e.required("data[password]", "");
        }
        "kubernetes.io/ssh-auth" if !has("ssh-privatekey") => {
            e.required("data[ssh-privatekey]", "");
        }
        "kubernetes.io/tls" => {
            if !has("tls.crt") {
                e.required("data[tls.crt]", "");
            }
            if !has("tls.key") {
                e.required("data[tls.key]", "");
            }
        }
        _ => {}
    }
    if let Some(old) = old {
        let ot = str_at(old, "type");
        if ot != ty {
            e.invalid("type", BadValue::Str(ty.into()), IMMUTABLE);
        }
        immutable_data(e, obj, old, &["data"]);
    }
}
