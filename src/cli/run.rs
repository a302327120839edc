//! `kubesim run NAME --image=IMAGE [-- COMMAND ARGS...]`: a Pod as kubectl's `run` builds it
//! (kubectl/pkg/cmd/run), with `--expose` for a ClusterIP Service in front of it. Attaching
//! (`-i`, `-t`, `--attach`, `--rm`) needs a container to talk to and is refused.

use super::create::{GenFlags, create_generated, print_result, strip_client_nulls};
use super::{CliError, CliResult, Ctx, Out};
use crate::util::fields::Fields;
use clap::Args;
use serde_json::{Map, Value, json};

#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// NAME, then the container's arguments (COMMAND with --command)
    #[arg(value_name = "NAME", allow_hyphen_values = false)]
    pub args: Vec<String>,
    /// Arguments after `--`
    #[arg(last = true, value_name = "ARGS")]
    pub rest: Vec<String>,
    /// The image for the container to run.
    #[arg(long, required = true)]
    pub image: String,
    /// Environment variables to set in the container.
    #[arg(long)]
    pub env: Vec<String>,
    /// The port that this container exposes.
    #[arg(long)]
    pub port: Option<String>,
    /// Comma separated labels to apply to the pod. Will override previous values.
    #[arg(short = 'l', long)]
    pub labels: Option<String>,
    /// Annotations to apply to the pod.
    #[arg(long)]
    pub annotations: Vec<String>,
    /// The restart policy for this Pod.  Legal values [Always, OnFailure, Never].
    #[arg(long, default_value = "Always")]
    pub restart: String,
    /// The image pull policy for the container.
    #[arg(long)]
    pub image_pull_policy: Option<String>,
    /// If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default.
    #[arg(long)]
    pub command: bool,
    /// If true, run the container in privileged mode.
    #[arg(long)]
    pub privileged: bool,
    /// If true, create a ClusterIP service associated with the pod.  Requires `--port`.
    #[arg(long)]
    pub expose: bool,
    /// Keep stdin open on the container in the pod, even if nothing is attached.
    #[arg(short = 'i', long)]
    pub stdin: bool,
    /// Allocate a TTY for the container in the pod.
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Wait for the Pod to start running, and then attach to it.
    #[arg(long)]
    pub attach: bool,
    /// Delete the pod after it exits (only with an attached container).
    #[arg(long)]
    pub rm: bool,
    /// An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.
    #[arg(long, allow_hyphen_values = true)]
    pub overrides: Option<String>,
    /// The method used to override the generated object: json, merge, or strategic.
    #[arg(long, default_value = "merge")]
    pub override_type: String,
    /// If true, the configuration of current object will be saved in its annotation
    #[arg(long)]
    pub save_config: bool,
    #[command(flatten)]
    pub flags: GenFlags,
    #[command(flatten)]
    pub record: super::goflags::RecordFlag,
}

/// kubectl's `Overrider.Apply`: `--overrides` patched onto the generated object.
fn apply_overrides(obj: &mut Value, overrides: &str, kind: &str) -> Result<(), CliError> {
    use crate::api::patch;
    if overrides.is_empty() {
        return Ok(());
    }
    let invalid = || CliError::msg("Invalid JSON Patch");
    match kind {
        "merge" => {
            let p: Value = serde_json::from_str(overrides).map_err(|_| invalid())?;
            patch::merge_patch(obj, &p);
        }
        "strategic" => {
            let p: Value = serde_json::from_str(overrides).map_err(|_| invalid())?;
            if !p.is_object() {
                return Err(invalid());
            }
            patch::strategic_merge_patch("Pod", obj, &p).map_err(|e| CliError::msg(e.0))?;
        }
        "json" => {
            let p: Value = serde_json::from_str(overrides).map_err(CliError::msg)?;
            patch::json_patch(obj, &p).map_err(|e| CliError::msg(e.message))?;
        }
        other => {
            return Err(CliError::msg(format!("invalid override type: {other}")));
        }
    }
    // The overridden JSON is decoded back into the typed object (`runtime.Decode`, not strict):
    // a type error is kubectl's, before anything reaches the server.
    match crate::api::decode::strict_decode(obj.clone()) {
        Err(crate::api::decode::DecodeError::Api(e)) => {
            let why = e
                .message
                .split_once(" cannot be handled as a ")
                .and_then(|(_, rest)| rest.split_once(": "))
                .map_or(e.message.as_str(), |(_, why)| why);
            Err(CliError::msg(why))
        }
        Err(e) => Err(CliError::msg(e)),
        Ok(_) => Ok(()),
    }
}

