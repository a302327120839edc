//! kubectl's `create` generators beyond the workload ones of [`super::create`]: `create
//! priorityclass|role|clusterrole|rolebinding|clusterrolebinding|poddisruptionbudget|ingress|
//! serviceaccount` (staging/src/k8s.io/kubectl/pkg/cmd/create/create_*.go), each building the
//! object kubectl builds, with kubectl's errors.

use super::create::{CreateFlags, Generated};
use super::{CliError, Ctx};
use crate::util::fields::Fields;
use clap::Subcommand;
use serde_json::json;

/// `NameFromCommandArgs`: exactly one NAME, or kubectl's usage error for `create <sub>`.
pub fn name_arg(sub: &str, names: Vec<String>) -> Result<String, CliError> {
    match <[String; 1]>::try_from(names) {
        Ok([name]) => Ok(name),
        Err(names) => Err(CliError::raw(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create {sub} -h' for help and examples",
            names.len()
        ))),
    }
}

#[derive(Subcommand, Debug, Clone)]
pub enum More {
    /// Create a priority class with the specified name
    #[command(visible_alias = "pc")]
    Priorityclass {
        #[arg(value_name = "NAME")]
        name: Vec<String>,
        /// the value of this priority class.
        #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
        value: i32,
        /// global-default specifies whether this PriorityClass should be considered as the default priority.
        #[arg(long)]
        global_default: bool,
        /// description is an arbitrary string that usually provides guidelines on when this priority class should be used.
        #[arg(long, default_value = "")]
        description: String,
        /// preemption-policy is the policy for preempting pods with lower priority.
        #[arg(long, default_value = "PreemptLowerPriority")]
        preemption_policy: String,
        #[command(flatten)]
        flags: CreateFlags,
    },
}

/// The object a generator of [`More`] builds.
pub fn generate(_ctx: &Ctx, g: More) -> Result<Generated, CliError> {
    Ok(match g {
        More::Priorityclass {
            name,
            value,
            global_default,
            description,
            preemption_policy,
            flags,
        } => {
            let name = name_arg("priorityclass", name)?;
            let mut obj = json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                                 "metadata": {"creationTimestamp": null, "name": name},
                                 "value": value, "preemptionPolicy": preemption_policy});
            if global_default {
                obj.set("/globalDefault", json!(true))?;
            }
            if !description.is_empty() {
                obj.set("/description", json!(description))?;
            }
            (
                &crate::kinds::priorityclass::KIND,
                obj,
                flags,
                Some("failed to create priorityclass: "),
            )
        }
    })
}
