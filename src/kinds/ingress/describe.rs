//! `kubectl describe` for Ingress: describe.go's `describeIngressV1` — the default backend
//! and each rule's paths with their backends, a service backend followed by the ready
//! endpoints of its port (from the Service's EndpointSlices, `formatEndpointSlices`), or
//! `<error: services "x" not found>`.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::kinds::common::lookup::{Lookup, LookupError};
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_ingress(w, obj, ctx)),
    related,
    events_by_name: false,
};

/// The service backends' names: the default backend's and every path's.
fn backend_services(ing: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = opt_s(ing, &["spec", "defaultBackend", "service", "name"])
        .into_iter()
        .collect();
    for rule in arr(ing, &["spec", "rules"]) {
        for path in arr(rule, &["http", "paths"]) {
            names.extend(opt_s(path, &["backend", "service", "name"]));
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// What kubectl reads alongside an Ingress: each backend Service and its EndpointSlices.
fn related(obj: &Value, api: &mut dyn Lookup) -> Result<Vec<Value>, LookupError> {
    let ns = s(obj, &["metadata", "namespace"]);
    let names = backend_services(obj);
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for name in &names {
        out.extend(api.try_get(&crate::kinds::service::KIND, ns, name)?);
    }
    let label = crate::kinds::endpointslice::SERVICE_NAME_LABEL;
    out.extend(
        api.list(&crate::kinds::endpointslice::KIND, Some(ns))?
            .into_iter()
            .filter(|sl| {
                opt_s(sl, &["metadata", "labels", label]).is_some_and(|n| names.contains(&n))
            }),
    );
    Ok(out)
}

/// `serviceBackendStringer`: `name:port`.
fn service_backend(svc: &Value) -> String {
    let port = match opt_i(svc, &["port", "number"]).filter(|n| *n != 0) {
        Some(n) => n.to_string(),
        None => s(svc, &["port", "name"]).to_string(),
    };
    format!("{}:{port}", s(svc, &["name"]))
}

/// `describeBackendV1`.
fn describe_backend(backend: &Value, related: &[Value]) -> String {
    if let Some(svc) = get(backend, &["service"]).filter(|v| !v.is_null()) {
        let sb = service_backend(svc);
        let name = s(svc, &["name"]);
        let Some(service) = related
            .iter()
            .find(|o| s(o, &["kind"]) == "Service" && s(o, &["metadata", "name"]) == name)
        else {
            return format!(
                "{sb} (<error: services {} not found>)",
                crate::util::go_quote(name)
            );
        };
        let number = i(svc, &["port", "number"]);
        let port_name = s(svc, &["port", "name"]);
        let mut sp_name = "";
        for sp in arr(service, &["spec", "ports"]) {
            if (number != 0 && number == i(sp, &["port"]))
                || (!port_name.is_empty() && port_name == s(sp, &["name"]))
            {
                sp_name = s(sp, &["name"]);
            }
        }
        let label = crate::kinds::endpointslice::SERVICE_NAME_LABEL;
        let slices: Vec<Value> = related
            .iter()
            .filter(|o| {
                s(o, &["kind"]) == "EndpointSlice"
                    && opt_s(o, &["metadata", "labels", label]) == Some(name)
            })
            .cloned()
            .collect();
        let ep = crate::kinds::service::format_endpoints(&slices, Some(sp_name));
        return format!("{sb} ({ep})");
    }
    if let Some(r) = get(backend, &["resource"]).filter(|v| !v.is_null()) {
        let group = opt_s(r, &["apiGroup"]).unwrap_or("<none>");
        return format!(
            "APIGroup: {group}, Kind: {}, Name: {}",
            s(r, &["kind"]),
            s(r, &["name"])
        );
    }
    String::new()
}

fn describe_ingress(w: &mut Pw, ing: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(ing, &["metadata", "name"])));
    labels_multiline(w, "Labels", get(ing, &["metadata", "labels"]));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(ing, &["metadata", "namespace"])),
    );
    // `ingressLoadBalancerStatusStringerV1(..., wide=true)`.
    let address: Vec<&str> = arr(ing, &["status", "loadBalancer", "ingress"])
        .iter()
        .flat_map(|i| [opt_s(i, &["ip"]), opt_s(i, &["hostname"])])
        .flatten()
        .filter(|a| !a.is_empty())
        .collect();
    w.w(0, &format!("Address:\t{}\n", address.join(",")));
    let class = opt_s(ing, &["spec", "ingressClassName"]).unwrap_or("<none>");
    w.w(0, &format!("Ingress Class:\t{class}\n"));
    let default = match get(ing, &["spec", "defaultBackend"]).filter(|v| !v.is_null()) {
        Some(d) => describe_backend(d, ctx.related),
        None => "<default>".to_string(),
    };
    w.w(0, &format!("Default backend:\t{default}\n"));
    let tls = arr(ing, &["spec", "tls"]);
    if !tls.is_empty() {
        w.w(0, "TLS:\n");
        for t in tls {
            let hosts: Vec<String> = arr(t, &["hosts"]).iter().map(scalar).collect();
            match opt_s(t, &["secretName"]).filter(|n| !n.is_empty()) {
                None => w.w(1, &format!("SNI routes {}\n", hosts.join(","))),
                Some(secret) => w.w(1, &format!("{secret} terminates {}\n", hosts.join(","))),
            }
        }
    }
    w.w(0, "Rules:\n  Host\tPath\tBackends\n");
    w.w(1, "----\t----\t--------\n");
    let mut count = 0;
    for rule in arr(ing, &["spec", "rules"]) {
        let Some(http) = get(rule, &["http"]).filter(|v| !v.is_null()) else {
            continue;
        };
        count += 1;
        let host = opt_s(rule, &["host"])
            .filter(|h| !h.is_empty())
            .unwrap_or("*");
        w.w(1, &format!("{host}\t\n"));
        for path in arr(http, &["paths"]) {
            let backend = get(path, &["backend"]).unwrap_or(&Value::Null);
            w.w(
                2,
                &format!(
                    "\t{} \t{}\n",
                    s(path, &["path"]),
                    describe_backend(backend, ctx.related)
                ),
            );
        }
    }
    if count == 0 {
        w.w(1, &format!("*\t*\t{default}\n"));
    }
    annotations_multiline(w, "Annotations", get(ing, &["metadata", "annotations"]));
    describe_events(w, ctx.events, ctx.now);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::common::describe::testing::ctx;
    use serde_json::json;

    fn ingress(backend: Value) -> Value {
        json!({"metadata": {"name": "foo", "namespace": "foo"},
               "spec": {"rules": [{"host": "foo.bar.com",
                                   "http": {"paths": [{"path": "/foo", "pathType": "Prefix", "backend": backend}]}}]}})
    }

    /// describe_test.go `TestDescribeIngress`: a service backend whose Service is missing,
    /// and a resource backend.
    #[test]
    fn describes_backends_as_upstream() {
        let out = (DESCRIBER.print)(
            &ingress(json!({"service": {"name": "default-backend", "port": {"number": 80}}})),
            &ctx(&[], &[]),
        );
        assert_eq!(
            out,
            "Name:             foo
Labels:           <none>
Namespace:        foo
Address:          
Ingress Class:    <none>
Default backend:  <default>
Rules:
  Host         Path  Backends
  ----         ----  --------
  foo.bar.com  
               /foo   default-backend:80 (<error: services \"default-backend\" not found>)
Annotations:   <none>
Events:        <none>
"
        );
        let res = (DESCRIBER.print)(
            &ingress(
                json!({"resource": {"apiGroup": "example.com", "kind": "foo", "name": "bar"}}),
            ),
            &ctx(&[], &[]),
        );
        assert!(
            res.contains("/foo   APIGroup: example.com, Kind: foo, Name: bar\n"),
            "{res}"
        );
    }

    #[test]
    fn a_backend_shows_its_ready_endpoints() {
        let svc = json!({"kind": "Service", "metadata": {"name": "web", "namespace": "foo"},
                         "spec": {"ports": [{"name": "http", "port": 8080}]}});
        let slice = json!({"kind": "EndpointSlice",
            "metadata": {"name": "web-abc", "namespace": "foo", "labels": {"kubernetes.io/service-name": "web"}},
            "ports": [{"name": "http", "port": 80}],
            "endpoints": [{"addresses": ["10.244.1.5"], "conditions": {"ready": true}},
                          {"addresses": ["10.244.2.7"], "conditions": {"ready": false}}]});
        let mut ing = ingress(json!({"service": {"name": "web", "port": {"name": "http"}}}));
        ing["spec"]["defaultBackend"] =
            json!({"service": {"name": "web", "port": {"number": 8080}}});
        let out = (DESCRIBER.print)(&ing, &ctx(&[], &[svc, slice]));
        assert!(
            out.contains("Default backend:  web:8080 (10.244.1.5:80)\n"),
            "{out}"
        );
        assert!(out.contains("/foo   web:http (10.244.1.5:80)\n"), "{out}");
    }
}