/// `parseLabels`: `a=b,c=d`.
fn parse_labels(s: &str) -> Result<Map<String, Value>, String> {
    let mut m = Map::new();
    if s.is_empty() {
        return Ok(m);
    }
    for spec in s.split(',') {
        let kv: Vec<&str> = spec.split('=').collect();
        if kv.len() != 2 {
            return Err(format!("unexpected label spec: {spec}"));
        }
        if kv[0].is_empty() {
            return Err("unexpected empty label key".into());
        }
        m.insert(kv[0].to_string(), json!(kv[1]));
    }
    Ok(m)
}

/// apimachinery's `IsEnvVarName`: `[-._a-zA-Z][-._a-zA-Z0-9]*`.
fn is_env_var_name(n: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    n.chars()
        .next()
        .is_some_and(|c| ok(c) && !c.is_ascii_digit())
        && n.chars().all(ok)
}

/// `parseEnvs`: `NAME=value`, in the order given.
fn parse_envs(envs: &[String]) -> Result<Vec<Value>, String> {
    envs.iter()
        .map(|e| match e.split_once('=') {
            Some((n, v)) if is_env_var_name(n) => Ok(json!({"name": n, "value": v})),
            _ => Err(format!("invalid env: {e}")),
        })
        .collect()
}

/// docker/distribution's reference grammar, as `kubectl run` checks `--image`: an optional
/// registry host (with port), lower-case path components joined by `.`, `_`, `__` or dashes,
/// an optional `:tag` and an optional `@algorithm:hex` digest.
fn valid_image_reference(image: &str) -> bool {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest {
        let Some((alg, hex)) = d.split_once(':') else {
            return false;
        };
        if alg.is_empty() || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return false;
        }
    }
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(t) = tag {
        let mut cs = t.chars();
        let first_ok = cs
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if !first_ok
            || t.len() > 128
            || !t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        {
            return false;
        }
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 1 {
        let first = parts[0];
        if first.contains('.') || first.contains(':') || first == "localhost" {
            let (host, port) = match first.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (first, None),
            };
            if host.is_empty()
                || !host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                || port.is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
            {
                return false;
            }
            parts.remove(0);
        }
    }
    let component = |c: &str| {
        let b = c.as_bytes();
        if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric()
        {
            return false;
        }
        let mut i = 0;
        while i < b.len() {
            let ch = b[i];
            if ch.is_ascii_lowercase() || ch.is_ascii_digit() {
                i += 1;
            } else if ch == b'.' || ch == b'_' || ch == b'-' {
                // A separator: `.`, `_`, `__` or any run of `-`, between alphanumerics.
                let start = i;
                while i < b.len() && (b[i] == b'.' || b[i] == b'_' || b[i] == b'-') {
                    i += 1;
                }
                let sep = &c[start..i];
                if !(sep == "." || sep == "_" || sep == "__" || sep.chars().all(|x| x == '-')) {
                    return false;
                }
            } else {
                return false;
            }
        }
        true
    };
    !parts.is_empty() && parts.iter().all(|p| component(p))
}

/// `--annotations k=v`, each.
fn annotations_of(pairs: &[String]) -> Result<Map<String, Value>, CliError> {
    pairs
        .iter()
        .map(|s| match s.split_once('=') {
            Some((k, v)) => Ok((k.to_string(), json!(v))),
            None => Err(CliError::msg(format!("invalid annotations format: {s}"))),
        })
        .collect()
}

/// `--restart`: `Always`, or `OnFailure` with `-i`, when not given.
fn restart_policy(a: &RunArgs) -> Result<&str, CliError> {
    Ok(match a.restart.as_str() {
        "" if a.stdin => "OnFailure",
        "" => "Always",
        r @ ("Always" | "OnFailure" | "Never") => r,
        r => {
            return Err(super::cobra::usage_error(
                "run",
                &format!("invalid restart policy: {r}"),
            ));
        }
    })
}

