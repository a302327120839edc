//! `kubesim create -f` and kubectl's generators: `create configmap|secret generic|deployment|
//! job|cronjob|namespace|quota`, with `--dry-run=client -o yaml|json` printing what kubectl prints.

use super::apply::{create_from_files, dry_suffix, print_warnings};
use super::flags;
use super::{CliError, CliResult, Ctx, Out};
use crate::api::kinds::KindInfo;
use crate::api::name_of;
use crate::print::output::{Format, name_form, print_structured};
use crate::util::fields::Fields;
use base64::Engine;
use clap::{Args, Subcommand};
use serde_json::{Map, Value, json};
use std::io::Write;

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::usage("Filename, directory, or URL to files to use to create the resource")
))]
#[command(mut_arg("output", flags::usage("Output format: json|yaml|name")))]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct CreateArgs {
    #[command(subcommand)]
    pub what: Option<Generator>,
    #[command(flatten)]
    pub files: flags::FilenameFlags,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    #[command(flatten)]
    pub dry_run: flags::DryRunFlags,
    /// If true, the configuration of current object will be saved in its annotation
    #[arg(long)]
    pub save_config: bool,
    /// Edit the API resource before creating
    #[arg(long)]
    pub edit: bool,
    /// Only relevant if --edit=true. Defaults to the line ending native to your platform.
    #[arg(long)]
    pub windows_line_endings: bool,
    #[command(flatten)]
    pub validate: flags::ValidateFlags,
    #[command(flatten)]
    pub record: super::goflags::RecordFlag,
    #[command(flatten)]
    pub managed: super::goflags::ManagedFieldsFlags,
}

/// Flags all generators share.
#[derive(Args, Debug, Clone)]
#[command(mut_arg("output", flags::usage("Output format: json|yaml|name")))]
pub struct GenFlags {
    #[command(flatten)]
    pub output: flags::OutputFlags,
    #[command(flatten)]
    pub dry_run: flags::DryRunFlags,
    #[command(flatten)]
    pub managed: super::goflags::ManagedFieldsFlags,
}

/// Flags of the `create` generators: [`GenFlags`] and the two only they (and `run`) have.
#[derive(Args, Debug, Clone)]
pub struct CreateFlags {
    #[command(flatten)]
    pub common: GenFlags,
    /// If true, the configuration of current object will be saved in its annotation
    #[arg(long)]
    pub save_config: bool,
    #[command(flatten)]
    pub validate: flags::ValidateFlags,
}

/// Data sources of configmaps and secrets.
#[derive(Args, Debug, Clone)]
pub struct DataSources {
    /// Specify a key and literal value to insert (i.e. mykey=somevalue)
    #[arg(long)]
    pub from_literal: Vec<String>,
    /// Key files can be specified using their file path, or key=path; a directory adds every file in it
    #[arg(long)]
    pub from_file: Vec<String>,
    /// Specify the path to a file to read lines of key=val pairs
    #[arg(long)]
    pub from_env_file: Vec<String>,
}

