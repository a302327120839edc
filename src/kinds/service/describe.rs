//! `kubectl describe` for Service: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::kinds::common::lookup::{Lookup, LookupError};
use crate::print::cells::format_labels;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_service(w, obj, ctx)),
    related,
    events_by_name: false,
};

/// What kubectl 1.33 reads alongside a Service: the EndpointSlices labelled with its name
/// (`kubernetes.io/service-name`).
fn related(obj: &Value, api: &mut dyn Lookup) -> Result<Vec<Value>, LookupError> {
    let name = s(obj, &["metadata", "name"]);
    let slices = api.list(
        &crate::kinds::endpointslice::KIND,
        Some(s(obj, &["metadata", "namespace"])),
    )?;
    Ok(slices
        .into_iter()
        .filter(|sl| {
            opt_s(
                sl,
                &[
                    "metadata",
                    "labels",
                    crate::kinds::endpointslice::SERVICE_NAME_LABEL,
                ],
            ) == Some(name)
        })
        .collect())
}

/// `formatEndpointSlices` for one service port name (`None` = all ports).
pub(crate) fn format_endpoints(slices: &[Value], port: Option<&str>) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    let max = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0usize;
    let ready = |e: &Value| opt_b(e, &["conditions", "ready"]).unwrap_or(true);
    let first_addr = |e: &Value| {
        arr(e, &["addresses"])
            .first()
            .map(scalar)
            .unwrap_or_default()
    };
    for sl in slices {
        let ports = arr(sl, &["ports"]);
        if ports.is_empty() {
            for e in arr(sl, &["endpoints"]) {
                if list.len() == max {
                    more = true;
                }
                if !ready(e) {
                    continue;
                }
                if !more {
                    list.push(first_addr(e));
                }
                count += 1;
            }
        } else {
            for p in ports {
                if port.is_some_and(|name| name != s(p, &["name"])) {
                    continue;
                }
                for e in arr(sl, &["endpoints"]) {
                    if list.len() == max {
                        more = true;
                    }
                    if !ready(e) {
                        continue;
                    }
                    if !more {
                        let addr = first_addr(e);
                        let pn = i(p, &["port"]);
                        list.push(if addr.contains(':') {
                            format!("[{addr}]:{pn}")
                        } else {
                            format!("{addr}:{pn}")
                        });
                    }
                    count += 1;
                }
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - max)
    } else {
        ret
    }
}

/// EndpointSlices from `related`, with an `Endpoints` object converted to one slice per
/// subset (ready and not-ready addresses, the subset's ports).
fn endpoint_slices(related: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for o in related {
        match s(o, &["kind"]) {
            "EndpointSlice" => out.push(o.clone()),
            "Endpoints" => {
                let subsets = arr(o, &["subsets"]);
                if subsets.is_empty() {
                    out.push(serde_json::json!({}));
                }
                for sub in subsets {
                    let mut eps = Vec::new();
                    for (field, ready) in [("addresses", true), ("notReadyAddresses", false)] {
                        for a in arr(sub, &[field]) {
                            eps.push(serde_json::json!({
                                "addresses": [s(a, &["ip"])],
                                "conditions": {"ready": ready},
                            }));
                        }
                    }
                    let ports: Vec<Value> = arr(sub, &["ports"])
                        .iter()
                        .map(|p| serde_json::json!({"name": s(p, &["name"]), "port": i(p, &["port"])}))
                        .collect();
                    out.push(serde_json::json!({"endpoints": eps, "ports": ports}));
                }
            }
            _ => {}
        }
    }
    out
}

