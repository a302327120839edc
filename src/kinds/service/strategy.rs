//! How the API server writes Services (pkg/registry/core/service/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: false,
    name_rule: NameRule::Dns1035,
    name_warning: None,
    defaults: Some(default_service),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn default_service(obj: &mut Value) {
    let s = spec(obj);
    set_if_absent(s, "sessionAffinity", json!("None"));
    match s.get("sessionAffinity").and_then(Value::as_str) {
        Some("None") => {
            if let Some(m) = s.as_object_mut() {
                m.remove("sessionAffinityConfig");
            }
        }
        Some("ClientIP") => {
            let has = s
                .ptr("/sessionAffinityConfig/clientIP/timeoutSeconds")
                .is_some();
            if !has {
                put(
                    s,
                    "sessionAffinityConfig",
                    json!({"clientIP": {"timeoutSeconds": 10800}}),
                );
            }
        }
        _ => {}
    }
    set_if_absent(s, "type", json!("ClusterIP"));
    for p in arr_mut(s, "ports") {
        set_if_absent(p, "protocol", json!("TCP"));
        let tp = p.get("targetPort");
        let unset = matches!(tp, None | Some(Value::Null))
            || tp == Some(&json!(0))
            || tp == Some(&json!(""));
        if unset {
            let port = p.get("port").cloned().unwrap_or(json!(0));
            put(p, "targetPort", port);
        }
    }
    let ty = s
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
        .to_string();
    let external_ips = s
        .get("externalIPs")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    let externally_accessible =
        ty == "LoadBalancer" || ty == "NodePort" || (ty == "ClusterIP" && external_ips);
    if externally_accessible {
        set_if_absent(s, "externalTrafficPolicy", json!("Cluster"));
    }
    if matches!(ty.as_str(), "ClusterIP" | "NodePort" | "LoadBalancer") {
        set_if_absent(s, "internalTrafficPolicy", json!("Cluster"));
        // The service REST storage's IP family defaulting (`initIPFamilyFields`, single-stack
        // IPv4 cluster): a headless Service without a selector asks for both families.
        let headless = s.get("clusterIP").and_then(Value::as_str) == Some("None");
        let selectorless = s
            .get("selector")
            .and_then(Value::as_object)
            .is_none_or(|m| m.is_empty());
        if headless && selectorless {
            set_if_absent(s, "ipFamilyPolicy", json!("RequireDualStack"));
        }
        set_if_absent(s, "ipFamilyPolicy", json!("SingleStack"));
        let single = s.get("ipFamilyPolicy").and_then(Value::as_str) == Some("SingleStack");
        if headless && selectorless && !single {
            set_if_absent(s, "ipFamilies", json!(["IPv4", "IPv6"]));
        }
        set_if_absent(s, "ipFamilies", json!(["IPv4"]));
    }
    if ty == "LoadBalancer" {
        set_if_absent(s, "allocateLoadBalancerNodePorts", json!(true));
    }
    let st = status(obj);
    set_if_absent(st, "loadBalancer", json!({}));
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let (spec, old_spec) = specs(obj, old);
    service(e, spec, old_spec);
}

fn service(e: &mut Errs, s: &Value, old: Option<&Value>) {
    let ty = str_at(s, "type");
    let headless = str_at(s, "clusterIP") == "None";
    let ports: Vec<&Value> = arr(s, "ports").collect();
    if ports.is_empty() && !headless && ty != "ExternalName" {
        e.required("spec.ports", "");
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let pp = format!("spec.ports[{i}]");
        let n = str_at(p, "name");
        if ports.len() > 1 && n.is_empty() {
            e.required(&format!("{pp}.name"), "");
        } else if !n.is_empty() {
            for m in is_dns1123_label(n) {
                e.invalid(&format!("{pp}.name"), BadValue::Str(n.into()), &m);
            }
            if names.contains(&n) {
                e.duplicate(&format!("{pp}.name"), n);
            } else {
                names.push(n);
            }
        }
        let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
        for m in is_valid_port_num(port) {
            e.invalid(&format!("{pp}.port"), BadValue::Int(port), &m);
        }
        protocol(e, p, &pp);
        match p.get("targetPort") {
            Some(Value::Number(n)) => {
                let n = n.as_i64().unwrap_or(0);
                for m in is_valid_port_num(n) {
                    e.invalid(&format!("{pp}.targetPort"), BadValue::Int(n), &m);
                }
            }
            Some(Value::String(t)) => {
                for m in is_valid_port_name(t) {
                    e.invalid(&format!("{pp}.targetPort"), BadValue::Str(t.clone()), &m);
                }
            }
            _ => {}
        }
    }
    match ty {
        "ClusterIP" | "ExternalName" | "LoadBalancer" | "NodePort" => {}
        "" => e.required("spec.type", ""),
        _ => e.unsupported(
            "spec.type",
            ty,
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        ),
    }
    if ty == "ClusterIP" {
        for (i, p) in ports.iter().enumerate() {
            if p.get("nodePort").and_then(Value::as_i64).unwrap_or(0) != 0 {
                e.forbidden(
                    &format!("spec.ports[{i}].nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                );
            }
        }
    }
    let sa = str_at(s, "sessionAffinity");
    match sa {
        "ClientIP" | "None" => {}
        "" => e.required("spec.sessionAffinity", ""),
        _ => e.unsupported("spec.sessionAffinity", sa, &["ClientIP", "None"]),
    }
    if ty == "ExternalName" {
        let en = str_at(s, "externalName");
        if en.is_empty() {
            e.required("spec.externalName", "");
        }
    }
    if let Some(sel) = s.get("selector") {
        labels(e, Some(sel), "spec.selector");
    }
    if let Some(old) = old {
        let oip = str_at(old, "clusterIP");
        let nip = str_at(s, "clusterIP");
        if !oip.is_empty()
            && str_at(old, "type") != "ExternalName"
            && ty != "ExternalName"
            && nip != oip
        {
            e.invalid(
                "spec.clusterIPs[0]",
                BadValue::Raw(go_strings(s.get("clusterIPs"))),
                "may not change once set",
            );
        }
    }
}
