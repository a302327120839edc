//! `api-resources`, `version` and `reset`.

use super::flags;
use super::{CliError, CliResult, Ctx, Out};
use crate::api::kinds::KINDS;
use crate::engine::bootstrap::KUBELET_VERSION;
use crate::print::tabwriter;
use clap::Args;
use std::io::Write;

#[derive(Args, Debug, Clone)]
#[command(mut_arg("output", flags::usage("Output format: wide|name")))]
pub struct ApiResourcesArgs {
    /// If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default
    #[arg(long, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub namespaced: Option<bool>,
    /// Limit to resources in the specified API group
    #[arg(long)]
    pub api_group: Option<String>,
    /// When using the default or custom-column output format, don't print headers
    #[arg(long)]
    pub no_headers: bool,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    /// If non-empty, sort list of resources using specified field: 'name' or 'kind'
    #[arg(long)]
    pub sort_by: Option<String>,
}

pub fn api_resources(_ctx: &Ctx, a: ApiResourcesArgs, out: &mut Out) -> CliResult {
    let mut kinds: Vec<_> = KINDS
        .iter()
        .filter(|k| a.namespaced.is_none_or(|n| n == k.namespaced))
        .filter(|k| a.api_group.as_deref().is_none_or(|g| g == k.group))
        .collect();
    match a.sort_by.as_deref() {
        Some("name") => kinds.sort_by_key(|k| k.plural),
        Some("kind") => kinds.sort_by_key(|k| k.kind),
        Some(o) => {
            return Err(CliError::msg(format!(
                "--sort-by accepts only name or kind, got {o}"
            )));
        }
        None => {}
    }
    let wide = match a.output.as_deref() {
        None => false,
        Some("wide") => true,
        Some("name") => {
            for k in &kinds {
                if k.group.is_empty() {
                    writeln!(out.out, "{}", k.plural)?;
                } else {
                    writeln!(out.out, "{}.{}", k.plural, k.group)?;
                }
            }
            return Ok(());
        }
        Some(o) => return Err(CliError::msg(format!("--output {o} is not available"))),
    };
    let mut rows = Vec::new();
    if !a.no_headers {
        let mut h = vec!["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"];
        if wide {
            h.extend(["VERBS", "CATEGORIES"]);
        }
        rows.push(h.into_iter().map(String::from).collect());
    }
    for k in kinds {
        let mut r = vec![
            k.plural.to_string(),
            k.short_names.join(","),
            k.api_version(),
            k.namespaced.to_string(),
            k.kind.to_string(),
        ];
        if wide {
            r.push(format!("[{}]", k.verbs.join(" ")));
            r.push(if k.in_all {
                "all".into()
            } else {
                String::new()
            });
        }
        rows.push(r);
    }
    out.out.write_all(tabwriter::table(&rows).as_bytes())?;
    Ok(())
}

#[derive(Args, Debug, Clone)]
#[command(mut_arg("output", flags::usage("One of 'yaml' or 'json'")))]
pub struct VersionArgs {
    /// If true, shows client version only (no server required)
    #[arg(long)]
    pub client: bool,
    #[command(flatten)]
    pub output: flags::OutputFlags,
}

/// The kubectl version kubesim imitates.
pub const CLIENT_VERSION: &str = "v1.33.1";

