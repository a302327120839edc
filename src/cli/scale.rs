//! `kubesim scale`: set a new size for a Deployment, ReplicaSet, ReplicationController or
//! StatefulSet, with kubectl's `--current-replicas` / `--resource-version` preconditions.

use super::flags;
use super::resources;
use super::{CliError, CliResult, Ctx, Out};
use crate::util::fields::Fields;
use clap::Args;
use serde_json::{Value, json};

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::usage(
        "Filename, directory, or URL to files identifying the resource to set a new size"
    )
))]
pub struct ScaleArgs {
    /// TYPE NAME | TYPE/NAME
    #[arg(value_name = "TYPE", add = super::completion::resource_args())]
    pub args: Vec<String>,
    /// The new desired number of replicas. Required.
    #[arg(long, required = true, allow_negative_numbers = true)]
    pub replicas: i64,
    /// Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub current_replicas: i64,
    /// Precondition for resource version. Requires that the current resource version match this value in order to scale.
    #[arg(long)]
    pub resource_version: Option<String>,
    #[command(flatten)]
    pub files: flags::FilenameFlags,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    /// Select all resources in the namespace of the specified resource types
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    #[command(flatten)]
    pub dry_run: flags::DryRunFlags,
    /// The length of time to wait before giving up on a scale operation, zero means don't wait (on the virtual clock)
    #[arg(long, default_value = "0s", value_parser = super::goflags::GoDuration)]
    pub timeout: String,
    #[command(flatten)]
    pub record: super::goflags::RecordFlag,
}