#[derive(Subcommand, Debug, Clone)]
pub enum Generator {
    /// Create a config map from a local file, directory or literal value
    #[command(visible_alias = "cm")]
    Configmap {
        name: String,
        #[command(flatten)]
        data: DataSources,
        /// Append a hash of the configmap to its name.
        #[arg(long)]
        append_hash: bool,
        #[command(flatten)]
        flags: CreateFlags,
    },
    /// Create a secret using a specified subcommand
    Secret {
        #[command(subcommand)]
        kind: SecretKind,
    },
    /// Create a deployment with the specified name
    #[command(visible_alias = "deploy")]
    Deployment {
        name: String,
        /// Image names to run
        #[arg(long, required = true)]
        image: Vec<String>,
        /// Number of replicas to create
        #[arg(short = 'r', long, default_value_t = 1)]
        replicas: i32,
        /// The containerPort that this deployment exposes
        #[arg(long, default_value_t = -1)]
        port: i32,
        #[command(flatten)]
        flags: CreateFlags,
        /// A command to run in the container
        #[arg(last = true)]
        command: Vec<String>,
    },
    /// Create a job with the specified name
    Job {
        name: String,
        /// Image name to run
        #[arg(long)]
        image: Option<String>,
        /// The name of the resource to create a Job from (only cronjob is supported)
        #[arg(long)]
        from: Option<String>,
        #[command(flatten)]
        flags: CreateFlags,
        /// A command to run in the container
        #[arg(last = true)]
        command: Vec<String>,
    },
    /// Create a cron job with the specified name
    #[command(visible_alias = "cj")]
    Cronjob {
        name: String,
        /// Image name to run
        #[arg(long, required = true)]
        image: String,
        /// A schedule in the Cron format the job should be run with
        #[arg(long, required = true)]
        schedule: String,
        /// job's restart policy. supported values: OnFailure, Never
        #[arg(long)]
        restart: Option<String>,
        #[command(flatten)]
        flags: CreateFlags,
        /// A command to run in the container
        #[arg(last = true)]
        command: Vec<String>,
    },
    /// Create a service using a specified subcommand
    #[command(visible_alias = "svc")]
    Service {
        #[command(subcommand)]
        kind: super::create_service::ServiceKind,
    },
    #[command(flatten)]
    More(super::generators::More),
    /// Create a quota with the specified name
    #[command(visible_alias = "resourcequota")]
    Quota {
        names: Vec<String>,
        /// A comma-delimited set of resource=quantity pairs that define a hard limit.
        #[arg(long, default_value = "")]
        hard: String,
        /// A comma-delimited set of quota scopes that must all match each object tracked by the quota.
        #[arg(long, default_value = "")]
        scopes: String,
        #[command(flatten)]
        flags: CreateFlags,
    },
    /// Request a service account token
    Token(super::create_token::TokenArgs),
    /// Create a namespace with the specified name
    #[command(visible_alias = "ns")]
    Namespace {
        name: String,
        #[command(flatten)]
        flags: CreateFlags,
    },
}

#[derive(Subcommand, Debug, Clone)]
pub enum SecretKind {
    #[command(flatten)]
    More(super::generators::SecretMore),
    /// Create a secret from a local file, directory, or literal value
    Generic {
        name: String,
        /// The type of secret to create
        #[arg(long = "type")]
        type_: Option<String>,
        #[command(flatten)]
        data: DataSources,
        /// Append a hash of the secret to its name.
        #[arg(long)]
        append_hash: bool,
        #[command(flatten)]
        flags: CreateFlags,
    },
}

pub fn run(ctx: &Ctx, a: CreateArgs, out: &mut Out) -> CliResult {
    match a.what {
        None => {
            if a.files.filename.is_empty() {
                return Err(CliError::raw("error: must specify one of -f and -k"));
            }
            let fmt = a.output.format()?;
            let dry = a.dry_run.mode()?;
            let validation = a.validate.mode()?;
            if a.edit {
                return create_edited(ctx, &a, &fmt, validation, out);
            }
            create_from_files(
                ctx,
                &a.files.filename,
                a.files.recursive,
                &fmt,
                dry,
                a.save_config,
                validation,
                a.record.cause().as_deref(),
                out,
            )
        }
        Some(g) => run_generator(ctx, g, out),
    }
}

/// `create --edit -f FILE`: the files' objects (their namespace set), each edited, then created.
fn create_edited(
    ctx: &Ctx,
    a: &CreateArgs,
    fmt: &Format,
    validation: flags::Validation,
    out: &mut Out,
) -> CliResult {
    let manifests = super::resources::load_with(
        &a.files.filename,
        a.files.recursive,
        validation != flags::Validation::Ignore,
    )?;
    let mut objects = Vec::new();
    for m in &manifests {
        objects.push(super::apply::client_dry_object(
            m, ctx, validation, "creating",
        )?);
    }
    let session = super::edit::Session {
        json: a.output.as_deref() == Some("json"),
        windows_line_endings: a.windows_line_endings,
        validation,
    };
    super::edit::create_with_edit(
        ctx,
        objects,
        fmt,
        &session,
        a.save_config,
        a.record.cause().as_deref(),
        out,
    )
}

/// The container name kubectl derives from an image (`docker.io/library/nginx:1.25` → `nginx`).
pub fn container_name(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let last = last.split('@').next().unwrap_or(last);
    last.split(':').next().unwrap_or(last).to_string()
}

/// What a generator builds: the kind, the object, its flags, and the prefix kubectl puts
/// before a failure to create it.
pub(crate) type Generated = (&'static KindInfo, Value, CreateFlags, Option<&'static str>);

