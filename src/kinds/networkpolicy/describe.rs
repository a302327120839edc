//! `kubectl describe` for NetworkPolicy: describe.go's `describeNetworkPolicy` (no events).

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::cells::format_label_selector;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, _ctx| tabbed(|w| describe_network_policy(w, obj)),
    related: no_related,
    events_by_name: false,
};

/// Go's `time.Time.String()` of a timestamp kubectl decoded (UTC here).
fn go_time_string(ts: &str) -> String {
    match ts.parse::<jiff::Timestamp>() {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M:%S +0000 UTC").to_string(),
        Err(_) => "0001-01-01 00:00:00 +0000 UTC".to_string(),
    }
}

fn describe_network_policy(w: &mut Pw, np: &Value) {
    w.w(0, &format!("Name:\t{}\n", s(np, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(np, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "Created on:\t{}\n",
            go_time_string(s(np, &["metadata", "creationTimestamp"]))
        ),
    );
    labels_multiline(w, "Labels", get(np, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(np, &["metadata", "annotations"]));
    let spec = get(np, &["spec"]).unwrap_or(&Value::Null);
    w.w(0, "Spec:\n");
    w.w(1, "PodSelector: ");
    let sel = get(spec, &["podSelector"]);
    let empty = sel.is_none_or(|s| {
        obj(s, &["matchLabels"]).is_none_or(|m| m.is_empty())
            && arr(s, &["matchExpressions"]).is_empty()
    });
    if empty {
        w.w(
            2,
            "<none> (Allowing the specific traffic to all pods in this namespace)\n",
        );
    } else {
        w.w(2, &format!("{}\n", format_label_selector(sel)));
    }
    let types = arr(spec, &["policyTypes"]);
    let has = |t: &str| types.iter().any(|v| v.as_str() == Some(t));
    if has("Ingress") {
        w.w(1, "Allowing ingress traffic:\n");
        rules(
            w,
            arr(spec, &["ingress"]),
            "from",
            "From",
            "source",
            "ingress",
        );
    } else {
        w.w(1, "Not affecting ingress traffic\n");
    }
    if has("Egress") {
        w.w(1, "Allowing egress traffic:\n");
        rules(
            w,
            arr(spec, &["egress"]),
            "to",
            "To",
            "destination",
            "egress",
        );
    } else {
        w.w(1, "Not affecting egress traffic\n");
    }
    let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
    let joined = if names.is_empty() {
        "<none>".to_string()
    } else {
        names.join(", ")
    };
    w.w(1, &format!("Policy Types: {joined}\n"));
}

/// `printNetworkPolicySpecIngressFrom` / `printNetworkPolicySpecEgressTo`.
fn rules(w: &mut Pw, rules: &[Value], key: &str, label: &str, what: &str, direction: &str) {
    let ind = "    ";
    if rules.is_empty() {
        w.w(
            0,
            &format!("{ind}<none> (Selected pods are isolated for {direction} connectivity)\n"),
        );
        return;
    }
    for (i, rule) in rules.iter().enumerate() {
        let ports = arr(rule, &["ports"]);
        if ports.is_empty() {
            w.w(
                0,
                &format!("{ind}To Port: <any> (traffic allowed to all ports)\n"),
            );
        }
        for p in ports {
            let proto = opt_s(p, &["protocol"]).unwrap_or("TCP");
            let port = get(p, &["port"]).map_or("%!s(<nil>)".to_string(), scalar);
            match opt_i(p, &["endPort"]) {
                None => w.w(0, &format!("{ind}To Port: {port}/{proto}\n")),
                Some(end) => w.w(0, &format!("{ind}To Port Range: {port}-{end}/{proto}\n")),
            }
        }
        let peers = arr(rule, &[key]);
        if peers.is_empty() {
            w.w(
                0,
                &format!("{ind}{label}: <any> (traffic not restricted by {what})\n"),
            );
        }
        for peer in peers {
            w.w(0, &format!("{ind}{label}:\n"));
            let pods = get(peer, &["podSelector"]).filter(|v| !v.is_null());
            let nss = get(peer, &["namespaceSelector"]).filter(|v| !v.is_null());
            if let Some(ns) = nss {
                w.w(
                    1,
                    &format!(
                        "{ind}NamespaceSelector: {}\n",
                        format_label_selector(Some(ns))
                    ),
                );
            }
            if let Some(p) = pods {
                w.w(
                    1,
                    &format!("{ind}PodSelector: {}\n", format_label_selector(Some(p))),
                );
            }
            if let (None, None, Some(b)) =
                (pods, nss, get(peer, &["ipBlock"]).filter(|v| !v.is_null()))
            {
                w.w(1, &format!("{ind}IPBlock:\n"));
                w.w(2, &format!("{ind}CIDR: {}\n", s(b, &["cidr"])));
                let except: Vec<String> = arr(b, &["except"]).iter().map(scalar).collect();
                w.w(2, &format!("{ind}Except: {}\n", except.join(", ")));
            }
        }
        if i + 1 != rules.len() {
            w.w(0, &format!("{ind}----------\n"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::common::describe::testing::ctx;
    use serde_json::json;

    /// The docs page "Declare Network Policy": the access-nginx policy.
    #[test]
    fn describes_access_nginx() {
        let np = json!({"metadata": {"name": "access-nginx", "namespace": "default",
                                     "creationTimestamp": "2026-01-01T00:00:05Z"},
            "spec": {"podSelector": {"matchLabels": {"app": "nginx"}},
                     "ingress": [{"from": [{"podSelector": {"matchLabels": {"access": "true"}}}]}],
                     "policyTypes": ["Ingress"]}});
        assert_eq!(
            (DESCRIBER.print)(&np, &ctx(&[], &[])),
            "Name:         access-nginx
Namespace:    default
Created on:   2026-01-01 00:00:05 +0000 UTC
Labels:       <none>
Annotations:  <none>
Spec:
  PodSelector:     app=nginx
  Allowing ingress traffic:
    To Port: <any> (traffic allowed to all ports)
    From:
      PodSelector: access=true
  Not affecting egress traffic
  Policy Types: Ingress
"
        );
    }

    /// describe_test.go `TestDescribeNetworkPolicies`' shapes: ports, ranges, peers, blocks.
    #[test]
    fn describes_ports_peers_and_blocks() {
        let np = json!({"metadata": {"name": "network-policy-1", "namespace": "default"},
            "spec": {"podSelector": {},
                     "ingress": [{"ports": [{"port": 80}, {"port": "port-1", "protocol": "UDP"}, {"port": 8000, "endPort": 9000}],
                                  "from": [{"namespaceSelector": {"matchLabels": {"id": "ns1"}}, "podSelector": {"matchLabels": {"id": "pod1"}}},
                                           {"ipBlock": {"cidr": "192.168.0.0/16", "except": ["192.168.3.0/24", "192.168.4.0/24"]}}]},
                                 {}],
                     "egress": [],
                     "policyTypes": ["Ingress", "Egress"]}});
        let out = (DESCRIBER.print)(&np, &ctx(&[], &[]));
        for line in [
            "  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n",
            "    To Port: 80/TCP\n    To Port: port-1/UDP\n    To Port Range: 8000-9000/TCP\n",
            "    From:\n      NamespaceSelector: id=ns1\n      PodSelector: id=pod1\n",
            "    From:\n      IPBlock:\n        CIDR: 192.168.0.0/16\n        Except: 192.168.3.0/24, 192.168.4.0/24\n",
            "    ----------\n    To Port: <any> (traffic allowed to all ports)\n    From: <any> (traffic not restricted by source)\n",
            "  Allowing egress traffic:\n    <none> (Selected pods are isolated for egress connectivity)\n",
            "  Policy Types: Ingress, Egress\n",
        ] {
            assert!(out.contains(line), "{line}\n---\n{out}");
        }
    }
}
