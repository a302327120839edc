//! `kubesim wait`: kubectl's `wait --for=condition=...|delete|create|jsonpath=...`, with the
//! controllers running on the virtual clock until the condition holds or `--timeout` (30 s by
//! default) runs out (kubectl/pkg/cmd/wait).

use super::flags;
use super::resources::{self, Selection, Target};
use super::{CliError, CliResult, Ctx, Out};
use crate::api::Api;
use crate::print::jsonpath::JsonPath;
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::usage("Filename identifying the resource to wait on")
))]
pub struct WaitArgs {
    /// TYPE NAME... | TYPE/NAME... | TYPE with -l / --all
    #[arg(value_name = "ARGS", add = super::completion::resource_args())]
    pub args: Vec<String>,
    /// The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]
    #[arg(long = "for")]
    pub for_: Vec<String>,
    /// The length of time to wait before giving up. Zero means check once and don't wait, negative means wait for a week.
    #[arg(long, default_value = "30s", allow_hyphen_values = true, value_parser = super::goflags::GoDuration)]
    pub timeout: String,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    #[command(flatten)]
    pub field_selector: flags::FieldSelectorFlags,
    /// Select all resources in the namespace of the specified resource types
    #[arg(long)]
    pub all: bool,
    /// If present, list the requested object(s) across all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    #[command(flatten)]
    pub files: flags::FilenameFlags,
    #[command(flatten)]
    pub output: flags::OutputFlags,
}

/// One `--for`.
enum Cond {
    Create,
    Delete,
    /// `condition=Name[=value]` (value compared case-insensitively, `true` by default).
    Condition(String, String),
    /// `jsonpath='{...}'[=value]` (`None`: any value).
    JsonPath(JsonPath, Option<String>),
}

/// kubectl's `splitJSONPathInput`: `=` separates, `==` stays inside.
fn split_jsonpath_input(input: &str) -> Vec<String> {
    let b = input.as_bytes();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            if i + 1 < b.len() && b[i + 1] == b'=' {
                cur.push_str("==");
                i += 2;
                continue;
            }
            out.push(std::mem::take(&mut cur));
            i += 1;
            continue;
        }
        let ch = input[i..].chars().next().expect("in bounds");
        cur.push(ch);
        i += ch.len_utf8();
    }
    out.push(cur);
    out
}

fn parse_conditions(conds: &[String]) -> Result<Vec<Cond>, CliError> {
    let mut out = Vec::new();
    for c in conds {
        let lower = c.to_lowercase();
        if lower == "delete" {
            out.push(Cond::Delete);
        } else if lower == "create" {
            out.push(Cond::Create);
        } else if let Some(rest) = c.strip_prefix("condition=") {
            let (name, value) = match rest.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => (rest.to_string(), "true".to_string()),
            };
            out.push(Cond::Condition(name, value));
        } else if let Some(rest) = c.strip_prefix("jsonpath=") {
            let parts = split_jsonpath_input(rest);
            if parts.is_empty() || parts.len() > 2 {
                return Err(CliError::msg(
                    "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'",
                ));
            }
            let expr = crate::print::custom_columns::relaxed_jsonpath_expression(&parts[0])
                .map_err(CliError::msg)?;
            let value = match parts.get(1) {
                None => None,
                Some(v) => {
                    let v = v.trim_matches(|c| c == '\'' || c == '"');
                    if v.is_empty() {
                        return Err(CliError::msg(
                            "jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3",
                        ));
                    }
                    Some(v.to_string())
                }
            };
            if expr.is_empty() {
                return Err(CliError::msg("jsonpath expression cannot be empty"));
            }
            let jp = JsonPath::parse(&expr)
                .map_err(CliError::msg)?
                .allow_missing_keys(true);
            out.push(Cond::JsonPath(jp, value));
        } else {
            return Err(CliError::msg(format!(
                "unrecognized condition: \"{}\"",
                c.escape_default()
            )));
        }
    }
    if out.is_empty() {
        return Err(CliError::msg("unrecognized condition: []"));
    }
    Ok(out)
}

