//! `kubesim set image`: change container images in pod templates (and pods), as kubectl
//! does, including `--local -f FILE -o yaml` offline.

use super::flags;
use super::resources;
use super::{CliError, CliResult, Ctx, Out};
use crate::api::name_of;
use crate::print::output::{Format, name_form, print_structured};
use crate::util::fields::Fields;
use clap::{Args, Subcommand};
use serde_json::{Value, json};
use std::io::Write;

#[derive(Subcommand, Debug, Clone)]
pub enum SetCmd {
    /// Update environment variables on a pod template
    Env(super::set_env::SetEnvArgs),
    /// Update the image of a pod template
    Image(SetImageArgs),
    /// Update resource requests/limits on objects with pod templates
    Resources(super::set_more::SetResourcesArgs),
    /// Set the selector on a resource
    Selector(super::set_more::SetSelectorArgs),
    /// Update the service account of a resource
    #[command(visible_alias = "sa")]
    Serviceaccount(super::set_more::SetServiceAccountArgs),
    /// Update the user, group, or service account in a role binding or cluster role binding
    Subject(super::set_more::SetSubjectArgs),
}

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::usage(
        "Filename, directory, or URL to files identifying the resource to get from a server"
    )
))]
#[command(mut_arg(
    "local",
    flags::usage("If true, set image will NOT contact api-server but run locally")
))]
pub struct SetImageArgs {
    /// (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N
    #[arg(value_name = "ARGS", add = super::completion::resource_args())]
    pub args: Vec<String>,
    #[command(flatten)]
    pub set: super::set_more::SetFlags,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    #[command(flatten)]
    pub record: super::goflags::RecordFlag,
}

pub fn run(ctx: &Ctx, cmd: SetCmd, out: &mut Out) -> CliResult {
    match cmd {
        SetCmd::Image(a) => set_image(ctx, a, out),
        SetCmd::Resources(a) => super::set_more::set_resources(ctx, a, out),
        SetCmd::Env(a) => super::set_env::set_env(ctx, a, out),
        SetCmd::Selector(a) => super::set_more::set_selector(ctx, a, out),
        SetCmd::Serviceaccount(a) => super::set_more::set_serviceaccount(ctx, a, out),
        SetCmd::Subject(a) => super::set_more::set_subject(ctx, a, out),
    }
}

/// The pod spec inside an object of this kind, as a JSON pointer.
pub fn pod_spec_pointer(kind: &str) -> Option<&'static str> {
    match kind {
        "Pod" => Some("/spec"),
        "CronJob" => Some("/spec/jobTemplate/spec/template/spec"),
        "Deployment"
        | "ReplicaSet"
        | "ReplicationController"
        | "DaemonSet"
        | "StatefulSet"
        | "Job" => Some("/spec/template/spec"),
        _ => None,
    }
}

/// Applies `name=image` pairs to an object's containers and init containers.
/// Returns whether anything changed, or kubectl's error for an unknown container.
fn apply_images(obj: &mut Value, pairs: &[(String, String)]) -> Result<bool, CliError> {
    let kind = obj
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let ptr = pod_spec_pointer(&kind).ok_or_else(|| {
        CliError::msg(format!(
            "error: {} \"{}\" does not have a pod template",
            kind,
            name_of(obj)
        ))
    })?;
    let Some(spec) = obj.pointer_mut(ptr) else {
        return Ok(false);
    };
    let (changed, missing) = set_images(spec, pairs)?;
    if let Some(m) = missing.first() {
        return Err(CliError::msg(format!(
            "unable to find container named \"{m}\""
        )));
    }
    Ok(changed)
}

/// Sets the images of a pod spec's containers: whether anything changed, and the container
/// names of `pairs` it does not have.
fn set_images(
    spec: &mut Value,
    pairs: &[(String, String)],
) -> Result<(bool, Vec<String>), CliError> {
    let mut changed = false;
    let mut missing = Vec::new();
    for (cname, image) in pairs {
        let mut found = false;
        for field in ["initContainers", "containers"] {
            if let Some(cs) = spec.get_mut(field).and_then(Value::as_array_mut) {
                for c in cs {
                    if cname == "*" || c.get("name").and_then(Value::as_str) == Some(cname) {
                        found = true;
                        if c.get("image").and_then(Value::as_str) != Some(image) {
                            c.set("/image", json!(image))?;
                            changed = true;
                        }
                    }
                }
            }
        }
        if !found {
            missing.push(cname.clone());
        }
    }
    Ok((changed, missing))
}

