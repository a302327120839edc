//! How the API server writes NetworkPolicies (pkg/registry/networking/networkpolicy/
//! strategy.go, pkg/apis/networking/v1 defaults, pkg/apis/networking/validation
//! `ValidateNetworkPolicySpec`'s essentials): the generation, `policyTypes` and port
//! protocols defaulted, the selectors, ports, peers and policy types validated.

use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

// The kind has no status; `status_subresource` keeps one out of writes, as the typed object
// would drop it, and lets the generation count spec changes only.
pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: true,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: Some(defaults),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

/// `SetDefaults_NetworkPolicyPort` (protocol TCP) and `SetDefaults_NetworkPolicy`: no
/// `policyTypes` means Ingress, and Egress too when there are egress rules.
fn defaults(obj: &mut Value) {
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    for dir in ["ingress", "egress"] {
        for rule in spec
            .get_mut(dir)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            for p in rule
                .get_mut("ports")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if let Some(p) = p.as_object_mut()
                    && p.get("protocol").is_none_or(Value::is_null)
                {
                    p.insert("protocol".into(), json!("TCP"));
                }
            }
        }
    }
    if spec
        .get("policyTypes")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
    {
        let egress = spec
            .get("egress")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty());
        let types = if egress {
            json!(["Ingress", "Egress"])
        } else {
            json!(["Ingress"])
        };
        spec.insert("policyTypes".into(), types);
    }
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
}

/// `ValidateNetworkPolicySpec`.
fn validate(e: &mut Errs, obj: &Value, _old: Option<&Value>) {
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    if let Some(sel) = spec.get("podSelector").filter(|v| !v.is_null()) {
        label_selector(e, sel, "spec.podSelector");
    }
    for (dir, peers) in [("ingress", "from"), ("egress", "to")] {
        for (i, rule) in list(spec, dir).iter().enumerate() {
            let p = format!("spec.{dir}[{i}]");
            for (j, port) in list(rule, "ports").iter().enumerate() {
                network_policy_port(e, port, &format!("{p}.ports[{j}]"));
            }
            for (j, peer) in list(rule, peers).iter().enumerate() {
                network_policy_peer(e, peer, &format!("{p}.{peers}[{j}]"));
            }
        }
    }
    let types = list(spec, "policyTypes");
    for (i, t) in types.iter().enumerate() {
        let t = t.as_str().unwrap_or("");
        if !matches!(t, "Ingress" | "Egress") {
            e.unsupported(&format!("spec.policyTypes[{i}]"), t, &["Egress", "Ingress"]);
        }
    }
    if types.len() > 2 {
        e.invalid(
            "spec.policyTypes",
            BadValue::Raw(format!(
                "{:?}",
                types.iter().filter_map(Value::as_str).collect::<Vec<_>>()
            )),
            "may not specify more than two policyTypes",
        );
    }
}

/// `ValidateNetworkPolicyPort`.
fn network_policy_port(e: &mut Errs, port: &Value, p: &str) {
    if let Some(proto) = port.get("protocol").and_then(Value::as_str)
        && !matches!(proto, "TCP" | "UDP" | "SCTP")
    {
        e.unsupported(&format!("{p}.protocol"), proto, &["SCTP", "TCP", "UDP"]);
    }
    match port.get("port") {
        Some(Value::Number(n)) => {
            let n = n.as_i64().unwrap_or(0);
            for msg in is_valid_port_num(n) {
                e.invalid(&format!("{p}.port"), BadValue::Int(n), &msg);
            }
            if let Some(end) = port.get("endPort").and_then(Value::as_i64) {
                if end < n {
                    e.invalid(
                        &format!("{p}.endPort"),
                        BadValue::Int(end),
                        "must be greater than or equal to `port`",
                    );
                }
                for msg in is_valid_port_num(end) {
                    e.invalid(&format!("{p}.endPort"), BadValue::Int(end), &msg);
                }
            }
        }
        Some(Value::String(name)) => {
            if port.get("endPort").is_some_and(|v| !v.is_null()) {
                e.forbidden(
                    &format!("{p}.endPort"),
                    "may not be specified when `port` is non-numeric",
                );
            }
            for msg in is_valid_port_name(name) {
                e.invalid(&format!("{p}.port"), BadValue::Str(name.clone()), &msg);
            }
        }
        _ => {
            if port.get("endPort").is_some_and(|v| !v.is_null()) {
                e.forbidden(
                    &format!("{p}.endPort"),
                    "may not be specified when `port` is not specified",
                );
            }
        }
    }
}

