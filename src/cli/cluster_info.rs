//! `kubectl cluster-info`: the control plane's address (the kubeconfig's server,
//! [`super::config::kubeconfig::SERVER`]) and each Service labelled
//! `kubernetes.io/cluster-service=true` in `-n` or `kube-system` (not the context's
//! namespace: kubectl reads only the flag), as clusterinfo.go prints them. kubectl 1.33 prints
//! no colours (go-colortext left it), so neither does kubesim. `cluster-info dump` is not
//! served: an error that names what shows the same.

use super::config::kubeconfig::SERVER;
use super::{CliError, CliResult, Ctx, Out};
use clap::{Args, Subcommand};
use serde_json::Value;
use std::io::Write;

#[derive(Args, Debug, Clone)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ClusterInfoArgs {
    #[command(subcommand)]
    pub cmd: Option<ClusterInfoCmd>,
    /// kubectl takes and ignores words here
    #[arg(value_name = "ARGS", hide = true)]
    pub args: Vec<String>,
}

#[derive(Subcommand, Debug, Clone)]
pub enum ClusterInfoCmd {
    /// Dump relevant information for debugging and diagnosis
    Dump(DumpArgs),
}

#[derive(Args, Debug, Clone)]
pub struct DumpArgs {
    #[arg(value_name = "ARGS", allow_hyphen_values = true, hide = true)]
    pub args: Vec<String>,
}

/// The label kubectl selects the listed Services by.
const CLUSTER_SERVICE: &str = "kubernetes.io/cluster-service";

pub fn run(ctx: &Ctx, a: ClusterInfoArgs, out: &mut Out) -> CliResult {
    if let Some(ClusterInfoCmd::Dump(_)) = a.cmd {
        return Err(CliError::msg(
            "kubesim does not serve cluster-info dump; `kubesim get all,events -A -o yaml`, `kubesim describe nodes` and `kubesim logs POD` show the objects and logs it would dump",
        ));
    }
    let ns = ctx
        .global
        .namespace
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "kube-system".to_string());
    let mut api = ctx.open_read()?;
    let info = &crate::kinds::service::KIND;
    let mut services = api.list(info, Some(&ns))?;
    services.retain(|s| {
        s.pointer("/metadata/labels")
            .and_then(|l| l.get(CLUSTER_SERVICE))
            .and_then(Value::as_str)
            == Some("true")
    });
    services.sort_by(|a, b| crate::api::name_of(a).cmp(crate::api::name_of(b)));
    super::done(api);
    let mut text = running("Kubernetes control plane", SERVER);
    for s in &services {
        text.push_str(&service_line(s));
    }
    text.push_str(
        "\nTo further debug and diagnose cluster problems, use 'kubesim cluster-info dump'.\n",
    );
    out.out.write_all(text.as_bytes())?;
    Ok(())
}

fn running(name: &str, link: &str) -> String {
    format!("{name} is running at {link}\n")
}

/// A Service's line: its `kubernetes.io/name` (or name) and where the API server proxies
/// it — `<scheme>:<name>:<first port's name>` — or its load balancer's addresses.
fn service_line(s: &Value) -> String {
    let str_at = |p: &str| s.pointer(p).and_then(Value::as_str).unwrap_or("");
    let name = str_at("/metadata/name");
    let ports = s
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let link = match s
        .pointer("/status/loadBalancer/ingress/0")
        .filter(|i| i.is_object())
    {
        Some(ingress) => {
            let ip = ingress.get("ip").and_then(Value::as_str).unwrap_or("");
            let host = if ip.is_empty() {
                ingress
                    .get("hostname")
                    .and_then(Value::as_str)
                    .unwrap_or("")
            } else {
                ip
            };
            ports
                .iter()
                .map(|p| {
                    let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
                    format!("http://{host}:{port} ")
                })
                .collect()
        }
        None => {
            let target = match ports.first() {
                Some(p) => {
                    let port_name = p.get("name").and_then(Value::as_str).unwrap_or("");
                    let https =
                        port_name == "https" || p.get("port").and_then(Value::as_i64) == Some(443);
                    join_scheme_name_port(if https { "https" } else { "" }, name, port_name)
                }
                None => name.to_string(),
            };
            format!(
                "{SERVER}/api/v1/namespaces/{}/services/{target}/proxy",
                str_at("/metadata/namespace")
            )
        }
    };
    let shown = match str_at("/metadata/labels/kubernetes.io~1name") {
        "" => name,
        n => n,
    };
    running(shown, &link)
}

/// utilnet.JoinSchemeNamePort: `name`, `name:port`, `scheme:name:port` or `scheme:name:`.
fn join_scheme_name_port(scheme: &str, name: &str, port: &str) -> String {
    match (scheme.is_empty(), port.is_empty()) {
        (true, true) => name.to_string(),
        (true, false) => format!("{name}:{port}"),
        (false, _) => format!("{scheme}:{name}:{port}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn service_lines_as_clusterinfo_go_writes_them() {
        let dns = json!({"metadata": {"name": "kube-dns", "namespace": "kube-system",
            "labels": {"kubernetes.io/name": "CoreDNS"}},
            "spec": {"ports": [{"name": "dns", "port": 53}, {"name": "dns-tcp", "port": 53}]}});
        assert_eq!(
            service_line(&dns),
            format!(
                "CoreDNS is running at {SERVER}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n"
            )
        );
        let https = json!({"metadata": {"name": "dash", "namespace": "x"},
            "spec": {"ports": [{"port": 443}]}});
        assert_eq!(
            service_line(&https),
            format!("dash is running at {SERVER}/api/v1/namespaces/x/services/https:dash:/proxy\n")
        );
        let lb = json!({"metadata": {"name": "lb", "namespace": "x"},
            "spec": {"ports": [{"port": 80}, {"port": 81}]},
            "status": {"loadBalancer": {"ingress": [{"hostname": "h.example"}]}}});
        assert_eq!(
            service_line(&lb),
            "lb is running at http://h.example:80 http://h.example:81 \n"
        );
        let bare = json!({"metadata": {"name": "b", "namespace": "x"}});
        assert_eq!(
            service_line(&bare),
            format!("b is running at {SERVER}/api/v1/namespaces/x/services/b/proxy\n")
        );
    }

    #[test]
    fn scheme_name_port_joined_as_utilnet_joins_them() {
        assert_eq!(join_scheme_name_port("", "n", ""), "n");
        assert_eq!(join_scheme_name_port("", "n", "p"), "n:p");
        assert_eq!(join_scheme_name_port("https", "n", ""), "https:n:");
        assert_eq!(join_scheme_name_port("https", "n", "p"), "https:n:p");
    }
}