fn describe_service(w: &mut Pw, svc: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(svc, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(svc, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(svc, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(svc, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            format_labels(get(svc, &["spec", "selector"]))
        ),
    );
    w.w(0, &format!("Type:\t{}\n", s(svc, &["spec", "type"])));
    if let Some(p) = opt_s(svc, &["spec", "ipFamilyPolicy"]) {
        w.w(0, &format!("IP Family Policy:\t{p}\n"));
    }
    let families: Vec<String> = arr(svc, &["spec", "ipFamilies"])
        .iter()
        .map(scalar)
        .collect();
    w.w(
        0,
        &format!("IP Families:\t{}\n", or_none(&families.join(","))),
    );
    w.w(0, &format!("IP:\t{}\n", s(svc, &["spec", "clusterIP"])));
    let ips: Vec<String> = arr(svc, &["spec", "clusterIPs"])
        .iter()
        .map(scalar)
        .collect();
    w.w(0, &format!("IPs:\t{}\n", or_none(&ips.join(","))));
    let ext: Vec<String> = arr(svc, &["spec", "externalIPs"])
        .iter()
        .map(scalar)
        .collect();
    if !ext.is_empty() {
        w.w(0, &format!("External IPs:\t{}\n", ext.join(",")));
    }
    let lbip = s(svc, &["spec", "loadBalancerIP"]);
    if !lbip.is_empty() {
        w.w(0, &format!("Desired LoadBalancer IP:\t{lbip}\n"));
    }
    let ext_name = s(svc, &["spec", "externalName"]);
    if !ext_name.is_empty() {
        w.w(0, &format!("External Name:\t{ext_name}\n"));
    }
    let ingress = arr(svc, &["status", "loadBalancer", "ingress"]);
    if !ingress.is_empty() {
        let parts: Vec<String> = ingress
            .iter()
            .map(|g| {
                let ip = s(g, &["ip"]);
                if ip.is_empty() {
                    s(g, &["hostname"]).to_string()
                } else if let Some(mode) = opt_s(g, &["ipMode"]) {
                    format!("{ip} ({mode})")
                } else {
                    ip.to_string()
                }
            })
            .collect();
        w.w(0, &format!("LoadBalancer Ingress:\t{}\n", parts.join(", ")));
    }
    let slices = endpoint_slices(ctx.related);
    for p in arr(svc, &["spec", "ports"]) {
        let raw_name = s(p, &["name"]);
        let name = if raw_name.is_empty() {
            "<unset>"
        } else {
            raw_name
        };
        let proto = opt_s(p, &["protocol"]).unwrap_or("TCP");
        w.w(0, &format!("Port:\t{name}\t{}/{proto}\n", i(p, &["port"])));
        let target = match get(p, &["targetPort"]) {
            Some(t) => scalar(t),
            None => "0".to_string(),
        };
        w.w(0, &format!("TargetPort:\t{target}/{proto}\n"));
        let node_port = i(p, &["nodePort"]);
        if node_port != 0 {
            w.w(0, &format!("NodePort:\t{name}\t{node_port}/{proto}\n"));
        }
        w.w(
            0,
            &format!(
                "Endpoints:\t{}\n",
                format_endpoints(&slices, Some(raw_name))
            ),
        );
    }
    w.w(
        0,
        &format!(
            "Session Affinity:\t{}\n",
            s(svc, &["spec", "sessionAffinity"])
        ),
    );
    let etp = s(svc, &["spec", "externalTrafficPolicy"]);
    if !etp.is_empty() {
        w.w(0, &format!("External Traffic Policy:\t{etp}\n"));
    }
    if let Some(itp) = opt_s(svc, &["spec", "internalTrafficPolicy"]) {
        w.w(0, &format!("Internal Traffic Policy:\t{itp}\n"));
    }
    let hc = i(svc, &["spec", "healthCheckNodePort"]);
    if hc != 0 {
        w.w(0, &format!("HealthCheck NodePort:\t{hc}\n"));
    }
    let ranges: Vec<String> = arr(svc, &["spec", "loadBalancerSourceRanges"])
        .iter()
        .map(scalar)
        .collect();
    if !ranges.is_empty() {
        w.w(
            0,
            &format!("LoadBalancer Source Ranges:\t{}\n", ranges.join(",")),
        );
    }
    describe_events(w, ctx.events, ctx.now);
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::describe::testing::*;
    use serde_json::json;

    #[test]
    fn service_endpoints_from_an_endpoints_object() {
        let svc = json!({"metadata": {"name": "web", "namespace": "default"},
            "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.5", "sessionAffinity": "None",
                     "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]}});
        let ep = json!({"kind": "Endpoints", "metadata": {"name": "web"}, "subsets": [{
            "addresses": [{"ip": "10.244.0.1"}, {"ip": "10.244.0.2"}],
            "notReadyAddresses": [{"ip": "10.244.0.3"}],
            "ports": [{"port": 8080, "protocol": "TCP"}]}]});
        let related = [ep];
        let out = describe("Service", &svc, &ctx(&[], &related));
        assert!(
            out.contains("Endpoints:         10.244.0.1:8080,10.244.0.2:8080\n"),
            "{out}"
        );
        let out = describe("Service", &svc, &ctx(&[], &[]));
        assert!(out.contains("Endpoints:         <none>\n"), "{out}");
    }
}
