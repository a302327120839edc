//! `kubectl autoscale` (staging/src/k8s.io/kubectl/pkg/cmd/autoscale/autoscale.go, 1.33): an
//! autoscaling/v2 HorizontalPodAutoscaler for a deployment, replica set, stateful set or
//! replication controller (named, or read from `-f`), `--min`, `--max`, `--cpu-percent`.

use super::flags;
use super::resources;
use super::{CliError, CliResult, Ctx, Out};
use crate::kinds::Kind;
use clap::Args;
use serde_json::{Map, Value, json};

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::usage("Filename, directory, or URL to files identifying the resource to autoscale.")
))]
pub struct AutoscaleArgs {
    /// (-f FILENAME | TYPE NAME | TYPE/NAME)
    #[arg(value_name = "TYPE", add = super::completion::resource_args())]
    pub args: Vec<String>,
    /// The lower limit for the number of pods that can be set by the autoscaler. If it's not specified or negative, the server will apply a default value.
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub min: i32,
    /// The upper limit for the number of pods that can be set by the autoscaler. Required.
    #[arg(long, required = true, allow_negative_numbers = true)]
    pub max: i32,
    /// The target average CPU utilization (represented as a percent of requested CPU) over all the pods. If it's not specified or negative, a default autoscaling policy will be used.
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub cpu_percent: i32,
    /// The name for the newly created object. If not specified, the name of the input resource will be used.
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub files: flags::FilenameFlags,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    #[command(flatten)]
    pub dry_run: flags::DryRunFlags,
    /// If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.
    #[arg(long)]
    pub save_config: bool,
    #[command(flatten)]
    pub record: super::goflags::RecordFlag,
    #[command(flatten)]
    pub managed: super::goflags::ManagedFieldsFlags,
}

/// The kinds with a `scale` subresource in a 1.33 cluster's discovery.
fn scalable(kind: &Kind) -> bool {
    use crate::kinds::{deployment, replicaset, replicationcontroller, statefulset};
    [
        &deployment::KIND,
        &replicaset::KIND,
        &statefulset::KIND,
        &replicationcontroller::KIND,
    ]
    .contains(&kind)
}

/// `Validate`: kubectl's checks of the flags, in its words.
fn validate(a: &AutoscaleArgs) -> CliResult {
    if a.max < 1 {
        return Err(CliError::msg(format!(
            "--max=MAXPODS is required and must be at least 1, max: {}",
            a.max
        )));
    }
    if a.max < a.min {
        return Err(CliError::msg(format!(
            "--max=MAXPODS must be larger or equal to --min=MINPODS, max: {}, min: {}",
            a.max, a.min
        )));
    }
    Ok(())
}

/// `createHorizontalPodAutoscalerV2`: the object kubectl sends, as its typed struct prints it
/// (`creationTimestamp: null`, `status.currentMetrics: null`, `desiredReplicas: 0`).
pub fn build(a: &AutoscaleArgs, kind: &Kind, target: &str) -> Value {
    let mut spec = Map::new();
    spec.insert(
        "scaleTargetRef".into(),
        json!({"kind": kind.kind, "name": target, "apiVersion": kind.api_version()}),
    );
    if a.min > 0 {
        spec.insert("minReplicas".into(), json!(a.min));
    }
    spec.insert("maxReplicas".into(), json!(a.max));
    if a.cpu_percent >= 0 {
        let metric = json!({"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": a.cpu_percent}}});
        spec.insert("metrics".into(), json!([metric]));
    }
    json!({
        "kind": crate::kinds::horizontalpodautoscaler::NAME,
        "apiVersion": crate::kinds::horizontalpodautoscaler::KIND.api_version(),
        "metadata": {"name": a.name.as_deref().unwrap_or(target), "creationTimestamp": null},
        "spec": spec,
        "status": {"desiredReplicas": 0, "currentMetrics": null},
    })
}

