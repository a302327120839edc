//! `kubectl describe` for EndpointSlice: describe.go's `describeEndpointSliceV1`.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_endpoint_slice(w, obj, ctx)),
    related: no_related,
    events_by_name: false,
};

fn or_unset(v: Option<String>) -> String {
    v.unwrap_or_else(|| "<unset>".to_string())
}

fn describe_endpoint_slice(w: &mut Pw, eps: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(eps, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(eps, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(eps, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(eps, &["metadata", "annotations"]));
    w.w(0, &format!("AddressType:\t{}\n", s(eps, &["addressType"])));
    let ports = arr(eps, &["ports"]);
    if ports.is_empty() {
        w.w(0, "Ports: <unset>\n");
    } else {
        w.w(0, "Ports:\n");
        w.w(1, "Name\tPort\tProtocol\n");
        w.w(1, "----\t----\t--------\n");
        for p in ports {
            let name = opt_s(p, &["name"]).filter(|n| !n.is_empty());
            let port = get(p, &["port"]).filter(|v| !v.is_null()).map(scalar);
            w.w(
                1,
                &format!(
                    "{}\t{}\t{}\n",
                    or_unset(name.map(str::to_string)),
                    or_unset(port),
                    s(p, &["protocol"])
                ),
            );
        }
    }
    let endpoints = arr(eps, &["endpoints"]);
    if endpoints.is_empty() {
        w.w(0, "Endpoints: <none>\n");
    } else {
        w.w(0, "Endpoints:\n");
        for e in endpoints {
            let addrs: Vec<String> = arr(e, &["addresses"]).iter().map(scalar).collect();
            w.w(
                1,
                &format!("- Addresses:\t{}\n", or_none(&addrs.join(", "))),
            );
            w.w(2, "Conditions:\n");
            let ready = opt_b(e, &["conditions", "ready"]).map(|b| b.to_string());
            w.w(3, &format!("Ready:\t{}\n", or_unset(ready)));
            let hostname = opt_s(e, &["hostname"]).map(str::to_string);
            w.w(2, &format!("Hostname:\t{}\n", or_unset(hostname)));
            if get(e, &["targetRef"]).is_some() {
                w.w(
                    2,
                    &format!(
                        "TargetRef:\t{}/{}\n",
                        s(e, &["targetRef", "kind"]),
                        s(e, &["targetRef", "name"])
                    ),
                );
            }
            let node = opt_s(e, &["nodeName"]).map(str::to_string);
            w.w(2, &format!("NodeName:\t{}\n", or_unset(node)));
            let zone = opt_s(e, &["zone"]).map(str::to_string);
            w.w(2, &format!("Zone:\t{}\n", or_unset(zone)));
        }
    }
    describe_events(w, ctx.events, ctx.now);
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::describe::testing::*;
    use serde_json::json;

    #[test]
    fn endpointslice_describe() {
        // describe_test.go TestDescribeEndpointSlice (v1).
        let eps = json!({"metadata": {"name": "foo.123", "namespace": "bar"},
            "addressType": "IPv4",
            "endpoints": [
                {"addresses": ["1.2.3.4", "1.2.3.5"], "conditions": {"ready": true},
                 "targetRef": {"kind": "Pod", "name": "test-123"}, "zone": "a", "nodeName": "node-1"},
                {"addresses": ["1.2.3.6", "1.2.3.7"], "conditions": {"ready": true},
                 "targetRef": {"kind": "Pod", "name": "test-124"}, "nodeName": "node-2"}],
            "ports": [{"protocol": "TCP", "port": 80}]});
        let out = describe("EndpointSlice", &eps, &ctx(&[], &[]));
        let want = "Name:         foo.123
Namespace:    bar
Labels:       <none>
Annotations:  <none>
AddressType:  IPv4
Ports:
  Name     Port  Protocol
  ----     ----  --------
  <unset>  80    TCP
Endpoints:
  - Addresses:  1.2.3.4, 1.2.3.5
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/test-123
    NodeName:   node-1
    Zone:       a
  - Addresses:  1.2.3.6, 1.2.3.7
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/test-124
    NodeName:   node-2
    Zone:       <unset>
Events:         <none>
";
        assert_eq!(out, want);
    }
}
