//! kubesim's own verbs for watching the control loop (`step`, `settle`, `advance`) and for
//! failing a node (`node stop`, `node start`: the simulated kubelet, not kubectl's verbs).

use super::cluster;
use super::{CliError, CliResult, Ctx, Out};
use crate::engine::{self, TraceLine};
use clap::Args;
use std::io::Write;

#[derive(Args, Debug, Clone)]
pub struct StepArgs {
    /// Number of ticks (virtual seconds) to run
    #[arg(default_value_t = 1)]
    pub ticks: u64,
}

#[derive(Args, Debug, Clone)]
pub struct SettleArgs {
    /// Give up after this much virtual time (e.g. 1h)
    #[arg(long, default_value = "1h")]
    pub timeout: String,
    /// Print what each component did on the way
    #[arg(short = 'v', long)]
    pub verbose: bool,
}

#[derive(Args, Debug, Clone)]
pub struct AdvanceArgs {
    /// How far to move the clock: a Go-style duration such as 30s, 10m, 1h30m
    pub duration: String,
    /// Print what each component did on the way
    #[arg(short = 'v', long)]
    pub verbose: bool,
}

/// `kubesim node stop|start NODE`: a node's kubelet fails or comes back.
#[derive(clap::Subcommand, Debug, Clone)]
pub enum NodeCmd {
    /// Stop the node's simulated kubelet: it renews neither its Lease nor the node's status
    /// and does nothing for its pods, so after the 50 s grace period the node lifecycle
    /// controller marks the node NotReady and taints it (unreachable), and its pods are
    /// evicted after their tolerations (300 s by default)
    Stop(NodeArgs),
    /// Restart the node's simulated kubelet: the node turns Ready, its taints go, and the
    /// kubelet finishes what waited for it (pod deletions)
    Start(NodeArgs),
}

#[derive(Args, Debug, Clone)]
pub struct NodeArgs {
    /// The node
    #[arg(add = super::completion::node_names())]
    pub name: String,
}

pub fn node(ctx: &Ctx, cmd: NodeCmd, out: &mut Out) -> CliResult {
    let (a, stop) = match cmd {
        NodeCmd::Stop(a) => (a, true),
        NodeCmd::Start(a) => (a, false),
    };
    let name = a.name;
    let mut api = ctx.open_write()?;
    api.get(&crate::kinds::node::KIND, "", &name)?;
    let now = api.now();
    let stopped = api.kubelet_stopped_at(&name).is_some();
    let msg = match (stop, stopped) {
        (true, true) => "kubelet already stopped",
        (false, false) => "kubelet already running",
        (true, false) => {
            // Its last renewal and status report as of now, then it stops; the node
            // lifecycle controller starts looking at the node.
            let stop_key = format!("{}{name}", crate::sim::kubelet::controller::STOP_KEY);
            engine::wake(&mut api, "kubelet", &stop_key, now, true);
            engine::step(&mut api, &cluster::PLANE, 0)?;
            api.set_kubelet_stopped(&name, Some(now));
            engine::wake(
                &mut api,
                "node-lifecycle-controller",
                &format!("{}{name}", crate::controllers::nodelifecycle::HEALTH_KEY),
                now,
                false,
            );
            "kubelet stopped"
        }
        (false, true) => {
            api.set_kubelet_stopped(&name, None);
            let start_key = format!("{}{name}", crate::sim::kubelet::controller::START_KEY);
            engine::wake(&mut api, "kubelet", &start_key, now, true);
            "kubelet started"
        }
    };
    writeln!(out.out, "node/{name} {msg}")?;
    ctx.finish(api)
}

/// Parses Go durations (`1h30m`, `90s`, `500ms`, as Go's `time.ParseDuration`); negative
/// ones are refused (the clock only moves forward).
pub fn parse_duration(s: &str) -> Result<jiff::SignedDuration, CliError> {
    match super::goflags::go_parse_duration(s) {
        Ok(d) if !d.is_negative() => Ok(d),
        _ => Err(CliError::msg(format!("invalid duration \"{s}\""))),
    }
}

/// The teaching view: one line per change, grouped by virtual time.
/// Times are the virtual clock's (UTC).
pub fn print_trace(out: &mut Out, trace: &[TraceLine]) -> CliResult {
    let mut rows: Vec<Vec<String>> = vec![vec!["TIME".into(), "COMPONENT".into(), "ACTION".into()]];
    for t in trace {
        let actor = if t.actor.is_empty() {
            "(you)".to_string()
        } else {
            t.actor.clone()
        };
        rows.push(vec![
            t.at.strftime("%H:%M:%S").to_string(),
            actor,
            t.what.clone(),
        ]);
    }
    if rows.len() == 1 {
        writeln!(out.out, "nothing to do")?;
        return Ok(());
    }
    out.out
        .write_all(crate::print::tabwriter::table(&rows).as_bytes())?;
    Ok(())
}

pub fn step(ctx: &Ctx, a: StepArgs, out: &mut Out) -> CliResult {
    let mut api = ctx.open_write()?;
    api.trace = true;
    let trace = engine::step(&mut api, &cluster::PLANE, a.ticks)?;
    api.commit()?;
    print_trace(out, &trace)
}

pub fn settle(ctx: &Ctx, a: SettleArgs, out: &mut Out) -> CliResult {
    let limit = parse_duration(&a.timeout)?;
    let mut api = ctx.open_write()?;
    api.trace = a.verbose;
    let start = api.now();
    let trace = engine::settle(&mut api, &cluster::PLANE, limit.as_secs())?;
    api.commit()?;
    if a.verbose {
        print_trace(out, &trace)?;
    }
    writeln!(
        out.out,
        "settled after {}s of virtual time",
        api.now().duration_since(start).as_secs()
    )?;
    Ok(())
}

pub fn advance(ctx: &Ctx, a: AdvanceArgs, out: &mut Out) -> CliResult {
    let d = parse_duration(&a.duration)?;
    let mut api = ctx.open_write()?;
    api.trace = a.verbose;
    let start = api.now();
    let trace = engine::advance_to(&mut api, &cluster::PLANE, start + d)?;
    api.commit()?;
    if a.verbose {
        print_trace(out, &trace)?;
    }
    writeln!(
        out.out,
        "clock advanced by {} to {}",
        a.duration,
        crate::api::fmt_time(api.now())
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_duration("1h30m").unwrap().as_secs(), 5400);
        assert_eq!(parse_duration("90s").unwrap().as_secs(), 90);
        assert_eq!(parse_duration("1.5m").unwrap().as_secs(), 90);
        assert!(parse_duration("10x").is_err());
        assert!(parse_duration("10").is_err());
    }
}
