//! `kubesim set env` (staging/src/k8s.io/kubectl/pkg/cmd/set/set_env.go, env/env_parse.go):
//! `KEY=VAL` / `KEY-` arguments and `-e`, `--from` a ConfigMap or Secret, `--list`, on the
//! files' objects with `--local` or on the state's objects, through the shared set machinery.

use super::flags;
use super::set_more::{SetFlags, Verb, glob, pod_spec, run_set};
use super::{CliError, CliResult, Ctx, Out};
use crate::util::fields::Fields;
use clap::Args;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::io::{BufRead, Write};

#[derive(Args, Debug, Clone)]
#[command(mut_arg("filename", flags::usage("the resource to update the env")))]
#[command(mut_arg(
    "local",
    flags::usage("If true, set env will NOT contact api-server but run locally.")
))]
#[command(mut_arg(
    "all",
    flags::usage("If true, select all resources in the namespace of the specified resource types")
))]
pub struct SetEnvArgs {
    /// RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N
    #[arg(value_name = "ARGS", add = super::completion::resource_args())]
    pub args: Vec<String>,
    #[command(flatten)]
    pub set: SetFlags,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    /// The names of containers in the selected pod templates to change - may use wildcards
    #[arg(short = 'c', long, default_value = "*")]
    pub containers: String,
    /// The name of a resource from which to inject environment variables
    #[arg(long, default_value = "")]
    pub from: String,
    /// Prefix to append to variable names
    #[arg(long, default_value = "")]
    pub prefix: String,
    /// Specify a key-value pair for an environment variable to set into each container.
    #[arg(short = 'e', long, allow_hyphen_values = true)]
    pub env: Vec<String>,
    /// Comma-separated list of keys to import from specified resource
    #[arg(long, value_delimiter = ',')]
    pub keys: Vec<String>,
    /// If true, display the environment and any changes in the standard format. this flag will removed when we have kubectl view env.
    #[arg(long)]
    pub list: bool,
    /// If true, show secret or configmap references when listing variables
    #[arg(long)]
    pub resolve: bool,
    /// If true, allow environment to be overwritten, otherwise reject updates that overwrite existing environment.
    #[arg(long, default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub overwrite: bool,
}

/// `IsEnvironmentArgument` (`(?ms)^(.+)\=(.*)$`) or the `KEY-` removal form.
fn is_env_arg(s: &str) -> bool {
    s.rfind('=').is_some_and(|i| i > 0) || s.ends_with('-')
}

/// `SplitEnvironmentFromResources`: resources first, then the environment arguments.
fn split_env(args: &[String]) -> Option<(Vec<String>, Vec<String>)> {
    let pos = args
        .iter()
        .position(|s| is_env_arg(s))
        .unwrap_or(args.len());
    let (res, env) = args.split_at(pos);
    env.iter()
        .all(|s| is_env_arg(s))
        .then(|| (res.to_vec(), env.to_vec()))
}

/// `validation.IsEnvVarName`'s errors.
fn env_name_errors(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let ok = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        errs.push("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')".to_string());
    }
    if name == "." || name == ".." || name.starts_with("..") {
        errs.push(if name == "." || name == ".." {
            format!("must not be '{name}'")
        } else {
            "must not start with '..'".to_string()
        });
    }
    errs
}

/// `ReadEnv`: `KEY=VAL` lines, `#` comments cut.
fn read_env(r: impl BufRead) -> Vec<Value> {
    r.lines()
        .map_while(Result::ok)
        .filter_map(|line| {
            let line = line.split('#').next().unwrap_or("").to_string();
            let (k, v) = line.split_once('=')?;
            Some(json!({"name": k, "value": v}))
        })
        .collect()
}