fn run_generator(ctx: &Ctx, g: Generator, out: &mut Out) -> CliResult {
    let (info, obj, flags, wrap) = match g {
        Generator::Token(t) => return super::create_token::run(ctx, t, out),
        Generator::More(m) => super::generators::generate(ctx, m, out)?,
        Generator::Secret {
            kind: SecretKind::More(m),
        } => super::generators::generate_secret(m)?,
        g => generate(ctx, g)?,
    };
    flags.validate.mode()?;
    create_generated(ctx, out, info, obj, &flags.common, flags.save_config, wrap)
}

/// The object a `create <generator>` builds from its arguments.
// Long because: one arm per generator, each building its object in a few lines; read as a
// table, it is clearer whole than spread over a function per generator.
fn generate(ctx: &Ctx, g: Generator) -> Result<Generated, CliError> {
    Ok(match g {
        Generator::Configmap {
            name,
            data,
            append_hash,
            flags,
        } => {
            let d = collect_data(&data, "ConfigMap", &name)?;
            let mut obj = json!({"apiVersion": "v1", "kind": "ConfigMap",
                                  "metadata": {"creationTimestamp": null, "name": name}});
            let (text, binary): (Map<String, Value>, Map<String, Value>) = split_utf8(d);
            if !text.is_empty() {
                obj.set("/data", Value::Object(text))?;
            }
            if !binary.is_empty() {
                obj.set("/binaryData", Value::Object(binary))?;
            }
            if append_hash {
                super::generators::append_hash(&mut obj)?;
            }
            (
                &crate::kinds::configmap::KIND,
                obj,
                flags,
                Some("failed to create configmap: "),
            )
        }
        Generator::Secret {
            kind:
                SecretKind::Generic {
                    name,
                    type_,
                    data,
                    append_hash,
                    flags,
                },
        } => {
            let d = collect_data(&data, "Secret", &name)?;
            let mut obj = json!({"apiVersion": "v1", "kind": "Secret",
                                  "metadata": {"creationTimestamp": null, "name": name}});
            if !d.is_empty() {
                let mut m = Map::new();
                for (k, v) in d {
                    m.insert(
                        k,
                        json!(base64::engine::general_purpose::STANDARD.encode(v)),
                    );
                }
                obj.set("/data", Value::Object(m))?;
            }
            if let Some(t) = type_ {
                obj.set("/type", json!(t))?;
            }
            if append_hash {
                super::generators::append_hash(&mut obj)?;
            }
            (
                &crate::kinds::secret::KIND,
                obj,
                flags,
                Some("failed to create secret "),
            )
        }
        Generator::Deployment {
            name,
            image,
            replicas,
            port,
            flags,
            command,
        } => {
            if image.len() > 1 && !command.is_empty() {
                return Err(CliError::msg(
                    "cannot specify multiple --image options and command",
                ));
            }
            let mut containers = Vec::new();
            // pflag's string slice: `--image=` is no image at all.
            let image: Vec<&String> = image.iter().filter(|i| !i.is_empty()).collect();
            for (i, img) in image.iter().enumerate() {
                let mut c = json!({"image": img, "name": container_name(img), "resources": {}});
                if !command.is_empty() && i == 0 {
                    c.set("/command", json!(command))?;
                }
                if port >= 0 && i == 0 {
                    c.set("/ports", json!([{"containerPort": port}]))?;
                }
                containers.push(c);
            }
            let obj = json!({
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"creationTimestamp": null, "labels": {"app": name}, "name": name},
                "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}}, "strategy": {},
                         "template": {"metadata": {"creationTimestamp": null, "labels": {"app": name}},
                                      "spec": {"containers": containers}}},
                "status": {},
            });
            (
                &crate::kinds::deployment::KIND,
                obj,
                flags,
                Some("failed to create deployment: "),
            )
        }
        Generator::Job {
            name,
            image,
            from,
            flags,
            command,
        } => {
            let obj = match (image, from) {
                (Some(img), None) => {
                    let mut c = json!({"image": img, "name": name, "resources": {}});
                    if !command.is_empty() {
                        c.set("/command", json!(command))?;
                    }
                    json!({"apiVersion": "batch/v1", "kind": "Job",
                           "metadata": {"creationTimestamp": null, "name": name},
                           "spec": {"template": {"metadata": {"creationTimestamp": null},
                                                 "spec": {"containers": [c], "restartPolicy": "Never"}}},
                           "status": {}})
                }
                (None, Some(from)) => job_from_cronjob(ctx, &name, &from)?,
                (Some(_), Some(_)) => {
                    return Err(CliError::msg("either --image or --from must be specified"));
                }
                (None, None) => {
                    return Err(CliError::msg("either --image or --from must be specified"));
                }
            };
            (
                &crate::kinds::job::KIND,
                obj,
                flags,
                Some("failed to create job: "),
            )
        }
        Generator::Cronjob {
            name,
            image,
            schedule,
            restart,
            flags,
            command,
        } => {
            let restart = restart.unwrap_or_else(|| "OnFailure".to_string());
            // kubectl does not check the policy here (the server refuses `Always` for a Job).
            let mut c = json!({"image": image, "name": name, "resources": {}});
            if !command.is_empty() {
                c.set("/command", json!(command))?;
            }
            let obj = json!({"apiVersion": "batch/v1", "kind": "CronJob",
                             "metadata": {"creationTimestamp": null, "name": name},
                             "spec": {"jobTemplate": {"metadata": {"creationTimestamp": null, "name": name},
                                                      "spec": {"template": {"metadata": {"creationTimestamp": null},
                                                                            "spec": {"containers": [c], "restartPolicy": restart}}}},
                                      "schedule": schedule},
                             "status": {}});
            (
                &crate::kinds::cronjob::KIND,
                obj,
                flags,
                Some("failed to create cronjob: "),
            )
        }
        Generator::Service { kind } => {
            let (obj, flags, wrap) = super::create_service::generate(kind)?;
            (&crate::kinds::service::KIND, obj, flags, Some(wrap))
        }
        Generator::More(_)
        | Generator::Token(_)
        | Generator::Secret {
            kind: SecretKind::More(_),
        } => unreachable!("run_generator builds these"),
        Generator::Quota {
            names,
            hard,
            scopes,
            flags,
        } => (
            &crate::kinds::resourcequota::KIND,
            super::create_quota::quota_object(&names, &hard, &scopes)?,
            flags,
            Some("failed to create quota: "),
        ),
        Generator::Namespace { name, flags } => (
            &crate::kinds::namespace::KIND,
            json!({"apiVersion": "v1", "kind": "Namespace",
                   "metadata": {"creationTimestamp": null, "name": name}, "spec": {}, "status": {}}),
            flags,
            None,
        ),
    })
}

