//! `kubectl expose` (staging/src/k8s.io/kubectl/pkg/cmd/expose/expose.go, 1.33): a Service
//! for a deployment, replica set, replication controller, pod or service (named, or read from
//! `-f`), its selector, ports, protocols and labels taken from the object unless given.

use std::collections::BTreeMap;

use super::flags;
use super::resources;
use super::{CliError, CliResult, Ctx, Out};
use crate::kinds::Kind;
use clap::Args;
use serde_json::{Map, Value, json};

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::usage(
        "Filename, directory, or URL to files identifying the resource to expose a service"
    )
))]
pub struct ExposeArgs {
    /// (TYPE NAME | TYPE/NAME)
    #[arg(value_name = "TYPE", add = super::completion::resource_args())]
    pub args: Vec<String>,
    #[command(flatten)]
    pub files: flags::FilenameFlags,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    #[command(flatten)]
    pub dry_run: flags::DryRunFlags,
    /// The network protocol for the service to be created. Default is 'TCP'.
    #[arg(long)]
    pub protocol: Option<String>,
    /// The port that the service should serve on. Copied from the resource being exposed, if unspecified
    #[arg(long)]
    pub port: Option<String>,
    /// Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.
    #[arg(long = "type")]
    pub type_: Option<String>,
    /// IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific).
    #[arg(long)]
    pub load_balancer_ip: Option<String>,
    /// A label selector to use for this service. Only equality-based selector requirements are supported.
    #[arg(long)]
    pub selector: Option<String>,
    /// Labels to apply to the service created by this call.
    #[arg(short = 'l', long)]
    pub labels: Option<String>,
    /// Name or number for the port on the container that the service should direct traffic to. Optional.
    #[arg(long)]
    pub target_port: Option<String>,
    /// Additional external IP address (not managed by Kubernetes) to accept for the service.
    #[arg(long)]
    pub external_ip: Option<String>,
    /// The name for the newly created object.
    #[arg(long)]
    pub name: Option<String>,
    /// If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'
    #[arg(long)]
    pub session_affinity: Option<String>,
    /// ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service.
    #[arg(long)]
    pub cluster_ip: Option<String>,
    /// If true, the configuration of current object will be saved in its annotation
    #[arg(long)]
    pub save_config: bool,
    #[command(flatten)]
    pub record: super::goflags::RecordFlag,
    #[command(flatten)]
    pub managed: super::goflags::ManagedFieldsFlags,
}

/// What the exposed object gives: its name, selector, ports, port protocols and labels.
#[derive(Debug, PartialEq)]
pub struct Exposed {
    pub name: String,
    pub selector: Result<BTreeMap<String, String>, String>,
    pub ports: Vec<String>,
    pub protocols: BTreeMap<String, Vec<String>>,
    pub labels: BTreeMap<String, String>,
}

fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// `CanBeExposed`, `MapBasedSelectorForObject`, `PortsForObject`, `MultiProtocolsForObject`.
pub fn introspect(kind: &Kind, obj: &Value) -> Result<Exposed, CliError> {
    let template_spec = |o: &Value| o.pointer("/spec/template/spec").cloned();
    let (selector, pod_spec) = match kind.kind {
        "Pod" => {
            let l = string_map(obj.pointer("/metadata/labels"));
            let sel = if l.is_empty() {
                Err("the pod has no labels and cannot be exposed".to_string())
            } else {
                Ok(l)
            };
            (sel, obj.get("spec").cloned())
        }
        "Service" => {
            let s = string_map(obj.pointer("/spec/selector"));
            let sel = if obj.pointer("/spec/selector").is_none() {
                Err("the service has no pod selector set".to_string())
            } else {
                Ok(s)
            };
            (sel, None)
        }
        "ReplicationController" => (
            Ok(string_map(obj.pointer("/spec/selector"))),
            template_spec(obj),
        ),
        "Deployment" | "ReplicaSet" => {
            let exprs = obj
                .pointer("/spec/selector/matchExpressions")
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty());
            let sel = match exprs {
                Some(e) => Err(format!(
                    "couldn't convert expressions - \"{}\" to map-based selector format",
                    go_requirements(e, true)
                )),
                None => Ok(string_map(obj.pointer("/spec/selector/matchLabels"))),
            };
            (sel, template_spec(obj))
        }
        _ => {
            let gk = if kind.group.is_empty() {
                kind.kind.to_string()
            } else {
                format!("{}.{}", kind.kind, kind.group)
            };
            return Err(CliError::msg(format!("cannot expose a {gk}")));
        }
    };
    let mut ports = Vec::new();
    let mut protocols: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |port: String, proto: &str| {
        ports.push(port.clone());
        let list = protocols.entry(port).or_default();
        if !list.iter().any(|p| p == proto) {
            list.push(proto.to_string());
        }
    };
    match pod_spec {
        Some(spec) => {
            for c in spec
                .get("containers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                for p in c
                    .get("ports")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let n = p.get("containerPort").and_then(Value::as_i64).unwrap_or(0);
                    let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
                    add(n.to_string(), if proto.is_empty() { "TCP" } else { proto });
                }
            }
        }
        None => {
            for p in obj
                .pointer("/spec/ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let n = p.get("port").and_then(Value::as_i64).unwrap_or(0);
                let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
                add(n.to_string(), proto);
            }
        }
    }
    let name: String = crate::api::name_of(obj).chars().take(63).collect();
    Ok(Exposed {
        name,
        selector,
        ports,
        protocols,
        labels: string_map(obj.pointer("/metadata/labels")),
    })
}