/// `ParseEnv`: the variables to set and the names to remove.
fn parse_env(spec: &[String]) -> Result<(Vec<Value>, Vec<String>), CliError> {
    let (mut env, mut remove, mut exists) = (Vec::new(), Vec::new(), Vec::new());
    for s in spec {
        if s == "-" {
            env.extend(read_env(std::io::stdin().lock()));
        } else if let Some((k, v)) = s.split_once('=') {
            let errs = env_name_errors(k);
            if !errs.is_empty() {
                return Err(CliError::msg(format!(
                    "{k:?} is not a valid key name: {}",
                    errs.join(";")
                )));
            }
            exists.push(k.to_string());
            env.push(json!({"name": k, "value": v}));
        } else if let Some(k) = s.strip_suffix('-') {
            remove.push(k.to_string());
        } else {
            return Err(CliError::msg(format!("unknown environment variable: {s}")));
        }
    }
    if remove.iter().any(|r| exists.contains(r)) {
        return Err(CliError::msg(
            "can not both modify and remove the same environment variable in the same command",
        ));
    }
    Ok((env, remove))
}

fn env_name(e: &Value) -> &str {
    e.get("name").and_then(Value::as_str).unwrap_or("")
}

/// `updateEnv`: removals dropped, existing names replaced in place, new ones appended.
fn update_env(existing: &[Value], env: &[Value], remove: &[String]) -> Vec<Value> {
    let mut covered: Vec<String> = remove.to_vec();
    let mut out = Vec::new();
    for e in existing {
        let name = env_name(e);
        if covered.iter().any(|c| c == name) {
            continue;
        }
        match env.iter().find(|n| env_name(n) == name) {
            Some(newer) => {
                covered.push(name.to_string());
                out.push(newer.clone());
            }
            None => out.push(e.clone()),
        }
    }
    for e in env {
        if !covered.iter().any(|c| c == env_name(e)) {
            covered.push(env_name(e).to_string());
            out.push(e.clone());
        }
    }
    out
}

