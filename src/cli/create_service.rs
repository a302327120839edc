//! `kubectl create service clusterip|nodeport|loadbalancer|externalname`
//! (staging/src/k8s.io/kubectl/pkg/cmd/create/create_service.go): a Service named NAME with
//! the label and selector `app=NAME`, one TCP port per `--tcp` pair (`<port>[:<targetPort>]`,
//! named after the pair), and kubectl's checks and messages.

use super::CliError;
use super::create::CreateFlags;
use crate::kinds::validation::{is_dns1123_subdomain, is_valid_port_name, is_valid_port_num};
use clap::{Args, Subcommand};
use serde_json::{Value, json};

/// The flags every `create service` subcommand has.
#[derive(Args, Debug, Clone)]
pub struct ServiceFlags {
    /// Port pairs can be specified as '<port>:<targetPort>'.
    #[arg(long, value_delimiter = ',')]
    pub tcp: Vec<String>,
    #[command(flatten)]
    pub flags: CreateFlags,
}

#[derive(Subcommand, Debug, Clone)]
pub enum ServiceKind {
    /// Create a ClusterIP service
    Clusterip {
        name: String,
        /// Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing).
        #[arg(long)]
        clusterip: Option<String>,
        #[command(flatten)]
        common: ServiceFlags,
    },
    /// Create a NodePort service
    Nodeport {
        name: String,
        /// Port used to expose the service on each node in a cluster.
        #[arg(long, default_value_t = 0)]
        node_port: i32,
        #[command(flatten)]
        common: ServiceFlags,
    },
    /// Create a LoadBalancer service
    Loadbalancer {
        name: String,
        #[command(flatten)]
        common: ServiceFlags,
    },
    /// Create an ExternalName service
    Externalname {
        name: String,
        /// External name of service
        #[arg(long, required = true)]
        external_name: String,
        #[command(flatten)]
        common: ServiceFlags,
    },
}

/// `parsePorts`: `<port>[:<targetPort>]`, the target a number or a port name.
pub fn parse_ports(spec: &str) -> Result<(i64, Value), CliError> {
    let mut parts = spec.split(':');
    let first = parts.next().unwrap_or("");
    let port: i64 = match first.parse::<u16>() {
        Ok(p) => p.into(),
        Err(_) => {
            let why = if !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            return Err(CliError::msg(format!(
                "strconv.ParseUint: parsing {}: {why}",
                crate::util::go_quote(first)
            )));
        }
    };
    let Some(target) = parts.next() else {
        return Ok((port, json!(port)));
    };
    let target = match target.parse::<i64>() {
        Ok(n) => {
            let errs = is_valid_port_num(n);
            if !errs.is_empty() {
                return Err(CliError::msg(errs.join(",")));
            }
            json!(n)
        }
        Err(_) => {
            let errs = is_valid_port_name(target);
            if !errs.is_empty() {
                return Err(CliError::msg(errs.join(",")));
            }
            json!(target)
        }
    };
    Ok((port, target))
}

