//! How the API server writes Ingresses (pkg/registry/networking/ingress/strategy.go,
//! pkg/apis/networking/validation `ValidateIngressSpec`): a status subresource, the
//! generation, and the spec's essential rules (rules or a default backend; hosts; paths;
//! service backends).

use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::Value;

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: true,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: None,
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

/// `ValidateIngressSpec`, its TLS hosts and wildcard-host leniencies left out.
fn validate(e: &mut Errs, obj: &Value, _old: Option<&Value>) {
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let rules = spec
        .get("rules")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let default = spec.get("defaultBackend").filter(|v| !v.is_null());
    if rules.is_empty() && default.is_none() {
        e.invalid(
            "spec",
            BadValue::Raw("[]networking.IngressRule(nil)".into()),
            "either `defaultBackend` or `rules` must be specified",
        );
    }
    if let Some(b) = default {
        backend(e, b, "spec.defaultBackend");
    }
    for (i, rule) in rules.iter().enumerate() {
        let p = format!("spec.rules[{i}]");
        let host = str_at(rule, "host");
        if !host.is_empty() {
            // `IsWildcardDNS1123Subdomain` for `*.` hosts: the rest is a subdomain.
            for msg in is_dns1123_subdomain(host.strip_prefix("*.").unwrap_or(host)) {
                e.invalid(&format!("{p}.host"), BadValue::Str(host.into()), &msg);
            }
        }
        let Some(http) = rule.get("http").filter(|v| !v.is_null()) else {
            continue;
        };
        let paths = http
            .get("paths")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        if paths.is_empty() {
            e.required(&format!("{p}.http.paths"), "");
        }
        for (j, path) in paths.iter().enumerate() {
            http_path(e, path, &format!("{p}.http.paths[{j}]"));
        }
    }
    if let Some(class) = spec.get("ingressClassName").and_then(Value::as_str) {
        for msg in is_dns1123_subdomain(class) {
            e.invalid("spec.ingressClassName", BadValue::Str(class.into()), &msg);
        }
    }
}

/// `validateHTTPIngressPath`.
fn http_path(e: &mut Errs, path: &Value, p: &str) {
    let Some(kind) = path.get("pathType").and_then(Value::as_str) else {
        e.required(&format!("{p}.pathType"), "pathType must be specified");
        return;
    };
    let value = str_at(path, "path");
    match kind {
        "Exact" | "Prefix" => {
            if !value.starts_with('/') {
                e.invalid(
                    &format!("{p}.path"),
                    BadValue::Str(value.into()),
                    "must be an absolute path",
                );
            }
        }
        "ImplementationSpecific" => {
            if !value.is_empty() && !value.starts_with('/') {
                e.invalid(
                    &format!("{p}.path"),
                    BadValue::Str(value.into()),
                    "must be an absolute path",
                );
            }
        }
        other => e.unsupported(
            &format!("{p}.pathType"),
            other,
            &["Exact", "ImplementationSpecific", "Prefix"],
        ),
    }
    backend(
        e,
        path.get("backend").unwrap_or(&Value::Null),
        &format!("{p}.backend"),
    );
}

/// `validateIngressBackend`: a service backend's name (a DNS-1035 label) and exactly one of
/// its port's name and number.
fn backend(e: &mut Errs, b: &Value, p: &str) {
    let svc = b.get("service").filter(|v| !v.is_null());
    let resource = b.get("resource").filter(|v| !v.is_null());
    let Some(svc) = svc else {
        if resource.is_none() {
            e.invalid(
                p,
                BadValue::Str(String::new()),
                "resource or service backend is required",
            );
        }
        return;
    };
    if resource.is_some() {
        e.invalid(
            p,
            BadValue::Str(String::new()),
            "cannot set both resource and service backends",
        );
        return;
    }
    let name = str_at(svc, "name");
    if name.is_empty() {
        e.required(&format!("{p}.service.name"), "");
    } else {
        for msg in is_dns1035_label(name) {
            e.invalid(
                &format!("{p}.service.name"),
                BadValue::Str(name.into()),
                &msg,
            );
        }
    }
    let port = svc.get("port").unwrap_or(&Value::Null);
    let port_name = str_at(port, "name");
    let number = port.get("number").and_then(Value::as_i64).unwrap_or(0);
    match (port_name.is_empty(), number == 0) {
        (false, false) => e.invalid(
            p,
            BadValue::Str(String::new()),
            "cannot set both port name & port number",
        ),
        (false, true) => {
            for msg in is_valid_port_name(port_name) {
                e.invalid(
                    &format!("{p}.service.port.name"),
                    BadValue::Str(port_name.into()),
                    &msg,
                );
            }
        }
        (true, false) => {
            for msg in is_valid_port_num(number) {
                e.invalid(
                    &format!("{p}.service.port.number"),
                    BadValue::Int(number),
                    &msg,
                );
            }
        }
        (true, true) => e.required(p, "port name or number is required"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(spec: Value) -> Vec<String> {
        let mut e = Errs::default();
        validate(&mut e, &json!({"spec": spec}), None);
        e.0.iter().map(|f| f.to_string()).collect()
    }

    fn svc(name: &str, port: Value) -> Value {
        json!({"service": {"name": name, "port": port}})
    }

    /// pkg/apis/networking/validation TestValidateIngressSpec / TestValidateIngressCreate's
    /// cases for the fields `create ingress` writes.
    #[test]
    fn spec_validation() {
        let ok = json!({"rules": [{"host": "foo.com", "http": {"paths": [
            {"path": "/bar", "pathType": "Exact", "backend": svc("svc1", json!({"number": 8080}))}]}}]});
        assert!(errors(ok).is_empty());
        assert!(
            errors(json!({"defaultBackend": svc("default-backend", json!({"name": "http"}))}))
                .is_empty()
        );
        assert_eq!(
            errors(json!({})),
            [
                "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"
            ]
        );
        assert_eq!(
            errors(json!({"defaultBackend": svc("s", json!({"name": "http", "number": 80}))})),
            ["spec.defaultBackend: Invalid value: \"\": cannot set both port name & port number"]
        );
        assert_eq!(
            errors(json!({"defaultBackend": svc("s", json!({}))})),
            ["spec.defaultBackend: Required value: port name or number is required"]
        );
        assert_eq!(
            errors(json!({"rules": [{"http": {"paths": [
                {"path": "foo", "pathType": "Prefix", "backend": svc("s", json!({"number": 80}))},
                {"path": "/", "pathType": "Regex", "backend": svc("s", json!({"number": 80}))}]}}]})),
            [
                "spec.rules[0].http.paths[0].path: Invalid value: \"foo\": must be an absolute path",
                "spec.rules[0].http.paths[1].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""
            ]
        );
        assert_eq!(errors(json!({"rules": [{"host": "Foo.com"}]})).len(), 1);
        assert!(errors(json!({"rules": [{"host": "*.foo.com"}]})).is_empty());
    }
}
