//! How the API server writes EndpointSlices (pkg/registry/discovery/endpointslice/strategy.go
//! and pkg/apis/discovery/validation): generation, defaulting (a port's name `""` and protocol
//! TCP), validation of the address type, addresses and ports.

use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: false,
    // The generation is not spec-driven (an EndpointSlice has no spec): set on create and
    // bumped by any change beyond the metadata, below.
    generation: false,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: Some(defaults),
    validate: Some(validate),
    prepare_for_create: Some(prepare_for_create),
    prepare_for_update: Some(prepare_for_update),
    graceful_delete: None,
    spec_finalizers: false,
};

const MAX_ENDPOINTS: usize = 1000;
const MAX_ADDRESSES: usize = 100;
const MAX_PORTS: usize = 20000;

/// `PrepareForCreate`: generation 1.
fn prepare_for_create(obj: &mut Value, _uid: &str) {
    if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        m.insert("generation".into(), json!(1));
    }
}

/// `PrepareForUpdate`: the generation goes up when anything but the metadata changed.
fn prepare_for_update(obj: &mut Value, old: &Value) {
    let changed = ["addressType", "endpoints", "ports"]
        .iter()
        .any(|k| obj.get(*k) != old.get(*k));
    let generation = old
        .pointer("/metadata/generation")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        m.insert(
            "generation".into(),
            json!(if changed { generation + 1 } else { generation }),
        );
    }
}

/// `SetDefaults_EndpointPort`.
fn defaults(obj: &mut Value) {
    for p in arr_mut(obj, "ports") {
        set_if_absent(p, "name", json!(""));
        set_if_absent(p, "protocol", json!("TCP"));
    }
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let ty = str_at(obj, "addressType");
    match (old, ty) {
        (Some(old), _) => immutable(e, obj, old, "addressType", "addressType", |v| {
            go_q(v.and_then(Value::as_str).unwrap_or(""))
        }),
        (None, "") => e.required("addressType", ""),
        (None, "IPv4" | "IPv6" | "FQDN") => {}
        (None, t) => e.unsupported("addressType", t, &["FQDN", "IPv4", "IPv6"]),
    }
    let endpoints: Vec<&Value> = obj
        .get("endpoints")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if endpoints.len() > MAX_ENDPOINTS {
        e.0.push(FieldError {
            field: "endpoints".into(),
            kind: FieldErrorType::TooMany,
            value: None,
            detail: format!("must have at most {MAX_ENDPOINTS} items"),
        });
    }
    for (i, ep) in endpoints.iter().enumerate() {
        let path = format!("endpoints[{i}]");
        let addrs: Vec<&str> = ep
            .get("addresses")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|v| v.as_str().unwrap_or("")).collect())
            .unwrap_or_default();
        if addrs.is_empty() {
            e.required(
                &format!("{path}.addresses"),
                "must contain at least 1 address",
            );
        } else if addrs.len() > MAX_ADDRESSES {
            e.0.push(FieldError {
                field: format!("{path}.addresses"),
                kind: FieldErrorType::TooMany,
                value: None,
                detail: format!("must have at most {MAX_ADDRESSES} items"),
            });
        }
        for (j, a) in addrs.iter().enumerate() {
            let ok = match ty {
                "IPv4" => a.parse::<std::net::Ipv4Addr>().is_ok(),
                "IPv6" => a.parse::<std::net::Ipv6Addr>().is_ok(),
                _ => true,
            };
            if !ok {
                let family = if ty == "IPv4" { "IPv4" } else { "IPv6" };
                e.invalid(
                    &format!("{path}.addresses[{j}]"),
                    BadValue::Str((*a).into()),
                    &format!("must be a valid {family} address"),
                );
            }
        }
        if let Some(h) = ep.get("hostname").and_then(Value::as_str) {
            for m in is_dns1123_label(h) {
                e.invalid(&format!("{path}.hostname"), BadValue::Str(h.into()), &m);
            }
        }
    }
    let ports: Vec<&Value> = obj
        .get("ports")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if ports.len() > MAX_PORTS {
        e.0.push(FieldError {
            field: "ports".into(),
            kind: FieldErrorType::TooMany,
            value: None,
            detail: format!("must have at most {MAX_PORTS} items"),
        });
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let path = format!("ports[{i}]");
        let name = str_at(p, "name");
        if !name.is_empty() {
            for m in is_dns1123_label(name) {
                e.invalid(&format!("{path}.name"), BadValue::Str(name.into()), &m);
            }
        }
        if names.contains(&name) {
            e.duplicate(&format!("{path}.name"), name);
        } else {
            names.push(name);
        }
        protocol(e, p, &path);
        if let Some(n) = p.get("port").and_then(Value::as_i64) {
            for m in is_valid_port_num(n) {
                e.invalid(&format!("{path}.port"), BadValue::Int(n), &m);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::validation::validate;
    use serde_json::json;

    fn errs(obj: serde_json::Value) -> Vec<String> {
        validate(&super::super::KIND, &obj, None)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn endpointslice_validation() {
        // validation_test.go TestValidateEndpointSlice, a few of its cases.
        let ok = json!({"metadata": {"name": "hello", "namespace": "default"},
            "addressType": "IPv4", "ports": [{"name": "http", "protocol": "TCP", "port": 80}],
            "endpoints": [{"addresses": ["10.1.2.1"], "hostname": "valid-123"}]});
        assert_eq!(errs(ok), Vec::<String>::new());
        let bad = json!({"metadata": {"name": "hello", "namespace": "default"},
            "addressType": "IP",
            "endpoints": [{"addresses": []}],
            "ports": [{"name": "a", "protocol": "TCP"}, {"name": "a", "protocol": "TCP"}]});
        assert_eq!(
            errs(bad),
            [
                "addressType: Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"",
                "endpoints[0].addresses: Required value: must contain at least 1 address",
                "ports[1].name: Duplicate value: \"a\"",
            ]
        );
        let bad_ip = json!({"metadata": {"name": "hello", "namespace": "default"},
            "addressType": "IPv4", "endpoints": [{"addresses": ["fd00::1"]}]});
        assert_eq!(
            errs(bad_ip),
            ["endpoints[0].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address"]
        );
    }
}