/// `keyToEnvName`: characters outside `[a-zA-Z0-9_]` become `_`, upper-cased.
fn key_to_env_name(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// `GetEnvVarRefString`.
fn ref_string(from: &Value) -> String {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    if let Some(r) = from.get("configMapKeyRef") {
        format!("configmap {}, key {}", s(r, "name"), s(r, "key"))
    } else if let Some(r) = from.get("secretKeyRef") {
        format!("secret {}, key {}", s(r, "name"), s(r, "key"))
    } else if let Some(r) = from.get("fieldRef") {
        format!("field path {}", s(r, "fieldPath"))
    } else if let Some(r) = from.get("resourceFieldRef") {
        let c = s(r, "containerName");
        let prefix = if c.is_empty() { c } else { format!("{c}/") };
        format!("resource field {prefix}{}", s(r, "resource"))
    } else {
        "invalid valueFrom".to_string()
    }
}

/// The variables `--from` names: each key of the ConfigMap's or Secret's data (in `--keys`
/// when given) as a reference.
fn from_env(objects: &[Value], keys: &[String]) -> Result<Vec<Value>, CliError> {
    let mut env = Vec::new();
    for obj in objects {
        let reference = match obj.get("kind").and_then(Value::as_str) {
            Some("Secret") => "secretKeyRef",
            Some("ConfigMap") => "configMapKeyRef",
            _ => return Err(CliError::msg("unsupported resource specified in --from")),
        };
        let name = obj.pointer("/metadata/name").cloned().unwrap_or(json!(""));
        let Some(data) = obj.get("data").and_then(Value::as_object) else {
            continue;
        };
        let mut names: Vec<&String> = data.keys().collect();
        names.sort();
        for key in names {
            if keys.is_empty() || keys.contains(key) {
                env.push(json!({
                    "name": key_to_env_name(key),
                    "valueFrom": {reference: {"key": key, "name": name}},
                }));
            }
        }
    }
    Ok(env)
}

/// The objects `--from` reads: the state's (`configmap/NAME`, `secret/NAME`), or with
/// `--local` the files' objects, as kubectl's local builder does.
fn from_objects(ctx: &Ctx, a: &SetEnvArgs) -> Result<Vec<Value>, CliError> {
    if a.set.local {
        return Ok(a.set.files.load()?.into_iter().map(|m| m.object).collect());
    }
    let selector = super::resources::label_selector(a.selector.as_deref())?;
    let mut api = ctx.open_read()?;
    let args = [a.from.clone()];
    let sel = super::resources::Selection {
        args: &args,
        filename: &a.set.files.filename,
        recursive: a.set.files.recursive,
        selector: selector.as_ref(),
        fields: None,
        all: a.set.all,
        all_namespaces: false,
        verb: "patching",
    };
    let mut objects = Vec::new();
    for t in super::resources::select(ctx, &mut api, &sel)? {
        objects.push(api.get(t.info, &t.namespace, &t.name)?);
    }
    Ok(objects)
}

/// The namespace's ConfigMaps and Secrets `--resolve` reads (kubectl's `ResourceStore`).
struct Store {
    objects: Vec<Value>,
}

impl Store {
    fn load(ctx: &Ctx) -> Result<Store, CliError> {
        let namespace = ctx.namespace()?;
        let mut api = ctx.open_read()?;
        let mut objects = Vec::new();
        for info in [&crate::kinds::configmap::KIND, &crate::kinds::secret::KIND] {
            objects.extend(api.list(info, Some(&namespace))?);
        }
        Ok(Store { objects })
    }

    /// A key of a ConfigMap's or Secret's data, or the client's error.
    fn key(&self, kind: &str, sel: &Value) -> Result<String, String> {
        use base64::Engine;
        let s = |k: &str| sel.get(k).and_then(Value::as_str).unwrap_or("");
        let (name, key) = (s("name"), s("key"));
        let obj = self
            .objects
            .iter()
            .find(|o| {
                o.get("kind").and_then(Value::as_str) == Some(kind)
                    && o.pointer("/metadata/name").and_then(Value::as_str) == Some(name)
            })
            .ok_or_else(|| {
                let plural = if kind == "Secret" {
                    "secrets"
                } else {
                    "configmaps"
                };
                format!("{plural} {name:?} not found")
            })?;
        let data = obj.pointer(&format!(
            "/data/{}",
            key.replace('~', "~0").replace('/', "~1")
        ));
        match (kind, data.and_then(Value::as_str)) {
            ("Secret", Some(v)) => Ok(base64::engine::general_purpose::STANDARD
                .decode(v)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()),
            (_, Some(v)) => Ok(v.to_string()),
            ("Secret", None) => Err(format!("key {key} not found in secret {name}")),
            _ => Err(format!("key {key} not found in config map {name}")),
        }
    }
}

/// `extractFieldPathAsString` for the paths kubesim resolves.
fn field_path(obj: &Value, path: &str) -> Result<String, String> {
    let meta = |k: &str| {
        obj.pointer(&format!("/metadata/{k}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    if let Some((p, sub)) = path
        .strip_suffix("']")
        .and_then(|s| s.split_once("['"))
        .filter(|(p, _)| !p.is_empty())
    {
        return match p {
            "metadata.annotations" | "metadata.labels" => Ok(obj
                .pointer(&format!("/{}", p.replace('.', "/")))
                .and_then(|m| m.get(sub))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()),
            _ => Err(format!("fieldPath {path:?} does not support subscript")),
        };
    }
    match path {
        "metadata.name" => Ok(meta("name")),
        "metadata.namespace" => Ok(meta("namespace")),
        "metadata.uid" => Ok(meta("uid")),
        "metadata.annotations" | "metadata.labels" => {
            let m = obj.pointer(&format!("/{}", path.replace('.', "/")));
            let mut lines: Vec<String> = m
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}={:?}", v.as_str().unwrap_or("")))
                        .collect()
                })
                .unwrap_or_default();
            lines.sort();
            Ok(lines.join("\n"))
        }
        _ => Err(format!("unsupported fieldPath: {path}")),
    }
}

/// `GetEnvVarRefValue`; `None` for a resource field, which kubesim lists unresolved.
fn resolve(store: &Store, obj: &Value, from: &Value) -> Option<Result<String, String>> {
    if let Some(sel) = from.get("secretKeyRef") {
        Some(store.key("Secret", sel))
    } else if let Some(sel) = from.get("configMapKeyRef") {
        Some(store.key("ConfigMap", sel))
    } else if let Some(f) = from.get("fieldRef") {
        let path = f.get("fieldPath").and_then(Value::as_str).unwrap_or("");
        Some(field_path(obj, path))
    } else if from.get("resourceFieldRef").is_some() {
        None
    } else {
        Some(Err("invalid valueFrom".to_string()))
    }
}

/// One container's `--list` lines (`KEY=VAL`, `# KEY from <reference>` when not resolved)
/// and its resolution errors (`error retrieving reference for A, B: <error>`, sorted).
fn list_env(header: &str, env: &[Value], store: Option<&Store>, obj: &Value) -> (String, String) {
    let mut l = header.to_string();
    let mut resolve_errors: Vec<(String, Vec<String>)> = Vec::new();
    for e in env {
        let Some(from) = e.get("valueFrom") else {
            let v = e.get("value").and_then(Value::as_str).unwrap_or("");
            l.push_str(&format!("{}={v}\n", env_name(e)));
            continue;
        };
        match store.and_then(|st| resolve(st, obj, from)) {
            Some(Ok(v)) => l.push_str(&format!("{}={v}\n", env_name(e))),
            other => {
                l.push_str(&format!("# {} from {}\n", env_name(e), ref_string(from)));
                if let Some(Err(err)) = other {
                    match resolve_errors.iter_mut().find(|(k, _)| *k == err) {
                        Some((_, vars)) => vars.push(env_name(e).to_string()),
                        None => resolve_errors.push((err, vec![env_name(e).to_string()])),
                    }
                }
            }
        }
    }
    let mut errs: Vec<String> = resolve_errors
        .iter_mut()
        .map(|(err, vars)| {
            vars.sort();
            format!(
                "error retrieving reference for {}: {err}\n",
                vars.join(", ")
            )
        })
        .collect();
    errs.sort();
    (l, errs.concat())
}

pub fn set_env(ctx: &Ctx, a: SetEnvArgs, out: &mut Out) -> CliResult {
    if a.set.all && a.selector.selector.is_some() {
        return Err(CliError::msg(
            "cannot set --all and --selector at the same time",
        ));
    }
    let (res_args, env_args) = split_env(&a.args).ok_or_else(|| {
        CliError::msg(format!(
            "all resources must be specified before environment changes: {}",
            a.args.join(" ")
        ))
    })?;
    let dry = a.set.dry_run.mode()?;
    if a.set.local && dry == Some("server") {
        return Err(CliError::msg(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
        ));
    }
    if a.set.files.is_empty() && res_args.is_empty() {
        return Err(CliError::msg(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    if a.list && a.set.output.output.is_some() {
        return Err(CliError::msg(
            "--list and --output may not be specified together",
        ));
    }
    if !a.keys.is_empty() && a.from.is_empty() {
        return Err(CliError::msg(
            "when specifying --keys, a configmap or secret must be provided with --from",
        ));
    }
    let spec: Vec<String> = a.env.iter().chain(&env_args).cloned().collect();
    let (mut env, remove) = parse_env(&spec)?;
    if !a.from.is_empty() {
        env.extend(from_env(&from_objects(ctx, &a)?, &a.keys)?);
    }
    for e in env.iter_mut() {
        let name = format!("{}{}", a.prefix, env_name(e));
        e.set("/name", json!(name)).map_err(CliError::msg)?;
    }
    let store = match a.list && a.resolve && !a.set.local {
        true => Some(Store::load(ctx)?),
        false => None,
    };
    let listing = RefCell::new(String::new());
    let warnings = RefCell::new(String::new());
    let change = |obj: &mut Value| -> Result<bool, String> {
        let before = obj.clone();
        let kind = obj
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let whole = obj.clone();
        let spec = pod_spec(obj)?;
        let mut found = false;
        for field in ["containers", "initContainers"] {
            let Some(cs) = spec.get_mut(field).and_then(Value::as_array_mut) else {
                continue;
            };
            for c in cs.iter_mut().filter(|c| glob(&a.containers, env_name(c))) {
                found = true;
                let existing = c
                    .get("env")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if !a.overwrite {
                    for e in &env {
                        if let Some(cur) = existing.iter().find(|x| env_name(x) == env_name(e))
                            && cur.get("value") != e.get("value")
                        {
                            let v = |x: &Value| {
                                x.get("value")
                                    .and_then(Value::as_str)
                                    .unwrap_or("")
                                    .to_string()
                            };
                            return Err(format!(
                                "'{}' already has a value ({}), and --overwrite is false",
                                env_name(cur),
                                v(cur)
                            ));
                        }
                    }
                }
                let updated = update_env(&existing, &env, &remove);
                if updated.is_empty() {
                    if let Some(m) = c.as_object_mut() {
                        m.remove("env");
                    }
                } else {
                    c.set("/env", Value::Array(updated.clone()))
                        .map_err(|e| e.to_string())?;
                }
                if a.list {
                    let header = format!("# {kind} {name}, container {}\n", env_name(c));
                    let (l, errs) = list_env(&header, &updated, store.as_ref(), &whole);
                    listing.borrow_mut().push_str(&l);
                    warnings.borrow_mut().push_str(&errs);
                }
            }
        }
        if !found {
            warnings.borrow_mut().push_str(&format!(
                "Warning: {kind}/{name} does not have any containers matching {:?}\n",
                a.containers
            ));
            return Ok(false);
        }
        Ok(!a.list && *obj != before)
    };
    let list_change =
        |obj: &mut Value| -> Result<bool, String> { Ok(change(obj).unwrap_or(false)) };
    let verb = Verb {
        done: "env updated",
        failed: "failed to patch env update to pod template: ",
        change: if a.list { &list_change } else { &change },
        cause: None,
        local_ignores_args: true,
    };
    let result = run_set(
        ctx,
        &a.set,
        &res_args,
        a.selector.selector.as_deref(),
        verb,
        out,
    );
    out.err.write_all(warnings.borrow().as_bytes())?;
    out.out.write_all(listing.borrow().as_bytes())?;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_resources_from_env() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            split_env(&s(&["deploy/a", "A=1", "B-"])),
            Some((s(&["deploy/a"]), s(&["A=1", "B-"])))
        );
        assert_eq!(split_env(&s(&["A=1", "deploy/a"])), None);
        assert!(!is_env_arg("=1"));
    }

    #[test]
    fn update_env_replaces_in_place_and_appends() {
        let e = |n: &str, v: &str| json!({"name": n, "value": v});
        let got = update_env(
            &[e("A", "1"), e("B", "2"), e("C", "3")],
            &[e("C", "9"), e("D", "4")],
            &["A".to_string()],
        );
        assert_eq!(got, vec![e("B", "2"), e("C", "9"), e("D", "4")]);
        assert_eq!(key_to_env_name("my-key.x"), "MY_KEY_X");
    }

    #[test]
    fn parse_env_errors() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(parse_env(&s(&["A=1", "A-"])).is_err());
        let e = parse_env(&s(&["1A=1"])).unwrap_err();
        assert!(e.text.contains("\"1A\" is not a valid key name"));
    }
}