/// Go's `%+v` (`field_names`) or `%v` of a `[]metav1.LabelSelectorRequirement`.
pub(super) fn go_requirements(exprs: &[Value], field_names: bool) -> String {
    let items: Vec<String> = exprs
        .iter()
        .map(|e| {
            let values: Vec<&str> = e
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let key = e.get("key").and_then(Value::as_str).unwrap_or("");
            let op = e.get("operator").and_then(Value::as_str).unwrap_or("");
            let values = values.join(" ");
            if field_names {
                format!("{{Key:{key} Operator:{op} Values:[{values}]}}")
            } else {
                format!("{{{key} {op} [{values}]}}")
            }
        })
        .collect();
    format!("[{}]", items.join(" "))
}

/// `parseLabels`: `k=v,k2=v2`.
fn parse_labels(spec: &str) -> Result<BTreeMap<String, String>, CliError> {
    let mut out = BTreeMap::new();
    for item in spec.split(',') {
        let kv: Vec<&str> = item.split('=').collect();
        if kv.len() != 2 {
            return Err(CliError::msg(format!("unexpected label spec: {item}")));
        }
        if kv[0].is_empty() {
            return Err(CliError::msg("unexpected empty label key"));
        }
        out.insert(kv[0].to_string(), kv[1].to_string());
    }
    Ok(out)
}

/// `intstr.Parse`: a number if it is one, else a name.
fn int_or_string(s: &str) -> Value {
    match s.parse::<i32>() {
        Ok(n) => json!(n),
        Err(_) => json!(s),
    }
}