/// `set image --local`: each object of the files with its images set, printed if that changed
/// it; then kubectl's errors, all at once: the containers not found (`error: unable to find
/// container named "x"`), then each object without a pod template.
fn set_image_local(
    a: &SetImageArgs,
    pairs: &[(String, String)],
    fmt: &Format,
    cause: Option<&str>,
    out: &mut Out,
) -> CliResult {
    let mut not_found = Vec::new();
    let mut errors = Vec::new();
    // kubectl's builder decodes the files without validating them.
    for m in resources::load_with(&a.set.files.filename, a.set.files.recursive, false)? {
        let mut obj = m.object.clone();
        let kind = obj
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let info = crate::api::kinds::by_api_version_kind(
            obj.get("apiVersion").and_then(Value::as_str).unwrap_or(""),
            &kind,
        )
        .ok_or_else(|| CliError::msg("unable to decode the object"))?;
        let Some(ptr) = pod_spec_pointer(&kind) else {
            errors.push(format!(
                "error: {} the object is not a pod or does not have a pod template: *v1.{kind}\n",
                name_form(info, &obj)
            ));
            continue;
        };
        crate::kinds::common::client::go_zero_fields(&mut obj);
        let before = obj.clone();
        if let Some(spec) = obj.pointer_mut(ptr) {
            let (_, missing) = set_images(spec, pairs)?;
            not_found.extend(
                missing
                    .into_iter()
                    .map(|c| format!("error: unable to find container named \"{c}\"")),
            );
        }
        super::goflags::record(&mut obj, cause);
        // kubectl prints an object only when its patch is not empty.
        if obj == before {
            continue;
        }
        match fmt {
            Format::Table | Format::Wide => {
                writeln!(out.out, "{} image updated", name_form(info, &obj))?
            }
            Format::Yaml => out.yaml_doc(&obj)?,
            Format::Json => out
                .out
                .write_all(crate::print::output::json_text_typed(&obj).as_bytes())?,
            f => out
                .out
                .write_all(print_structured(f, &[(info, obj)], true)?.as_bytes())?,
        }
    }
    not_found.extend(errors);
    aggregate(not_found)
}

/// kubectl's aggregate of errors: one alone as it is, several each on its own line.
pub(super) fn aggregate(errors: Vec<String>) -> CliResult {
    let text = match errors.len() {
        0 => return Ok(()),
        1 => errors[0].trim_end_matches('\n').to_string(),
        _ => {
            let all: String = errors.iter().map(|e| format!("{e}\n")).collect();
            all.strip_suffix('\n').unwrap_or(&all).to_string()
        }
    };
    Err(CliError::raw(text))
}

fn set_image(ctx: &Ctx, a: SetImageArgs, out: &mut Out) -> CliResult {
    let fmt = a.set.output.format()?;
    let cause = a.record.cause();
    let mut res_args = Vec::new();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for x in &a.args {
        match x.split_once('=') {
            Some((k, v)) => pairs.push((k.to_string(), v.to_string())),
            None => res_args.push(x.clone()),
        }
    }
    if a.set.local && !res_args.is_empty() {
        return Err(CliError::msg(
            "you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'",
        ));
    }
    if a.set.files.filename.is_empty() && (a.set.local || res_args.is_empty()) {
        return Err(CliError::raw(resources::NO_RESOURCES_GIVEN));
    }
    if pairs.is_empty() {
        return Err(CliError::msg("at least one image update is required"));
    }
    if pairs.iter().any(|(k, _)| k == "*") && pairs.len() > 1 {
        return Err(CliError::msg(
            "all containers are already specified by *, but saw more than one container_name=container_image pairs",
        ));
    }
    if a.set.local {
        return set_image_local(&a, &pairs, &fmt, cause.as_deref(), out);
    }
    let selector = super::resources::label_selector(a.selector.as_deref())?;
    if a.set.files.filename.is_empty() && res_args.is_empty() {
        return Err(CliError::msg(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    let mut api = ctx.open_write()?;
    let sel = resources::Selection {
        args: &res_args,
        filename: &a.set.files.filename,
        recursive: a.set.files.recursive,
        selector: selector.as_ref(),
        fields: None,
        all: a.set.all,
        all_namespaces: false,
        verb: "patching",
    };
    let targets = resources::select(ctx, &mut api, &sel)?;
    for resources::Target {
        info,
        namespace: tns,
        name,
        ..
    } in targets
    {
        let r = (|| -> CliResult {
            let mut obj = api.get(info, &tns, &name)?;
            let changed = apply_images(&mut obj, &pairs)?;
            // kubectl records the change cause before it computes the patch: a new cause
            // alone is a change.
            let changed = super::goflags::record(&mut obj, cause.as_deref()) || changed;
            if !changed {
                return Ok(());
            }
            let obj = api.update(info, &tns, obj).map_err(|e| {
                CliError::msg(format!(
                    "failed to patch image update to pod template: {}",
                    e.message
                ))
            })?;
            super::apply::report(out, &fmt, info, &obj, "image updated")?;
            Ok(())
        })();
        if let Err(e) = r {
            out.error(e);
        }
    }
    ctx.finish(api)?;
    Ok(())
}