/// The Service a `create service` subcommand builds (`Validate` then `createService`), its
/// flags, and the prefix of a failure to create it.
pub fn generate(kind: ServiceKind) -> Result<(Value, CreateFlags, &'static str), CliError> {
    let (ty, name, cluster_ip, node_port, external_name, common) = match kind {
        ServiceKind::Clusterip {
            name,
            clusterip,
            common,
        } => ("ClusterIP", name, clusterip, 0, None, common),
        ServiceKind::Nodeport {
            name,
            node_port,
            common,
        } => ("NodePort", name, None, node_port, None, common),
        ServiceKind::Loadbalancer { name, common } => ("LoadBalancer", name, None, 0, None, common),
        ServiceKind::Externalname {
            name,
            external_name,
            common,
        } => ("ExternalName", name, None, 0, Some(external_name), common),
    };
    let headless = cluster_ip.as_deref() == Some("None");
    if headless && ty != "ClusterIP" {
        return Err(CliError::msg(
            "ClusterIP=None can only be used with ClusterIP service type",
        ));
    }
    if !headless && common.tcp.is_empty() && ty != "ExternalName" {
        return Err(CliError::msg(
            "at least one tcp port specifier must be provided",
        ));
    }
    if let Some(en) = &external_name
        && !is_dns1123_subdomain(en).is_empty()
    {
        return Err(CliError::msg(format!("invalid service external name {en}")));
    }
    let mut ports = Vec::new();
    for spec in &common.tcp {
        let (port, target) = parse_ports(spec)?;
        let mut p = json!({"name": spec.replace(':', "-"), "port": port, "protocol": "TCP",
                           "targetPort": target});
        if node_port != 0
            && let Some(m) = p.as_object_mut()
        {
            m.insert("nodePort".into(), json!(node_port));
        }
        ports.push(p);
    }
    let mut spec = json!({"selector": {"app": name}, "type": ty});
    if let Some(m) = spec.as_object_mut() {
        if !ports.is_empty() {
            m.insert("ports".into(), Value::Array(ports));
        }
        if let Some(en) = external_name.filter(|e| !e.is_empty()) {
            m.insert("externalName".into(), json!(en));
        }
        if let Some(ip) = cluster_ip.filter(|c| !c.is_empty()) {
            m.insert("clusterIP".into(), json!(ip));
        }
    }
    let obj = json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"creationTimestamp": null, "labels": {"app": name}, "name": name},
        "spec": spec, "status": {"loadBalancer": {}}});
    let wrap = match ty {
        "ClusterIP" => "failed to create ClusterIP service: ",
        "NodePort" => "failed to create NodePort service: ",
        "LoadBalancer" => "failed to create LoadBalancer service: ",
        _ => "failed to create ExternalName service: ",
    };
    Ok((obj, common.flags, wrap))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_pairs_as_kubectl_parses_them() {
        // create_service_test.go TestCreateServices / parsePorts, and kubectl 1.33's errors.
        assert_eq!(parse_ports("5678:8080").unwrap(), (5678, json!(8080)));
        assert_eq!(parse_ports("80").unwrap(), (80, json!(80)));
        assert_eq!(parse_ports("80:http").unwrap(), (80, json!("http")));
        assert_eq!(parse_ports("0").unwrap(), (0, json!(0)));
        let err = |s: &str| parse_ports(s).unwrap_err().text;
        assert_eq!(
            err("abc"),
            "error: strconv.ParseUint: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            err("70000"),
            "error: strconv.ParseUint: parsing \"70000\": value out of range"
        );
        assert_eq!(err("80:0"), "error: must be between 1 and 65535, inclusive");
        assert_eq!(
            err("443:8443/x"),
            "error: must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"
        );
    }

    #[derive(clap::Parser)]
    struct T {
        #[command(subcommand)]
        kind: ServiceKind,
    }

    fn svc(args: &[&str]) -> Result<Value, String> {
        use clap::Parser;
        let t = T::try_parse_from(std::iter::once("create-service").chain(args.iter().copied()))
            .map_err(|e| e.to_string())?;
        generate(t.kind).map(|g| g.0).map_err(|e| e.text)
    }

    #[test]
    fn services_as_kubectl_builds_them() {
        let cs = svc(&["clusterip", "my-cs", "--tcp=5678:8080"]).unwrap();
        assert_eq!(
            cs["spec"],
            json!({"ports": [{"name": "5678-8080", "port": 5678, "protocol": "TCP", "targetPort": 8080}],
                   "selector": {"app": "my-cs"}, "type": "ClusterIP"})
        );
        let two = svc(&["clusterip", "b", "--tcp=80,443", "--tcp", "8080:http"]).unwrap();
        let names: Vec<&Value> = (0..3).map(|i| &two["spec"]["ports"][i]["name"]).collect();
        assert_eq!(names, [&json!("80"), &json!("443"), &json!("8080-http")]);
        let headless = svc(&["clusterip", "h", "--clusterip=None"]).unwrap();
        assert_eq!(
            headless["spec"],
            json!({"clusterIP": "None", "selector": {"app": "h"}, "type": "ClusterIP"})
        );
        let np = svc(&["nodeport", "n", "--tcp=80", "--node-port=30080"]).unwrap();
        assert_eq!(np["spec"]["ports"][0]["nodePort"], 30080);
        assert_eq!(np["spec"]["ports"][0]["name"], "80");
        let en = svc(&["externalname", "e", "--external-name", "bar.com"]).unwrap();
        assert_eq!(
            en["spec"],
            json!({"externalName": "bar.com", "selector": {"app": "e"}, "type": "ExternalName"})
        );
        assert_eq!(
            svc(&["loadbalancer", "l"]).unwrap_err(),
            "error: at least one tcp port specifier must be provided"
        );
        assert_eq!(
            svc(&["externalname", "e", "--external-name=Bad_Name"]).unwrap_err(),
            "error: invalid service external name Bad_Name"
        );
        assert!(svc(&["nodeport", "n", "--tcp=80", "--clusterip=None"]).is_err());
    }
}