/// kubectl's `scaleHasDesiredReplicas`: the object's status caught up with the size asked
/// (or someone else changed the size since).
fn has_desired_replicas(obj: &Value, desired: i64) -> bool {
    let spec = obj.pointer("/spec/replicas").and_then(Value::as_i64);
    let status = obj
        .pointer("/status/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    spec != Some(desired) || status == desired
}

/// The API server's answer to a size beyond int32: kubectl sends `{"spec":{"replicas":N}}`
/// as a merge patch of the scale subresource, and the patched autoscaling/v1 Scale (its
/// `spec.replicas` an int32) fails to decode: `The  "" is invalid: patch: Invalid value:
/// "<the patched Scale>": json: cannot unmarshal number N into Go struct field
/// ScaleSpec.spec.replicas of type int32`. The Scale is as the registry builds it (metadata in
/// ObjectMeta's field order, the status' replicas and selector), its top-level keys sorted by
/// the merge.
fn out_of_range(info: &crate::api::kinds::KindInfo, obj: &Value, replicas: i64) -> CliError {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut meta = Vec::new();
    for k in [
        "name",
        "namespace",
        "uid",
        "resourceVersion",
        "creationTimestamp",
    ] {
        if let Some(v) = obj
            .get("metadata")
            .and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
        {
            meta.push(format!("{}:{}", q(k), q(v)));
        }
    }
    let selector = match obj.pointer("/spec/selector") {
        Some(Value::Object(m)) if info.kind == "ReplicationController" => {
            let m: std::collections::BTreeMap<String, String> = m
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect();
            crate::util::selector::Selector::from_map(&m).to_string()
        }
        Some(sel) => serde_json::from_value(sel.clone())
            .ok()
            .and_then(|ls| crate::util::selector::Selector::from_label_selector(&ls).ok())
            .map(|s| s.to_string())
            .unwrap_or_default(),
        None => String::new(),
    };
    let mut status = format!(
        "\"replicas\":{}",
        obj.pointer("/status/replicas")
            .and_then(Value::as_i64)
            .unwrap_or(0)
    );
    if !selector.is_empty() {
        status.push_str(&format!(",\"selector\":{}", q(&selector)));
    }
    let scale = format!(
        "{{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{{{}}},\"spec\":{{\"replicas\":{replicas}}},\"status\":{{{status}}}}}",
        meta.join(",")
    );
    CliError::raw(format!(
        "The  \"\" is invalid: patch: Invalid value: {}: json: cannot unmarshal number {replicas} into Go struct field ScaleSpec.spec.replicas of type int32",
        crate::util::go_quote(&scale)
    ))
}

const SCALABLE: &[&str] = &[
    "Deployment",
    "ReplicaSet",
    "ReplicationController",
    "StatefulSet",
];

pub fn run(ctx: &Ctx, a: ScaleArgs, out: &mut Out) -> CliResult {
    if a.replicas < 0 {
        return Err(CliError::msg(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        ));
    }
    if a.current_replicas < -1 {
        return Err(CliError::msg(
            "The --current-replicas must specify an integer of -1 or greater",
        ));
    }
    let fmt = a.output.format()?;
    let dry = a.dry_run.mode()?;
    let timeout = super::sim::parse_duration(&a.timeout)?;
    let suffix = super::apply::dry_suffix(dry);
    let selector = super::resources::label_selector(a.selector.as_deref())?;
    let cause = a.record.cause().filter(|_| dry.is_none());
    // A client dry run only reads; a server dry run scales in memory and commits nothing.
    let mut api = if dry == Some("client") {
        ctx.open_read()?
    } else {
        ctx.open_write()?
    };
    let sel = resources::Selection {
        args: &a.args,
        filename: &a.files.filename,
        recursive: a.files.recursive,
        selector: selector.as_ref(),
        fields: None,
        all: a.all,
        all_namespaces: false,
        verb: "scaling",
    };
    let targets = resources::select(ctx, &mut api, &sel)?;
    if targets.is_empty() {
        return Err(CliError::msg("no objects passed to scale"));
    }
    if a.resource_version.is_some() && targets.len() > 1 {
        return Err(CliError::msg(
            "cannot use --resource-version with multiple resources",
        ));
    }
    for resources::Target {
        info,
        namespace: tns,
        name,
        ..
    } in targets
    {
        let r = (|| -> CliResult {
            if !SCALABLE.contains(&info.kind) {
                return Err(CliError::raw(
                    "Error from server (NotFound): the server could not find the requested resource",
                ));
            }
            let mut obj = api.get(info, &tns, &name)?;
            if dry == Some("client") {
                // kubectl sets the replicas on the object it read and prints it; no
                // precondition is checked.
                obj.set("/spec/replicas", json!(a.replicas))?;
                return super::apply::report(out, &fmt, info, &obj, &format!("scaled{suffix}"));
            }
            let current = obj
                .pointer("/spec/replicas")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            if a.current_replicas >= 0 && a.current_replicas != current {
                return Err(CliError::msg(format!(
                    "Expected replicas to be {}, was {current}",
                    a.current_replicas
                )));
            }
            if let Some(rv) = &a.resource_version {
                let have = obj
                    .pointer("/metadata/resourceVersion")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if have != rv {
                    return Err(CliError::msg(format!(
                        "Expected resource version to be {rv}, was {have}"
                    )));
                }
            }
            if i32::try_from(a.replicas).is_err() {
                return Err(out_of_range(info, &obj, a.replicas));
            }
            obj.set("/spec/replicas", json!(a.replicas))?;
            let mut obj = api.update(info, &tns, obj)?;
            // kubectl records the change cause with a second patch, after the scale.
            if super::goflags::record(&mut obj, cause.as_deref()) {
                obj = api.update(info, &tns, obj)?;
            }
            // --timeout: the controllers run on the virtual clock until the status has the
            // new size (a server dry run changes nothing there to wait for).
            if !timeout.is_zero() && dry.is_none() {
                let deadline = api.now() + timeout;
                while !has_desired_replicas(&api.get(info, &tns, &name)?, a.replicas) {
                    if !crate::engine::run_next(
                        &mut api,
                        &crate::cli::cluster::PLANE,
                        deadline,
                        false,
                    )? {
                        api.set_now(deadline);
                        return Err(CliError::msg(format!(
                            "timed out waiting for {name:?} to be synced"
                        )));
                    }
                }
            }
            super::apply::report(out, &fmt, info, &obj, &format!("scaled{suffix}"))?;
            Ok(())
        })();
        if let Err(e) = r {
            out.error(e);
        }
    }
    ctx.finish_unless_dry(api, dry)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_ends_when_the_status_has_the_size_or_the_size_changed() {
        let o = |spec: i64, status: Option<i64>| match status {
            Some(s) => json!({"spec": {"replicas": spec}, "status": {"replicas": s}}),
            None => json!({"spec": {"replicas": spec}, "status": {}}),
        };
        assert!(has_desired_replicas(&o(3, Some(3)), 3));
        assert!(!has_desired_replicas(&o(3, Some(2)), 3));
        assert!(!has_desired_replicas(&o(3, None), 3));
        assert!(has_desired_replicas(&o(0, None), 0));
        // Someone else set another size meanwhile: kubectl stops waiting.
        assert!(has_desired_replicas(&o(5, Some(2)), 3));
    }
}