pub fn run(ctx: &Ctx, a: AutoscaleArgs, out: &mut Out) -> CliResult {
    let fmt = a.output.format()?;
    let dry = a.dry_run.mode()?;
    validate(&a)?;
    // The targets: from the files as written, or named in the cluster (which must hold them).
    let mut targets: Vec<(&'static Kind, String)> = Vec::new();
    if !a.files.filename.is_empty() {
        for m in a.files.load()? {
            let kind = super::apply::kind_of_manifest(&m, ctx, "autoscaling")?;
            targets.push((kind, crate::api::name_of(&m.object).to_string()));
        }
    } else if a.args.is_empty() {
        return Err(CliError::raw(resources::NO_RESOURCES_GIVEN));
    } else {
        for (kind, obj) in resources::named_objects(ctx, &a.args, "autoscaling")? {
            targets.push((kind, crate::api::name_of(&obj).to_string()));
        }
    }
    let hpa_kind = &crate::kinds::horizontalpodautoscaler::KIND;
    let mut api = if dry == Some("client") {
        None
    } else {
        Some(ctx.open_write()?)
    };
    let mut errors = Vec::new();
    let mut count = 0;
    for (kind, target) in targets {
        if !scalable(kind) {
            errors.push(format!(
                "cannot autoscale a {}: could not find scale subresource for {}/{}, Resource={} in discovery information",
                kind.kind, kind.group, kind.version, kind.plural
            ));
            continue;
        }
        let mut hpa = build(&a, kind, &target);
        super::goflags::record(&mut hpa, a.record.cause().as_deref());
        count += 1;
        let Some(api) = api.as_mut() else {
            super::create::print_result_as(out, &fmt, hpa_kind, &hpa, dry, "created")?;
            continue;
        };
        super::create::create_built(
            api,
            out,
            &fmt,
            hpa_kind,
            &ctx.namespace()?,
            hpa,
            a.save_config,
            dry,
            "autoscaled",
        )?;
    }
    if let Some(api) = api {
        ctx.finish_unless_dry(api, dry)?;
    }
    match errors.len() {
        0 => {}
        1 => return Err(CliError::msg(&errors[0])),
        _ => return super::set::aggregate(errors),
    }
    if count == 0 {
        return Err(CliError::msg("no objects passed to autoscale"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(clap::Parser)]
    struct T {
        #[command(flatten)]
        a: AutoscaleArgs,
    }

    fn args(line: &[&str]) -> AutoscaleArgs {
        T::try_parse_from(std::iter::once("autoscale").chain(line.iter().copied()))
            .unwrap()
            .a
    }

    /// autoscale_test.go's validation cases.
    #[test]
    fn flags_are_checked_as_kubectl_checks_them() {
        assert!(validate(&args(&["--max=1"])).is_ok());
        assert_eq!(
            validate(&args(&["--max=0"])).unwrap_err().text,
            "error: --max=MAXPODS is required and must be at least 1, max: 0"
        );
        assert_eq!(
            validate(&args(&["--max=2", "--min=5"])).unwrap_err().text,
            "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 5"
        );
    }

    #[test]
    fn builds_the_v2_object() {
        let d = &crate::kinds::deployment::KIND;
        let hpa = build(
            &args(&["--max=10", "--min=1", "--cpu-percent=50"]),
            d,
            "php-apache",
        );
        assert_eq!(
            hpa["spec"],
            json!({"scaleTargetRef": {"kind": "Deployment", "name": "php-apache", "apiVersion": "apps/v1"},
                   "minReplicas": 1, "maxReplicas": 10,
                   "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                       "target": {"type": "Utilization", "averageUtilization": 50}}}]})
        );
        // No --min, no --cpu-percent: neither is sent (the server defaults them).
        let bare = build(&args(&["--max=3", "--min=0", "--name=x"]), d, "web");
        assert_eq!(bare["metadata"]["name"], "x");
        assert!(bare["spec"].get("minReplicas").is_none() && bare["spec"].get("metrics").is_none());
        // --cpu-percent=0 is sent as it is (and refused by the server).
        let zero = build(&args(&["--max=3", "--cpu-percent=0"]), d, "web");
        assert_eq!(
            zero["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"],
            0
        );
    }
}