/// `RunExpose` + `createService` for one object: the Service kubectl builds.
pub fn build_service(a: &ExposeArgs, ex: Exposed) -> Result<Value, CliError> {
    let selector = match &a.selector {
        Some(s) if !s.is_empty() => parse_labels(s)?,
        _ => ex.selector.map_err(|e| {
            CliError::msg(format!(
                "couldn't retrieve selectors via --selector flag or introspection: {e}"
            ))
        })?,
    };
    if selector.is_empty() {
        return Err(CliError::msg("selector must be specified"));
    }
    let headless = a.cluster_ip.as_deref() == Some("None");
    let (mut port, mut many) = (a.port.clone().unwrap_or_default(), String::new());
    if port.is_empty() {
        match ex.ports.len() {
            0 if !headless => {
                return Err(CliError::msg(
                    "couldn't find port via --port flag or introspection",
                ));
            }
            0 => {}
            1 => port = ex.ports[0].clone(),
            _ => many = ex.ports.join(","),
        }
    }
    let labels = match &a.labels {
        Some(l) if !l.is_empty() => Some(parse_labels(l)?),
        _ if ex.labels.is_empty() => None,
        _ => Some(ex.labels),
    };
    let name = match &a.name {
        Some(n) if !n.is_empty() => n.clone(),
        _ => ex.name,
    };
    if name.is_empty() {
        return Err(CliError::msg("name must be specified"));
    }
    let port_string = if many.is_empty() { port } else { many };
    let protocol = a.protocol.clone().unwrap_or_default();
    let mut ports: Vec<Value> = Vec::new();
    if !port_string.is_empty() {
        let list: Vec<&str> = port_string.split(',').collect();
        for (i, p) in list.iter().enumerate() {
            let n: i64 = p.parse().map_err(|_| {
                CliError::msg(format!(
                    "strconv.Atoi: parsing {}: invalid syntax",
                    crate::util::go_quote(p)
                ))
            })?;
            let pname = if list.len() > 1 {
                format!("port-{}", i + 1)
            } else {
                String::new()
            };
            let mut proto = protocol.clone();
            if proto.is_empty() {
                proto = "TCP".into();
                if let Some(found) = ex.protocols.get(*p) {
                    if found.len() == 1 {
                        proto = found[0].clone();
                    } else {
                        for fp in found {
                            ports.push(
                                json!({"name": format!("port-{}-{}", i + 1, fp.to_lowercase()),
                                              "port": n, "protocol": fp}),
                            );
                        }
                        continue;
                    }
                }
            }
            let mut sp = json!({"port": n, "protocol": proto});
            if !pname.is_empty()
                && let Some(m) = sp.as_object_mut()
            {
                m.insert("name".into(), json!(pname));
            }
            ports.push(sp);
        }
    }
    for p in &mut ports {
        let target = match a.target_port.as_deref().filter(|t| !t.is_empty()) {
            Some(t) => int_or_string(t),
            None => p.get("port").cloned().unwrap_or(json!(0)),
        };
        if let Some(m) = p.as_object_mut() {
            m.insert("targetPort".into(), target);
        }
    }
    let mut spec = Map::new();
    spec.insert("selector".into(), json!(selector));
    if !ports.is_empty() {
        spec.insert("ports".into(), Value::Array(ports));
    }
    if let Some(ip) = a.external_ip.as_deref().filter(|s| !s.is_empty()) {
        spec.insert("externalIPs".into(), json!([ip]));
    }
    let ty = a.type_.clone().unwrap_or_default();
    if !ty.is_empty() {
        spec.insert("type".into(), json!(ty));
    }
    if ty == "LoadBalancer"
        && let Some(ip) = a.load_balancer_ip.as_deref().filter(|s| !s.is_empty())
    {
        spec.insert("loadBalancerIP".into(), json!(ip));
    }
    match a.session_affinity.as_deref() {
        None | Some("") => {}
        Some(sa @ ("None" | "ClientIP")) => {
            spec.insert("sessionAffinity".into(), json!(sa));
        }
        Some(other) => {
            return Err(CliError::msg(format!("unknown session affinity: {other}")));
        }
    }
    if let Some(ip) = a.cluster_ip.as_deref().filter(|s| !s.is_empty()) {
        spec.insert("clusterIP".into(), json!(ip));
    }
    let mut md = json!({"creationTimestamp": null, "name": name});
    if let (Some(l), Some(m)) = (labels, md.as_object_mut()) {
        m.insert("labels".into(), json!(l));
    }
    Ok(
        json!({"apiVersion": "v1", "kind": "Service", "metadata": md,
              "spec": Value::Object(spec), "status": {"loadBalancer": {}}}),
    )
}