/// `ConditionalWait.checkCondition`: the named condition with the wanted status, observed at
/// the object's current generation.
fn condition_holds(obj: &Value, name: &str, value: &str) -> bool {
    let Some(conds) = obj.pointer("/status/conditions").and_then(Value::as_array) else {
        return false;
    };
    for c in conds {
        let Some(t) = c.get("type").and_then(Value::as_str) else {
            continue;
        };
        if !t.eq_ignore_ascii_case(name) {
            continue;
        }
        let Some(status) = c.get("status").and_then(Value::as_str) else {
            continue;
        };
        if let Some(generation) = obj.pointer("/metadata/generation").and_then(Value::as_i64) {
            let observed = c
                .get("observedGeneration")
                .and_then(Value::as_i64)
                .or_else(|| {
                    obj.pointer("/status/observedGeneration")
                        .and_then(Value::as_i64)
                });
            if observed.is_some_and(|o| o < generation) {
                return false;
            }
        }
        return status.to_lowercase() == value.to_lowercase();
    }
    false
}

/// `JSONPathWait.checkCondition`.
fn jsonpath_holds(obj: &Value, jp: &JsonPath, value: Option<&str>) -> Result<bool, CliError> {
    let results = jp.find_results_checked(obj).map_err(CliError::msg)?;
    if results.is_empty() || results[0].is_empty() {
        return Ok(false);
    }
    if results.len() > 1 {
        return Err(CliError::msg(
            "given jsonpath expression matches more than one list",
        ));
    }
    if results[0].len() > 1 {
        return Err(CliError::msg(
            "given jsonpath expression matches more than one value",
        ));
    }
    let Some(want) = value else {
        return Ok(true);
    };
    let (got, nested) = &results[0][0];
    if *nested {
        return Err(CliError::msg(
            "jsonpath leads to a nested object or list which is not supported",
        ));
    }
    Ok(got.trim() == want.trim())
}

/// A Go duration for `--timeout`; negative means a week.
fn parse_timeout(s: &str) -> Result<jiff::SignedDuration, CliError> {
    match s.strip_prefix('-') {
        Some(rest) => {
            super::sim::parse_duration(rest)?;
            Ok(jiff::SignedDuration::from_hours(168))
        }
        None => super::sim::parse_duration(s),
    }
}

fn object(api: &mut Api, t: &Target) -> Result<Option<Value>, CliError> {
    Ok(api.try_get(t.info, &t.namespace, &t.name)?)
}