/// `ValidateNetworkPolicyPeer` and `ValidateIPBlock`'s required CIDR.
fn network_policy_peer(e: &mut Errs, peer: &Value, p: &str) {
    let set = |k: &str| peer.get(k).is_some_and(|v| !v.is_null());
    let n = ["podSelector", "namespaceSelector", "ipBlock"]
        .into_iter()
        .filter(|k| set(k))
        .count();
    for k in ["podSelector", "namespaceSelector"] {
        if let Some(sel) = peer.get(k).filter(|v| !v.is_null()) {
            label_selector(e, sel, &format!("{p}.{k}"));
        }
    }
    if let Some(b) = peer.get("ipBlock").filter(|v| !v.is_null())
        && str_at(b, "cidr").is_empty()
    {
        e.required(&format!("{p}.ipBlock.cidr"), "");
    }
    if n == 0 {
        e.required(p, "must specify a peer");
    } else if set("ipBlock") && n > 1 {
        e.forbidden(p, "may not specify both ipBlock and another peer");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(spec: Value) -> Vec<String> {
        let mut obj = json!({"metadata": {"name": "x", "namespace": "default"}, "spec": spec});
        defaults(&mut obj);
        let mut e = Errs::default();
        validate(&mut e, &obj, None);
        e.0.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn defaults_policy_types_and_protocols() {
        let mut o = json!({"spec": {"podSelector": {}, "ingress": [{"ports": [{"port": 80}]}]}});
        defaults(&mut o);
        assert_eq!(o["spec"]["policyTypes"], json!(["Ingress"]));
        assert_eq!(o["spec"]["ingress"][0]["ports"][0]["protocol"], "TCP");
        let mut e = json!({"spec": {"podSelector": {}, "egress": [{}]}});
        defaults(&mut e);
        assert_eq!(e["spec"]["policyTypes"], json!(["Ingress", "Egress"]));
    }

    /// validation_test.go `TestValidateNetworkPolicy`'s error cases, the essentials.
    #[test]
    fn rejects_what_upstream_rejects() {
        assert!(
            errors(json!({"podSelector": {"matchLabels": {"a": "b"}},
            "ingress": [{"from": [{"podSelector": {}}], "ports": [{"port": 80, "endPort": 90}]}]}))
            .is_empty()
        );
        let cases: &[(Value, &str)] = &[
            (
                json!({"podSelector": {"matchLabels": {"a": "b"}}, "ingress": [{"ports": [{"protocol": "ICMP"}]}]}),
                "spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            ),
            (
                json!({"podSelector": {}, "ingress": [{"ports": [{"port": 0}]}]}),
                "spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
            ),
            (
                json!({"podSelector": {}, "ingress": [{"ports": [{"port": 100, "endPort": 90}]}]}),
                "spec.ingress[0].ports[0].endPort: Invalid value: 90: must be greater than or equal to `port`",
            ),
            (
                json!({"podSelector": {}, "ingress": [{"ports": [{"port": "http", "endPort": 90}]}]}),
                "spec.ingress[0].ports[0].endPort: Forbidden: may not be specified when `port` is non-numeric",
            ),
            (
                json!({"podSelector": {}, "ingress": [{"from": [{}]}]}),
                "spec.ingress[0].from[0]: Required value: must specify a peer",
            ),
            (
                json!({"podSelector": {}, "egress": [{"to": [{"podSelector": {}, "ipBlock": {"cidr": "10.0.0.0/8"}}]}]}),
                "spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer",
            ),
            (
                json!({"podSelector": {}, "policyTypes": ["Both"]}),
                "spec.policyTypes[0]: Unsupported value: \"Both\": supported values: \"Egress\", \"Ingress\"",
            ),
            (
                json!({"podSelector": {"matchLabels": {"a": "b c"}}}),
                "spec.podSelector.matchLabels: Invalid value: \"b c\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            ),
        ];
        for (spec, want) in cases {
            let got = errors(spec.clone());
            assert!(
                got.iter().any(|g| g == want),
                "{spec}: want {want}, got {got:?}"
            );
        }
    }
}