/// Creates an object a generator built (`create deployment`, `run`, ...) or, with
/// `--dry-run=client`, prints it as kubectl prints the typed object it built.
pub fn create_generated(
    ctx: &Ctx,
    out: &mut Out,
    info: &'static KindInfo,
    obj: Value,
    flags: &GenFlags,
    save_config: bool,
    wrap: Option<&str>,
) -> CliResult {
    let fmt = flags.output.format()?;
    let dry = flags.dry_run.mode()?;
    let mut obj = obj;
    if save_config {
        // kubectl's CreateOrUpdateAnnotation: the object it built, encoded as its typed
        // struct (Go field order, compact), without the annotation itself.
        let text = crate::print::output::json_compact_typed(&obj) + "\n";
        super::apply::set_annotation(&mut obj, super::apply::LAST_APPLIED, &text)?;
    }
    if dry == Some("client") {
        let mut o = obj;
        if info.namespaced
            && let Some(ns) = &ctx.global.namespace
        {
            o.set("/metadata/namespace", json!(ns))?;
        }
        return print_result(out, &fmt, info, &o, dry);
    }
    let mut api = ctx.open_write()?;
    let ns = ctx.namespace()?;
    strip_client_nulls(&mut obj);
    let created = api.create(info, &ns, obj).map_err(|e| match wrap {
        Some(w) => CliError::msg(format!("{w}{}", e.message)),
        None => CliError::from(e),
    })?;
    print_warnings(&mut api, out);
    print_result(out, &fmt, info, &created, dry)?;
    ctx.finish_unless_dry(api, dry)?;
    Ok(())
}