pub fn run(ctx: &Ctx, a: WaitArgs, out: &mut Out) -> CliResult {
    let conds = parse_conditions(&a.for_)?;
    let timeout = parse_timeout(&a.timeout)?;
    let fmt = a.output.format()?;
    let selector = resources::label_selector(a.selector.as_deref())?;
    let fields = resources::field_selector(a.field_selector.as_deref())?;
    let sel = Selection {
        args: &a.args,
        filename: &a.files.filename,
        recursive: a.files.recursive,
        selector: selector.as_ref(),
        fields: fields.as_ref(),
        all: a.all,
        all_namespaces: a.all_namespaces,
        verb: "waiting",
    };
    let mut api = ctx.open_write()?;
    let deadline = api.now() + timeout;
    let is_delete = conds.iter().any(|c| matches!(c, Cond::Delete));
    // Runs the cluster until `done` or the deadline; false when time ran out.
    let step = |api: &mut Api| -> Result<bool, CliError> {
        if crate::engine::run_next(api, &crate::cli::cluster::PLANE, deadline, false)? {
            return Ok(true);
        }
        api.set_now(deadline);
        Ok(false)
    };
    let result = (|| -> CliResult {
        if conds.iter().any(|c| matches!(c, Cond::Create)) {
            loop {
                let found = match resources::select(ctx, &mut api, &sel) {
                    Ok(ts) => {
                        let mut all = !ts.is_empty();
                        for t in &ts {
                            all &= object(&mut api, t)?.is_some();
                        }
                        all
                    }
                    Err(e) => return Err(e),
                };
                if found {
                    break;
                }
                if timeout.is_zero() || !step(&mut api)? {
                    return Err(CliError::msg("timed out waiting for the condition"));
                }
            }
        }
        let targets = resources::select(ctx, &mut api, &sel)?;
        // What kubectl's builder reads up front: a missing object fails the command (it is
        // skipped when waiting for deletion).
        let mut infos: Vec<(Target, Value)> = Vec::new();
        for t in targets {
            match object(&mut api, &t)? {
                Some(o) => infos.push((t, o)),
                None if is_delete => {}
                None => {
                    api.get(t.info, &t.namespace, &t.name)?;
                }
            }
        }
        if infos.is_empty() && !is_delete {
            return Err(CliError::msg("no matching resources found"));
        }
        for (t, first) in &infos {
            let uid = first.pointer("/metadata/uid").cloned();
            for c in &conds {
                let mut last = first.clone();
                loop {
                    let now = object(&mut api, t)?;
                    let met = match c {
                        Cond::Create => true,
                        Cond::Delete => now
                            .as_ref()
                            .is_none_or(|o| o.pointer("/metadata/uid").cloned() != uid),
                        Cond::Condition(n, v) => {
                            now.as_ref().is_some_and(|o| condition_holds(o, n, v))
                        }
                        Cond::JsonPath(jp, v) => match &now {
                            Some(o) => jsonpath_holds(o, jp, v.as_deref())?,
                            None => false,
                        },
                    };
                    if let Some(o) = now {
                        last = o;
                    }
                    if met {
                        super::apply::report(out, &fmt, t.info, &last, "condition met")?;
                        break;
                    }
                    let object_name = format!("{}/{}", t.info.plural, t.name);
                    if timeout.is_zero() {
                        return Err(CliError::msg(format!(
                            "condition not met for {object_name}"
                        )));
                    }
                    if !step(&mut api)? {
                        return Err(CliError::msg(format!(
                            "timed out waiting for the condition on {object_name}"
                        )));
                    }
                }
            }
        }
        Ok(())
    })();
    // The clock moved while waiting: keep it (and what the controllers did on the way).
    api.commit()?;
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::fields::Fields;
    use serde_json::json;

    #[test]
    fn conditions_are_matched_by_type_and_status_at_the_current_generation() {
        let d = json!({"metadata": {"generation": 2},
                       "status": {"observedGeneration": 2, "conditions": [
                           {"type": "Available", "status": "True"},
                           {"type": "Progressing", "status": "False"}]}});
        assert!(condition_holds(&d, "available", "true"));
        assert!(condition_holds(&d, "Progressing", "false"));
        assert!(!condition_holds(&d, "Progressing", "true"));
        assert!(!condition_holds(&d, "Ready", "true"));
        let mut stale = d.clone();
        stale.set("/metadata/generation", json!(3)).unwrap();
        assert!(!condition_holds(&stale, "Available", "true"));
    }

    #[test]
    fn jsonpath_waits_compare_one_scalar() {
        let pod = json!({"status": {"phase": "Running", "containerStatuses": [
            {"ready": true}, {"ready": false}]}});
        let jp = |e: &str| JsonPath::parse(e).unwrap().allow_missing_keys(true);
        assert!(jsonpath_holds(&pod, &jp("{.status.phase}"), Some("Running")).unwrap());
        assert!(!jsonpath_holds(&pod, &jp("{.status.phase}"), Some("Pending")).unwrap());
        assert!(jsonpath_holds(&pod, &jp("{.status.phase}"), None).unwrap());
        assert!(!jsonpath_holds(&pod, &jp("{.status.missing}"), None).unwrap());
        assert_eq!(
            jsonpath_holds(
                &pod,
                &jp("{.status.containerStatuses[*].ready}"),
                Some("true")
            )
            .unwrap_err()
            .text,
            "error: given jsonpath expression matches more than one value"
        );
        assert_eq!(
            jsonpath_holds(&pod, &jp("{.status}"), Some("x"))
                .unwrap_err()
                .text,
            "error: jsonpath leads to a nested object or list which is not supported"
        );
        assert_eq!(
            split_jsonpath_input("{.a}=b"),
            ["{.a}".to_string(), "b".to_string()]
        );
        assert_eq!(split_jsonpath_input("{.a==1}").len(), 1);
    }
}