pub fn version(_ctx: &Ctx, a: VersionArgs, out: &mut Out) -> CliResult {
    // kubectl's version.Info, its fields in the struct's order (kubectl prints JSON in that
    // order, and YAML with the keys sorted). kubesim's own version stands in `gitCommit`.
    let info = |git_version: &str| -> Vec<(&'static str, String)> {
        vec![
            ("major", "1".into()),
            ("minor", "33".into()),
            ("gitVersion", git_version.into()),
            (
                "gitCommit",
                format!("kubesim-{}", env!("CARGO_PKG_VERSION")),
            ),
            ("gitTreeState", "clean".into()),
            ("buildDate", "2026-01-01T00:00:00Z".into()),
            ("goVersion", "n/a (kubesim)".into()),
            ("compiler", "rustc".into()),
            ("platform", "linux/amd64".into()),
        ]
    };
    let mut sections = vec![("clientVersion", info(CLIENT_VERSION))];
    if !a.client {
        sections.push(("serverVersion", info(KUBELET_VERSION)));
    }
    match a.output.as_deref() {
        None => {
            writeln!(out.out, "Client Version: {CLIENT_VERSION}")?;
            writeln!(out.out, "Kustomize Version: {KUSTOMIZE_VERSION}")?;
            if !a.client {
                writeln!(out.out, "Server Version: {KUBELET_VERSION}")?;
            }
        }
        Some("json") => {
            // json.MarshalIndent(v, "", "  "): clientVersion, kustomizeVersion, serverVersion.
            let q = |s: &str| serde_json::Value::from(s).to_string();
            let obj = |fields: &[(&str, String)]| {
                let lines: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("    {}: {}", q(k), q(v)))
                    .collect();
                format!("{{\n{}\n  }}", lines.join(",\n"))
            };
            let mut parts = vec![format!("  \"clientVersion\": {}", obj(&sections[0].1))];
            parts.push(format!("  \"kustomizeVersion\": {}", q(KUSTOMIZE_VERSION)));
            if let Some((_, server)) = sections.get(1) {
                parts.push(format!("  \"serverVersion\": {}", obj(server)));
            }
            writeln!(out.out, "{{\n{}\n}}", parts.join(",\n"))?;
        }
        Some("yaml") => {
            let mut v = serde_json::Map::new();
            for (name, fields) in &sections {
                let m: serde_json::Map<String, serde_json::Value> = fields
                    .iter()
                    .map(|(k, f)| (k.to_string(), serde_json::Value::from(f.as_str())))
                    .collect();
                v.insert(name.to_string(), m.into());
            }
            v.insert("kustomizeVersion".into(), KUSTOMIZE_VERSION.into());
            // sigs.k8s.io/yaml, then Println: a blank line after the document.
            writeln!(out.out, "{}", crate::print::yaml::to_yaml(&v.into()))?;
        }
        Some(_) => return Err(CliError::msg("--output must be 'yaml' or 'json'")),
    }
    Ok(())
}

/// The kustomize kubectl 1.33 carries.
const KUSTOMIZE_VERSION: &str = "v5.6.0";

/// `kubesim reset`.
#[derive(Args, Debug, Clone)]
pub struct ResetArgs {
    /// Amount of time to retain events (kube-apiserver's --event-ttl) in the new state
    #[arg(long, value_name = "DURATION", default_value = "1h0m0s")]
    pub event_ttl: String,
    /// Only the nodes, namespaces, the kubernetes Service and the StorageClass: none of kind's
    /// system pods (control plane, kindnet, kube-proxy, CoreDNS, local-path-provisioner)
    #[arg(long)]
    pub bare: bool,
}

/// Replaces whatever is in the state directory — even a state that does not load — with a
/// fresh default cluster.
pub fn reset(ctx: &Ctx, a: ResetArgs, out: &mut Out) -> CliResult {
    let ttl = match super::goflags::go_parse_duration(&a.event_ttl) {
        Ok(d) if d.is_positive() && d.subsec_nanos() == 0 => d.as_secs(),
        _ => {
            return Err(CliError::msg(format!(
                "invalid argument \"{}\" for \"--event-ttl\" flag: a positive whole number of seconds is expected",
                a.event_ttl
            )));
        }
    };
    let dir = ctx.state_dir();
    let shape = if a.bare {
        crate::cli::cluster::Shape::Bare
    } else {
        crate::cli::cluster::Shape::Kind
    };
    crate::cli::cluster::reset(&dir, ttl, shape)?;
    writeln!(
        out.out,
        "state at {} reset to a fresh {} cluster",
        dir.display(),
        if a.bare { "bare" } else { "default" }
    )?;
    Ok(())
}