/// What `expose` and `autoscale` do with the object they built from another one, in an open
/// state: `--save-config`'s annotation, the create, its warnings, and the report with their
/// word (`exposed`, `autoscaled`; `(server dry run)` after it on a server dry run).
#[allow(clippy::too_many_arguments)]
pub fn create_built(
    api: &mut crate::api::Api,
    out: &mut Out,
    fmt: &Format,
    info: &'static KindInfo,
    ns: &str,
    mut obj: Value,
    save_config: bool,
    dry: Option<&str>,
    op: &str,
) -> CliResult {
    if save_config {
        let text = crate::print::output::json_compact_typed(&obj) + "\n";
        super::apply::set_annotation(&mut obj, super::apply::LAST_APPLIED, &text)?;
    }
    strip_client_nulls(&mut obj);
    let created = api.create(info, ns, obj)?;
    print_warnings(api, out);
    match fmt {
        Format::Table | Format::Wide => writeln!(
            out.out,
            "{} {op}{}",
            name_form(info, &created),
            dry_suffix(dry)
        )?,
        _ => super::apply::report(out, fmt, info, &created, op)?,
    }
    Ok(())
}

pub fn print_result(
    out: &mut Out,
    fmt: &Format,
    info: &'static KindInfo,
    obj: &Value,
    dry: Option<&str>,
) -> CliResult {
    print_result_as(out, fmt, info, obj, dry, "created")
}

/// [`print_result`] with kubectl's word for the operation (`created`, `exposed`).
pub fn print_result_as(
    out: &mut Out,
    fmt: &Format,
    info: &'static KindInfo,
    obj: &Value,
    dry: Option<&str>,
    op: &str,
) -> CliResult {
    match fmt {
        // kubectl prints the typed object it built: Go struct field order.
        Format::Json if dry == Some("client") => {
            out.out
                .write_all(crate::print::output::json_text_typed(obj).as_bytes())?;
        }
        Format::GoTemplate {
            text,
            allow_missing,
        } if dry == Some("client") => {
            let text = crate::print::output::run_go_template(text, *allow_missing, obj, || {
                crate::print::output::json_compact_typed(obj)
            })?;
            out.out.write_all(text.as_bytes())?;
        }
        Format::Table | Format::Wide => {
            writeln!(out.out, "{} {op}{}", name_form(info, obj), dry_suffix(dry))?;
        }
        f => out
            .out
            .write_all(print_structured(f, &[(info, obj.clone())], true)?.as_bytes())?,
    }
    Ok(())
}

/// The generators' `creationTimestamp: null` / `status: {}` are client artefacts; the
/// server never stores them.
pub fn strip_client_nulls(v: &mut Value) {
    if let Value::Object(m) = v {
        m.retain(|_, x| !x.is_null());
        if m.get("status")
            .is_some_and(|s| s.as_object().is_some_and(Map::is_empty))
        {
            m.remove("status");
        }
        for x in m.values_mut() {
            strip_client_nulls(x);
        }
    } else if let Value::Array(a) = v {
        for x in a {
            strip_client_nulls(x);
        }
    }
}

fn job_from_cronjob(ctx: &Ctx, name: &str, from: &str) -> Result<Value, CliError> {
    let (t, n) = from.split_once('/').ok_or_else(|| {
        CliError::msg(format!(
            "from must be of the form <resource>/<name>, was {from}"
        ))
    })?;
    let info = crate::api::kinds::resolve(t)
        .ok_or_else(|| CliError::msg(format!("the server doesn't have a resource type \"{t}\"")))?;
    if info != &crate::kinds::cronjob::KIND {
        return Err(CliError::msg(format!("unknown object type {}", info.kind)));
    }
    let mut api = ctx.open_read()?;
    let cj = api.get(info, &ctx.namespace()?, n)?;
    let mut annotations = cj
        .pointer("/spec/jobTemplate/metadata/annotations")
        .cloned()
        .unwrap_or(json!({}));
    annotations.set("/cronjob.kubernetes.io~1instantiate", json!("manual"))?;
    let labels = cj.pointer("/spec/jobTemplate/metadata/labels").cloned();
    let mut md = json!({
        "annotations": annotations,
        "creationTimestamp": null,
        "name": name,
        "ownerReferences": [{
            "apiVersion": "batch/v1", "kind": "CronJob", "name": name_of(&cj),
            "uid": cj.pointer("/metadata/uid").cloned().unwrap_or(json!("")),
            "controller": true,
        }],
    });
    if let Some(l) = labels {
        md.set("/labels", l)?;
    }
    Ok(
        json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": md,
              "spec": cj.pointer("/spec/jobTemplate/spec").cloned().unwrap_or(json!({})),
              "status": {}}),
    )
}