/// `--image-pull-policy`, when given.
fn pull_policy(p: Option<&str>) -> Result<Option<&str>, CliError> {
    Ok(match p {
        None | Some("") => None,
        Some(p @ ("Always" | "IfNotPresent" | "Never")) => Some(p),
        Some(p) => {
            return Err(super::cobra::usage_error(
                "run",
                &format!("invalid image pull policy: {p}"),
            ));
        }
    })
}

/// kubectl's checks of `--attach`/`-i`/`-t`/`--rm`; kubesim then refuses to attach at all.
fn check_attach(a: &RunArgs, attach: bool) -> CliResult {
    if !attach && a.rm {
        return Err(super::cobra::usage_error(
            "run",
            "--rm should only be used for attached containers",
        ));
    }
    if attach && a.flags.dry_run.as_deref().is_some_and(|d| d != "none") {
        return Err(super::cobra::usage_error(
            "run",
            "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)",
        ));
    }
    if attach {
        return Err(CliError::msg(
            "kubesim cannot attach to a container (the kubelet is simulated): run it without -i/-t/--attach/--rm, then look at it with get or describe",
        ));
    }
    Ok(())
}

pub fn run(ctx: &Ctx, a: RunArgs, out: &mut Out) -> CliResult {
    // Complete
    let annotations = annotations_of(&a.annotations)?;
    let labels = parse_labels(a.labels.as_deref().unwrap_or("")).map_err(CliError::msg)?;
    let envs = parse_envs(&a.env).map_err(CliError::msg)?;
    let restart = restart_policy(&a)?;
    let pull = pull_policy(a.image_pull_policy.as_deref())?;
    let attach = a.attach || a.stdin;
    // Validate
    let Some(name) = a.args.first().cloned() else {
        return Err(CliError::msg("NAME is required for run"));
    };
    if !valid_image_reference(&a.image) {
        return Err(CliError::msg(format!(
            "Invalid image name \"{}\": invalid reference format",
            a.image
        )));
    }
    if a.tty && !a.stdin {
        return Err(super::cobra::usage_error(
            "run",
            "-i/--stdin is required for containers with -t/--tty=true",
        ));
    }
    if a.expose && a.port.is_none() {
        return Err(super::cobra::usage_error(
            "run",
            "--port must be set when exposing a service",
        ));
    }
    let port: Option<i64> = a
        .port
        .as_deref()
        .map(|p| {
            p.parse().map_err(|_| {
                CliError::msg(format!(
                    "strconv.Atoi: parsing {}: invalid syntax",
                    crate::util::go_quote(p)
                ))
            })
        })
        .transpose()?;
    check_attach(&a, attach)?;
    // Run: the pod as createPod builds it.
    let arguments: Vec<String> = a.args[1..].iter().chain(&a.rest).cloned().collect();
    let pod_labels = if labels.is_empty() {
        let mut m = Map::new();
        m.insert("run".into(), json!(name));
        m
    } else {
        labels.clone()
    };
    let mut c = Map::new();
    c.insert("name".into(), json!(name));
    c.insert("image".into(), json!(a.image));
    if !arguments.is_empty() {
        let field = if a.command { "command" } else { "args" };
        c.insert(field.into(), json!(arguments));
    }
    if let Some(p) = port {
        c.insert("ports".into(), json!([{"containerPort": p}]));
    }
    if !envs.is_empty() {
        c.insert("env".into(), Value::Array(envs));
    }
    c.insert("resources".into(), json!({}));
    if let Some(p) = pull {
        c.insert("imagePullPolicy".into(), json!(p));
    }
    if a.privileged {
        c.insert("securityContext".into(), json!({"privileged": true}));
    }
    let mut meta = Map::new();
    meta.insert("creationTimestamp".into(), Value::Null);
    meta.insert("labels".into(), Value::Object(pod_labels.clone()));
    meta.insert("name".into(), json!(name));
    if !annotations.is_empty() {
        meta.insert("annotations".into(), Value::Object(annotations));
    }
    let mut pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {
            "containers": [c],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": restart,
        },
        "status": {},
    });
    apply_overrides(
        &mut pod,
        a.overrides.as_deref().unwrap_or(""),
        &a.override_type,
    )?;
    // kubectl records the change cause in every object it generates, dry run or not.
    let cause = a.record.cause();
    super::goflags::record(&mut pod, cause.as_deref());
    let pod_info = &crate::kinds::pod::KIND;
    let Some(port) = port.filter(|_| a.expose) else {
        return create_generated(ctx, out, pod_info, pod, &a.flags, a.save_config, None);
    };
    expose(ctx, a, out, pod, labels, pod_labels, port, cause.as_deref())
}