pub fn run(ctx: &Ctx, a: ExposeArgs, out: &mut Out) -> CliResult {
    let fmt = a.output.format()?;
    let dry = a.dry_run.mode()?;
    // The objects: from the files as written, or read from the cluster.
    let mut objects: Vec<(&'static Kind, Value)> = Vec::new();
    if !a.files.filename.is_empty() {
        for m in a.files.load()? {
            let (d, _) = super::apply::decode_manifest(&m, ctx, "exposing")?;
            objects.push((d.info, d.object));
        }
    } else {
        objects = resources::named_objects(ctx, &a.args, "exposing")?;
    }
    let svc_kind = &crate::kinds::service::KIND;
    let mut api = if dry == Some("client") {
        None
    } else {
        Some(ctx.open_write()?)
    };
    for (kind, obj) in objects {
        let ex = introspect(kind, &obj)?;
        let mut svc = build_service(&a, ex)?;
        super::goflags::record(&mut svc, a.record.cause().as_deref());
        let Some(api) = api.as_mut() else {
            if let Some(ns) = &ctx.global.namespace {
                svc.set_ns(ns);
            }
            super::create::print_result_as(out, &fmt, svc_kind, &svc, dry, "exposed")?;
            continue;
        };
        super::create::create_built(
            api,
            out,
            &fmt,
            svc_kind,
            &ctx.namespace()?,
            svc,
            a.save_config,
            dry,
            "exposed",
        )?;
    }
    if let Some(api) = api {
        ctx.finish_unless_dry(api, dry)?;
    }
    Ok(())
}

trait SetNs {
    fn set_ns(&mut self, ns: &str);
}

impl SetNs for Value {
    fn set_ns(&mut self, ns: &str) {
        if let Some(m) = self.get_mut("metadata").and_then(Value::as_object_mut) {
            m.insert("namespace".into(), json!(ns));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(clap::Parser)]
    struct T {
        #[command(flatten)]
        a: ExposeArgs,
    }

    fn expose(kind: &Kind, obj: Value, args: &[&str]) -> Result<Value, String> {
        use clap::Parser;
        let t = T::try_parse_from(std::iter::once("expose").chain(args.iter().copied()))
            .map_err(|e| e.to_string())?;
        introspect(kind, &obj)
            .and_then(|ex| build_service(&t.a, ex))
            .map_err(|e| e.text)
    }

    fn deployment(ports: Value) -> Value {
        json!({"metadata": {"name": "my-nginx", "labels": {"run": "my-nginx"}},
               "spec": {"selector": {"matchLabels": {"run": "my-nginx"}},
                        "template": {"spec": {"containers": [{"name": "c", "ports": ports}]}}}})
    }

    #[test]
    fn a_deployment_with_one_port() {
        // The docs' "Connecting Applications with Services": kubectl expose deployment/my-nginx.
        let d = deployment(json!([{"containerPort": 80}]));
        let svc = expose(&crate::kinds::deployment::KIND, d, &[]).unwrap();
        assert_eq!(
            svc,
            json!({"apiVersion": "v1", "kind": "Service",
                "metadata": {"creationTimestamp": null, "labels": {"run": "my-nginx"}, "name": "my-nginx"},
                "spec": {"ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
                         "selector": {"run": "my-nginx"}},
                "status": {"loadBalancer": {}}})
        );
    }

    #[test]
    fn ports_names_protocols_and_flags() {
        // expose_test.go: several ports are named port-N; a port with two protocols port-N-proto.
        let d = deployment(
            json!([{"containerPort": 80}, {"containerPort": 53, "protocol": "UDP"},
                                  {"containerPort": 53, "protocol": "TCP"}]),
        );
        let svc = expose(&crate::kinds::deployment::KIND, d.clone(), &[]).unwrap();
        assert_eq!(
            svc["spec"]["ports"],
            json!([{"name": "port-1", "port": 80, "protocol": "TCP", "targetPort": 80},
                   {"name": "port-2-udp", "port": 53, "protocol": "UDP", "targetPort": 53},
                   {"name": "port-2-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                   {"name": "port-3-udp", "port": 53, "protocol": "UDP", "targetPort": 53},
                   {"name": "port-3-tcp", "port": 53, "protocol": "TCP", "targetPort": 53}])
        );
        let svc = expose(
            &crate::kinds::deployment::KIND,
            d,
            &[
                "--port=8080",
                "--target-port=http",
                "--type=NodePort",
                "--name=web",
                "--labels=a=b",
                "--session-affinity=ClientIP",
                "--cluster-ip=None",
            ],
        )
        .unwrap();
        assert_eq!(
            svc,
            json!({"apiVersion": "v1", "kind": "Service",
                "metadata": {"creationTimestamp": null, "labels": {"a": "b"}, "name": "web"},
                "spec": {"clusterIP": "None", "ports": [{"port": 8080, "protocol": "TCP", "targetPort": "http"}],
                         "selector": {"run": "my-nginx"}, "sessionAffinity": "ClientIP", "type": "NodePort"},
                "status": {"loadBalancer": {}}})
        );
    }

    #[test]
    fn what_cannot_be_exposed() {
        let none = deployment(json!([]));
        assert_eq!(
            expose(&crate::kinds::deployment::KIND, none.clone(), &[]).unwrap_err(),
            "error: couldn't find port via --port flag or introspection"
        );
        assert!(
            expose(
                &crate::kinds::deployment::KIND,
                none,
                &["--cluster-ip=None"]
            )
            .is_ok()
        );
        let pod = json!({"metadata": {"name": "p"}, "spec": {"containers": []}});
        assert_eq!(
            expose(&crate::kinds::pod::KIND, pod, &["--port=80"]).unwrap_err(),
            "error: couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed"
        );
        let svc = json!({"metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}});
        assert_eq!(
            expose(&crate::kinds::service::KIND, svc, &[]).unwrap_err(),
            "error: couldn't retrieve selectors via --selector flag or introspection: the service has no pod selector set"
        );
        let job = json!({"metadata": {"name": "j"}});
        assert_eq!(
            expose(&crate::kinds::job::KIND, job, &[]).unwrap_err(),
            "error: cannot expose a Job.batch"
        );
        let exprs = json!({"metadata": {"name": "d"}, "spec": {"selector": {"matchExpressions": [
            {"key": "app", "operator": "In", "values": ["a", "b"]}]}}});
        assert_eq!(
            expose(&crate::kinds::deployment::KIND, exprs, &["--port=80"]).unwrap_err(),
            "error: couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - \"[{Key:app Operator:In Values:[a b]}]\" to map-based selector format"
        );
        let long = "a".repeat(70);
        let pod = json!({"metadata": {"name": long, "labels": {"a": "b"}}, "spec": {}});
        let svc = expose(&crate::kinds::pod::KIND, pod, &["--port=80"]).unwrap();
        assert_eq!(svc["metadata"]["name"].as_str().unwrap().len(), 63);
    }
}