/// Gathers `--from-literal`, `--from-file` and `--from-env-file` data as kubectl does,
/// with its errors.
pub(crate) fn collect_data(
    d: &DataSources,
    kind: &str,
    name: &str,
) -> Result<Vec<(String, Vec<u8>)>, CliError> {
    if !d.from_env_file.is_empty() && (!d.from_file.is_empty() || !d.from_literal.is_empty()) {
        return Err(CliError::msg(
            "from-env-file cannot be combined with from-file or from-literal",
        ));
    }
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    // kubectl's checks of each key, in its words (which differ between the two kinds).
    let mut add = |k: String, v: Vec<u8>| -> Result<(), CliError> {
        let errs = crate::kinds::validation::is_config_map_key(&k);
        if !errs.is_empty() {
            return Err(CliError::msg(match kind {
                "Secret" => format!(
                    "{k:?} is not valid key name for a Secret {}",
                    errs.join(",")
                ),
                _ => format!(
                    "{k:?} is not a valid key name for a {kind}: {}",
                    errs.join(",")
                ),
            }));
        }
        if out.iter().any(|(x, _)| *x == k) {
            return Err(CliError::msg(match kind {
                "Secret" => {
                    format!("cannot add key {k}, another key by that name already exists")
                }
                _ => format!(
                    "cannot add key \"{k}\", another key by that name already exists in Data for {kind} \"{name}\""
                ),
            }));
        }
        out.push((k, v));
        Ok(())
    };
    for lit in &d.from_literal {
        let (k, v) = lit
            .split_once('=')
            .filter(|(k, _)| !k.is_empty())
            .ok_or_else(|| {
                CliError::msg(format!("invalid literal source {lit}, expected key=value"))
            })?;
        add(k.to_string(), v.as_bytes().to_vec())?;
    }
    for f in &d.from_file {
        let (key, path) = match f.split_once('=') {
            Some((k, p)) => (Some(k.to_string()), p.to_string()),
            None => (None, f.clone()),
        };
        let p = std::path::Path::new(&path);
        if p.is_dir() {
            if key.is_some() {
                return Err(CliError::msg("cannot give a key name for a directory path"));
            }
            let mut entries: Vec<_> = std::fs::read_dir(p)?.flatten().map(|e| e.path()).collect();
            entries.sort();
            for e in entries.into_iter().filter(|e| e.is_file()) {
                let k = e
                    .file_name()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default();
                add(k, super::read_file_limited(&e)?)?;
            }
        } else {
            let bytes = super::read_file_limited(p).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => {
                    CliError::msg(format!("error reading {path}: no such file or directory"))
                }
                _ => CliError::msg(format!("error reading {path}: {e}")),
            })?;
            let k = key.unwrap_or_else(|| {
                p.file_name()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default()
            });
            add(k, bytes)?;
        }
    }
    for f in &d.from_env_file {
        let text = super::read_file_limited(std::path::Path::new(f))
            .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other))
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => {
                    CliError::msg(format!("error reading {f}: no such file or directory"))
                }
                _ => CliError::msg(format!("error reading {f}: {e}")),
            })?;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, v) = match line.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (line.to_string(), std::env::var(line).unwrap_or_default()),
            };
            if k.is_empty() {
                return Err(CliError::msg(format!(
                    "{f}: line {}: invalid env: {line}",
                    i + 1
                )));
            }
            let errs = crate::kinds::validation::is_env_var_name(&k);
            if !errs.is_empty() {
                return Err(CliError::msg(format!(
                    "{k:?} is not a valid key name: {}",
                    errs.join(";")
                )));
            }
            // Later lines win within one env file.
            out.retain(|(x, _)| *x != k);
            out.push((k, v.into_bytes()));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn split_utf8(d: Vec<(String, Vec<u8>)>) -> (Map<String, Value>, Map<String, Value>) {
    let mut text = Map::new();
    let mut bin = Map::new();
    for (k, v) in d {
        match String::from_utf8(v) {
            Ok(s) => {
                text.insert(k, json!(s));
            }
            Err(e) => {
                bin.insert(
                    k,
                    json!(base64::engine::general_purpose::STANDARD.encode(e.into_bytes())),
                );
            }
        }
    }
    (text, bin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_from_images() {
        assert_eq!(container_name("nginx"), "nginx");
        assert_eq!(container_name("redis:7"), "redis");
        assert_eq!(container_name("docker.io/library/nginx:1.25"), "nginx");
        assert_eq!(container_name("localhost:5000/app@sha256:abc"), "app");
    }
}