/// `--expose`: the pod and a ClusterIP Service selecting it, created in one command.
#[allow(clippy::too_many_arguments)]
fn expose(
    ctx: &Ctx,
    a: RunArgs,
    out: &mut Out,
    pod: Value,
    labels: Map<String, Value>,
    pod_labels: Map<String, Value>,
    port: i64,
    cause: Option<&str>,
) -> CliResult {
    let pod_info = &crate::kinds::pod::KIND;
    let name = crate::api::name_of(&pod).to_string();
    let mut smeta = Map::new();
    smeta.insert("creationTimestamp".into(), Value::Null);
    if !labels.is_empty() {
        smeta.insert("labels".into(), Value::Object(labels));
    }
    smeta.insert("name".into(), json!(name));
    let mut svc = json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": smeta,
        "spec": {
            "ports": [{"port": port, "protocol": "TCP", "targetPort": port}],
            "selector": pod_labels,
        },
        "status": {"loadBalancer": {}},
    });
    super::goflags::record(&mut svc, cause);
    let svc_info = &crate::kinds::service::KIND;
    let fmt = a.flags.output.format()?;
    let dry = a.flags.dry_run.mode()?;
    // kubectl creates and prints the Service first (generateService prints it; its YAML
    // printer's count leaves two `---` before the pod).
    let objs = [(svc_info, svc), (pod_info, pod)];
    let after = |out: &mut Out, info: &crate::api::kinds::KindInfo| -> CliResult {
        if std::ptr::eq(info, svc_info) && matches!(fmt, crate::print::output::Format::Yaml) {
            out.out.write_all(b"---\n---\n")?;
        }
        Ok(())
    };
    if dry == Some("client") {
        for (info, mut o) in objs {
            if let Some(ns) = &ctx.global.namespace {
                o.set("/metadata/namespace", json!(ns))?;
            }
            print_result(out, &fmt, info, &o, dry)?;
            after(out, info)?;
        }
        return Ok(());
    }
    let mut api = ctx.open_write()?;
    let ns = ctx.namespace()?;
    for (info, mut o) in objs {
        strip_client_nulls(&mut o);
        match api.create(info, &ns, o) {
            Ok(created) => {
                print_result(out, &fmt, info, &created, dry)?;
                after(out, info)?;
            }
            Err(e) => out.error(e),
        }
    }
    super::apply::print_warnings(&mut api, out);
    ctx.finish_unless_dry(api, dry)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references_follow_the_distribution_grammar() {
        for ok in [
            "nginx",
            "nginx:1.25",
            "library/nginx:1.25-alpine",
            "docker.io/library/nginx",
            "localhost:5000/app:v1",
            "registry.k8s.io/pause:3.10",
            "my_app__x/web-server---1",
            "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "Registry.Example.com/app",
        ] {
            assert!(valid_image_reference(ok), "{ok}");
        }
        for bad in [
            "",
            "Nginx",
            "nginx:",
            "nginx:-x",
            "nginx:a b",
            "-nginx",
            "nginx-",
            "a/B",
            "a//b",
            "a:1/b:c:d",
            "nginx@sha256:xyz",
            "a.__b",
        ] {
            assert!(!valid_image_reference(bad), "{bad}");
        }
    }

    #[test]
    fn labels_and_envs_parse_as_kubectl_run() {
        assert_eq!(
            parse_labels("a=b,c=d").unwrap(),
            json!({"a": "b", "c": "d"}).as_object().unwrap().clone()
        );
        assert_eq!(parse_labels("a").unwrap_err(), "unexpected label spec: a");
        assert_eq!(
            parse_labels("=b").unwrap_err(),
            "unexpected empty label key"
        );
        let envs = |v: &[&str]| parse_envs(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            envs(&["A=1", "B_C=x=y"]).unwrap(),
            [
                json!({"name": "A", "value": "1"}),
                json!({"name": "B_C", "value": "x=y"})
            ]
        );
        assert_eq!(envs(&["A"]).unwrap_err(), "invalid env: A");
        assert_eq!(envs(&["1A=x"]).unwrap_err(), "invalid env: 1A=x");
        assert_eq!(envs(&["=x"]).unwrap_err(), "invalid env: =x");
    }
}
