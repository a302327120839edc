//! The command tree: kubectl's verbs plus kubesim's own (`step`, `settle`, `advance`, `reset`, `test`).
//!
//! Each verb lives in its own module as a clap `Args` struct (its doc comments are the help)
//! and a `run` function. Errors are [`CliError`]s: the exact text kubectl prints on stderr and
//! the exit code.

pub mod apply;
pub mod autoscale;
pub mod cluster;
pub mod cluster_info;
pub mod cobra;
pub mod completion;
pub mod config;
pub mod create;
mod create_quota;
pub mod create_service;
pub mod create_token;
pub mod delete;
pub mod describe;
pub mod diff;
pub mod docs_examples;
pub mod edit;
pub mod events;
pub mod exec;
pub mod explain;
pub mod expose;
pub mod flags;
pub mod generators;
pub mod get;
pub mod goflags;
pub mod golden;
pub mod label;
pub mod logs;
pub mod misc;
pub mod node;
pub mod patch;
pub mod progress;
pub mod resources;
pub mod rollout;
pub mod run;
pub mod scale;
pub mod set;
pub mod set_env;
pub mod set_more;
pub mod sim;
pub mod test;
pub mod wait;

#[cfg(test)]
mod fuzz_tests;

use crate::api::Api;
use crate::api::errors::ApiError;
use crate::store::Access;
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// kubectl for a simulated cluster kept in a local state directory.
#[derive(Parser, Debug)]
#[command(
    name = "kubesim",
    version,
    about = "kubectl for a simulated Kubernetes cluster kept in a local state directory",
    long_about = None,
    disable_version_flag = true,
    args_override_self = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes.
#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// If present, the namespace scope for this CLI request
    #[arg(short = 'n', long, global = true, value_name = "NAMESPACE", add = completion::namespaces())]
    pub namespace: Option<String>,
    /// The name of the kubeconfig context to use
    #[arg(long, global = true, value_name = "CONTEXT", add = completion::contexts())]
    pub context: Option<String>,
    /// The state directory holding the simulated cluster [default: the user's data directory]
    #[arg(long, global = true, env = "KUBESIM_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Leave the controllers' work queued instead of converging after a change
    #[arg(long, global = true)]
    pub no_settle: bool,
    /// The most pods the simulated cluster holds (a simulator limit: creating a pod past it is refused)
    #[arg(long, global = true, env = "KUBESIM_MAX_PODS", value_name = "N", default_value_t = crate::api::DEFAULT_MAX_PODS)]
    pub max_pods: usize,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Display one or many resources
    Get(get::GetArgs),
    /// Show details of a specific resource or group of resources
    Describe(describe::DescribeArgs),
    /// List events
    Events(events::EventsArgs),
    /// Diff the live version against a would-be applied version
    Diff(diff::DiffArgs),
    /// Apply a configuration to a resource by file name or stdin
    Apply(apply::ApplyArgs),
    /// Create a resource from a file or from stdin
    Create(create::CreateArgs),
    /// Run a particular image on the cluster
    Run(run::RunArgs),
    /// Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
    Expose(expose::ExposeArgs),
    /// Auto-scale a deployment, replica set, stateful set, or replication controller
    Autoscale(autoscale::AutoscaleArgs),
    /// Replace a resource by file name or stdin
    Replace(apply::ReplaceArgs),
    /// Edit a resource on the server
    Edit(edit::EditArgs),
    /// Delete resources by file names, stdin, resources and names, or by resources and label selector
    Delete(delete::DeleteArgs),
    /// Set a new size for a deployment, replica set, replication controller, or stateful set
    Scale(scale::ScaleArgs),
    /// Set specific features on objects
    #[command(subcommand)]
    Set(set::SetCmd),
    /// Manage the rollout of a resource
    #[command(subcommand)]
    Rollout(rollout::RolloutCmd),
    /// Wait for a specific condition on one or many resources
    Wait(wait::WaitArgs),
    /// Print the logs for a container in a pod
    Logs(logs::LogsArgs),
    /// Execute a command in a container
    Exec(exec::ExecArgs),
    /// Update fields of a resource
    Patch(patch::PatchArgs),
    /// Update the labels on a resource
    Label(label::LabelArgs),
    /// Update the annotations on a resource
    Annotate(label::LabelArgs),
    /// Mark node as unschedulable
    Cordon(node::CordonArgs),
    /// Mark node as schedulable
    Uncordon(node::CordonArgs),
    /// Drain node in preparation for maintenance
    Drain(node::DrainArgs),
    /// Update the taints on one or more nodes
    Taint(node::TaintArgs),
    /// Print the supported API resources on the server
    ApiResources(misc::ApiResourcesArgs),
    /// Get documentation for a resource
    Explain(explain::ExplainArgs),
    /// Print the client and server version information
    Version(misc::VersionArgs),
    /// Output shell completion code for the specified shell (bash, zsh, fish)
    Completion(completion::CompletionArgs),
    /// Modify kubeconfig files (kubesim's: the simulated cluster's contexts)
    #[command(subcommand)]
    Config(config::ConfigCmd),
    /// Display cluster information
    ClusterInfo(cluster_info::ClusterInfoArgs),
    /// Delete the state and start over with a fresh default cluster
    Reset(misc::ResetArgs),
    /// Run N ticks (virtual seconds) and show what each controller, the scheduler and the kubelet did
    Step(sim::StepArgs),
    /// Run the controllers until the cluster converges
    Settle(sim::SettleArgs),
    /// Move the virtual clock forward (e.g. 10m, 1h30m), running everything due on the way
    Advance(sim::AdvanceArgs),
    /// Run golden transcripts (commands with their expected output) and show what differs
    Test(test::TestArgs),
    /// Stop or start a node's simulated kubelet (kubesim's own: a node failing and recovering)
    #[command(subcommand)]
    Node(sim::NodeCmd),
    /// List the Kubernetes docs' example manifests kubesim carries for `-f https://k8s.io/examples/...`, or print one
    Examples(docs_examples::ExamplesArgs),
}

/// A failure as kubectl reports it: `text` goes to stderr as is, then the process exits
/// with `code`.
#[derive(Debug)]
pub struct CliError {
    pub text: String,
    pub code: i32,
    /// Printed on stdout before `text` goes to stderr (kubectl's template printer's help).
    pub stdout: String,
}

impl CliError {
    /// `error: <msg>` (kubectl's prefix for client-side errors).
    pub fn msg(msg: impl std::fmt::Display) -> CliError {
        let m = msg.to_string();
        let text = if m.starts_with("error: ") {
            m
        } else {
            format!("error: {m}")
        };
        CliError {
            text,
            code: 1,
            stdout: String::new(),
        }
    }
    /// Printed verbatim.
    pub fn raw(text: impl Into<String>) -> CliError {
        CliError {
            text: text.into(),
            code: 1,
            stdout: String::new(),
        }
    }
}

impl From<crate::print::PrintError> for CliError {
    fn from(e: crate::print::PrintError) -> Self {
        CliError {
            stdout: e.1,
            ..CliError::raw(e.0)
        }
    }
}

impl From<ApiError> for CliError {
    fn from(e: ApiError) -> Self {
        CliError::raw(e.kubectl_message())
    }
}

impl From<crate::store::StoreError> for CliError {
    fn from(e: crate::store::StoreError) -> Self {
        CliError::msg(e.0)
    }
}

impl From<crate::util::fields::ShapeError> for CliError {
    fn from(e: crate::util::fields::ShapeError) -> Self {
        CliError::msg(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::msg(e)
    }
}

pub type CliResult = Result<(), CliError>;

/// Where a command writes: stdout and stderr, buffered; errors already printed are counted
/// so that partial failures end with exit code 1.
pub struct Out {
    pub out: Box<dyn Write>,
    pub err: Box<dyn Write>,
    pub failed: bool,
    /// YAML documents printed so far: kubectl's YAML printer separates objects with `---`.
    pub yaml_docs: usize,
}

impl Out {
    /// Prints an error line now (partial failure) and remembers to exit 1.
    pub fn error(&mut self, e: impl Into<CliError>) {
        let e = e.into();
        let _ = self.out.write_all(e.stdout.as_bytes());
        let _ = self.out.flush();
        let _ = writeln!(self.err, "{}", e.text);
        self.failed = true;
    }
    /// Prints one object as a YAML document, with `---` before every one but the first.
    pub fn yaml_doc(&mut self, obj: &serde_json::Value) -> std::io::Result<()> {
        if self.yaml_docs > 0 {
            self.out.write_all(b"---\n")?;
        }
        self.yaml_docs += 1;
        self.out
            .write_all(crate::print::yaml::to_yaml(obj).as_bytes())
    }

    pub fn warn(&mut self, w: &str) {
        let _ = self.out.flush();
        let _ = writeln!(self.err, "Warning: {w}");
    }
}

/// What every command needs: the global flags and the state.
pub struct Ctx {
    pub global: GlobalArgs,
    /// The kubeconfig, read once ([`Ctx::kubeconfig`]), or the text of its error.
    kubeconfig: std::cell::OnceCell<Result<config::kubeconfig::KubeConfig, String>>,
}

impl Ctx {
    pub fn new(global: GlobalArgs) -> Ctx {
        Ctx {
            global,
            kubeconfig: std::cell::OnceCell::new(),
        }
    }

    /// The state directory: `--state-dir`, `KUBESIM_STATE_DIR`, or the user's data directory.
    pub fn state_dir(&self) -> PathBuf {
        if let Some(d) = &self.global.state_dir {
            return d.clone();
        }
        match directories::ProjectDirs::from("", "", "kubesim") {
            Some(p) => p.data_dir().join("state"),
            None => PathBuf::from(".kubesim"),
        }
    }

    /// The namespace a command works in: `-n`, else the current context's namespace (`kubesim
    /// config set-context --current --namespace=NS`), else `default` — clientcmd's
    /// `Namespace()`. Every verb asks here. An empty `-n ""` is no `-n`, as in kubectl. The
    /// error is kubectl's configuration error (a current context that does not exist).
    pub fn namespace(&self) -> Result<String, CliError> {
        if let Some(ns) = self.global.namespace.as_ref().filter(|n| !n.is_empty()) {
            return Ok(ns.clone());
        }
        self.kubeconfig()?.namespace()
    }

    /// kubectl's check of the kubeconfig before a command that talks to the cluster: its
    /// current context (or `--context`'s) must exist and be kubesim's cluster, whatever `-n`
    /// says.
    pub fn check_kubeconfig(&self) -> CliResult {
        self.kubeconfig()?.namespace().map(drop)
    }

    /// The kubeconfig this command runs with: the state's, its current context the one
    /// `--context` names when given (for this command only, as kubectl's override).
    pub fn kubeconfig(&self) -> Result<config::kubeconfig::KubeConfig, CliError> {
        self.kubeconfig
            .get_or_init(|| {
                let mut k =
                    config::kubeconfig::KubeConfig::load(&self.state_dir()).map_err(|e| e.text)?;
                if let Some(c) = self.global.context.as_ref().filter(|c| !c.is_empty()) {
                    k.current_context = c.clone();
                }
                Ok(k)
            })
            .clone()
            .map_err(CliError::raw)
    }

    pub fn open_read(&self) -> Result<Api, CliError> {
        let mut api = crate::cli::cluster::open(&self.state_dir(), Access::Read)?;
        api.max_pods = self.global.max_pods;
        Ok(api)
    }

    /// Opens the state for a mutating command; from here on its output is held until the
    /// command ends ([`hold_output`]), so nothing claims a change a failed commit lost.
    pub fn open_write(&self) -> Result<Api, CliError> {
        hold_output();
        let mut api = crate::cli::cluster::open(&self.state_dir(), Access::Write)?;
        api.max_pods = self.global.max_pods;
        Ok(api)
    }

    /// Ends a mutating command that may be a dry run: a dry run (`--dry-run=client|server`)
    /// commits nothing, whatever it did in memory; otherwise [`finish`](Self::finish).
    pub fn finish_unless_dry(&self, api: Api, dry: Option<&str>) -> CliResult {
        match dry {
            None => self.finish(api),
            Some(_) => {
                done(api);
                Ok(())
            }
        }
    }

    /// Ends a mutating command: converge (unless `--no-settle`), then commit atomically.
    pub fn finish(&self, mut api: Api) -> CliResult {
        self.settle_and_commit(&mut api)?;
        let refused = pods_refused(&api);
        done(api);
        refused
    }

    /// [`finish`](Self::finish) for a command that goes on after its commit (`edit` re-opens
    /// the editor): the caller drops `api` to let go of the state's lock.
    pub fn settle_and_commit(&self, api: &mut Api) -> CliResult {
        let no_settle = self.global.no_settle
            || api.store.meta.settings.get("settle").map(String::as_str) == Some("false");
        if no_settle {
            crate::engine::enqueue_only(api, &crate::cli::cluster::PLANE);
        } else {
            let t0 = std::time::Instant::now();
            crate::engine::settle(api, &crate::cli::cluster::PLANE, SETTLE_LIMIT_SECS)
                .map_err(|e| match crate::engine::is_limit(&e) {
                    // The engine's own limits (virtual time, work): say what is left to do.
                    true => CliError::msg(format!(
                        "{}; nothing was saved (to let the cluster take longer, run the command with --no-settle, then `kubesim settle --timeout=DURATION` or `kubesim advance DURATION`)",
                        e.message
                    )),
                    false => e.into(),
                })?;
            if std::env::var_os("KUBESIM_PROFILE").is_some() {
                eprintln!("profile: settle {:.1} ms", t0.elapsed().as_secs_f64() * 1e3);
            }
        }
        let t0 = std::time::Instant::now();
        api.commit()?;
        if std::env::var_os("KUBESIM_PROFILE").is_some() {
            eprintln!("profile: commit {:.1} ms", t0.elapsed().as_secs_f64() * 1e3);
        }
        Ok(())
    }
}

/// After the controllers ran: an error when the pod limit refused pods they wanted (the
/// state is committed as a cluster under a quota would be: the sets report `FailedCreate`).
pub fn pods_refused(api: &Api) -> CliResult {
    if api.pods_refused == 0 {
        return Ok(());
    }
    Err(CliError::msg(format!(
        "the controllers could not create every pod they wanted: {}",
        crate::api::max_pods_message(api.max_pods)
    )))
}

/// How much virtual time a mutating command lets the cluster take to settle (an hour: a
/// rollout, pods pulling images and starting, a few back-offs; `kubesim settle --timeout`
/// and `kubesim advance` go further).
pub const SETTLE_LIMIT_SECS: i64 = 3600;

/// Ends the use of the API without freeing it: the process is about to exit, and tearing
/// down a large state object by object costs more than the command itself. The state lock is
/// released when the process exits.
pub fn done(api: Api) {
    std::mem::forget(api);
}

/// Runs the CLI; returns the exit code.
pub fn main() -> i32 {
    if completion::is_completion_call(&std::env::args_os().collect::<Vec<_>>()) {
        clap_complete::CompleteEnv::with_factory(completion::command)
            .var("COMPLETE")
            .complete();
    }
    let cli = match completion::command()
        .try_get_matches()
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m))
    {
        Ok(c) => c,
        Err(e) => return clap_error(e),
    };
    if goflags::uses_record(&std::env::args().collect::<Vec<_>>()) {
        eprintln!("{}", goflags::RECORD_DEPRECATED);
    }
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let broken_pipe = std::rc::Rc::new(std::cell::Cell::new(false));
    let mut out = Out {
        out: Box::new(std::io::BufWriter::new(Gate {
            inner: PipeQuiet {
                inner: stdout.lock(),
                broken: broken_pipe.clone(),
            },
            err: false,
        })),
        err: Box::new(Gate {
            inner: stderr.lock(),
            err: true,
        }),
        failed: false,
        yaml_docs: 0,
    };
    let ctx = Ctx::new(cli.global.clone());
    let bar = progress::install();
    let res = dispatch(&ctx, cli.command, &mut out);
    if let Err(e) = &res {
        let _ = out.out.write_all(e.stdout.as_bytes());
    }
    progress::clear(&bar);
    // What a mutating command printed is let out now — its standard output only if its
    // commit did not fail (then nothing it claims happened).
    let _ = out.out.flush();
    release_output(&mut out, !crate::store::commit_failed());
    let flushed = out.out.flush();
    let code = match res {
        Ok(()) => i32::from(out.failed),
        Err(e) => {
            let _ = writeln!(out.err, "{}", e.text);
            e.code
        }
    };
    match flushed {
        // `kubesim get pods | head -1`: the command still finished (and committed), and
        // nothing is said, as kubectl says nothing when SIGPIPE ends it (the shell sees 141).
        _ if broken_pipe.get() && code == 0 => 141,
        _ => code,
    }
}

/// Output held back ([`hold_output`]): (stderr?, bytes) in the order written.
type HeldLog = Option<Vec<(bool, Vec<u8>)>>;

thread_local! {
    static HELD: std::cell::RefCell<HeldLog> = const { std::cell::RefCell::new(None) };
}

/// From now on, what the command writes (stdout and stderr, in order) is kept in memory
/// until [`release_output`]: a mutating command prints its `created`/`scaled` lines only
/// once its commit is done.
pub fn hold_output() {
    HELD.with(|h| {
        let mut h = h.borrow_mut();
        if h.is_none() {
            *h = Some(Vec::new());
        }
    });
}

/// Writes out what was held (standard output only with `stdout`) and stops holding.
pub fn release_output(out: &mut Out, stdout: bool) {
    let _ = out.out.flush();
    let Some(held) = HELD.with(|h| h.borrow_mut().take()) else {
        return;
    };
    for (is_err, bytes) in held {
        if is_err {
            let _ = out.out.flush();
            let _ = out.err.write_all(&bytes);
        } else if stdout {
            let _ = out.out.write_all(&bytes);
        }
    }
    let _ = out.out.flush();
}

/// A standard stream that goes into [`HELD`] while output is held.
struct Gate<W: Write> {
    inner: W,
    err: bool,
}

impl<W: Write> Write for Gate<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let held = HELD.with(|h| match h.borrow_mut().as_mut() {
            Some(log) => {
                match log.last_mut() {
                    Some((e, b)) if *e == self.err => b.extend_from_slice(buf),
                    _ => log.push((self.err, buf.to_vec())),
                }
                true
            }
            None => false,
        });
        if held {
            return Ok(buf.len());
        }
        self.inner.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        if HELD.with(|h| h.borrow().is_some()) {
            return Ok(());
        }
        self.inner.flush()
    }
}

/// Standard output that a closed pipe does not fail: once the reader has gone, what is
/// written is dropped, so a command piped into `head` still finishes its work (a mutating
/// one commits) instead of stopping with `error: Broken pipe` half way.
struct PipeQuiet<W: Write> {
    inner: W,
    broken: std::rc::Rc<std::cell::Cell<bool>>,
}

impl<W: Write> Write for PipeQuiet<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.broken.get() {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.broken.set(true);
                Ok(buf.len())
            }
            r => r,
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        if self.broken.get() {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.broken.set(true);
                Ok(())
            }
            r => r,
        }
    }
}

fn dispatch(ctx: &Ctx, cmd: Command, out: &mut Out) -> CliResult {
    // kubectl's verbs load the kubeconfig first; kubesim's own commands and those that need
    // no cluster (config, completion, version) do not.
    let own = matches!(
        cmd,
        Command::Config(_)
            | Command::Completion(_)
            | Command::Version(_)
            | Command::Reset(_)
            | Command::Step(_)
            | Command::Settle(_)
            | Command::Advance(_)
            | Command::Test(_)
            | Command::Node(_)
    );
    if !own {
        ctx.check_kubeconfig()?;
    }
    match cmd {
        Command::Get(a) => get::run(ctx, a, out),
        Command::Describe(a) => describe::run(ctx, a, out),
        Command::Diff(a) => diff::run(ctx, a, out),
        Command::Apply(a) => apply::run_apply(ctx, a, out),
        Command::Create(a) => create::run(ctx, a, out),
        Command::Replace(a) => apply::run_replace(ctx, a, out),
        Command::Edit(a) => edit::run(ctx, a, out),
        Command::Delete(a) => delete::run(ctx, a, out),
        Command::Scale(a) => scale::run(ctx, a, out),
        Command::Expose(a) => expose::run(ctx, a, out),
        Command::Autoscale(a) => autoscale::run(ctx, a, out),
        Command::Set(c) => set::run(ctx, c, out),
        Command::Rollout(c) => rollout::run(ctx, c, out),
        Command::Label(a) => label::run(ctx, a, out, label::Which::Labels),
        Command::Cordon(a) => node::run_cordon(ctx, a, out, true),
        Command::Uncordon(a) => node::run_cordon(ctx, a, out, false),
        Command::Taint(a) => node::run_taint(ctx, a, out),
        Command::Run(a) => run::run(ctx, a, out),
        Command::Wait(a) => wait::run(ctx, a, out),
        Command::Patch(a) => patch::run(ctx, a, out),
        Command::Logs(a) => logs::run(ctx, a, out),
        Command::Exec(a) => exec::run(ctx, a, out),
        Command::Events(a) => events::run(ctx, a, out),
        Command::Drain(a) => node::run_drain(ctx, a, out),
        Command::Annotate(a) => label::run(ctx, a, out, label::Which::Annotations),
        Command::ApiResources(a) => misc::api_resources(ctx, a, out),
        Command::Explain(a) => explain::run(ctx, a, out),
        Command::Version(a) => misc::version(ctx, a, out),
        Command::Completion(a) => completion::run(a, out),
        Command::Config(c) => config::run(ctx, c, out),
        Command::ClusterInfo(a) => cluster_info::run(ctx, a, out),
        Command::Reset(a) => misc::reset(ctx, a, out),
        Command::Step(a) => sim::step(ctx, a, out),
        Command::Settle(a) => sim::settle(ctx, a, out),
        Command::Advance(a) => sim::advance(ctx, a, out),
        Command::Test(a) => test::run(a, out),
        Command::Node(c) => sim::node(ctx, c, out),
        Command::Examples(a) => docs_examples::run(a, out),
    }
}

/// Prints a clap parse error the way kubectl (cobra) prints flag errors.
fn clap_error(e: clap::Error) -> i32 {
    use clap::error::ErrorKind;
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if let Some((text, stdout)) = cobra::group_help(&e, &argv) {
        if stdout {
            print!("{text}");
        } else {
            eprint!("{text}");
        }
        return 1;
    }
    if let Some(text) = cobra::kubectl_help(&e, &argv) {
        print!("{text}");
        return 0;
    }
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return 0;
    }
    let (text, code) = clap_error_text(&e, &argv);
    // `kubectl diff` turns flag errors into usage errors that exit 2 (1 means differences).
    if goflags::parse_line(&argv).path == ["diff"] {
        eprint!("{}", diff::flag_error(&text));
        return 2;
    }
    eprint!("{text}");
    code
}

/// What kubectl prints for a clap parse error (its whole stderr) and its exit code.
fn clap_error_text(e: &clap::Error, argv: &[String]) -> (String, i32) {
    use clap::error::ErrorKind;
    if let Some(text) = cobra::translate(e, argv) {
        return (format!("{text}\n"), 1);
    }
    let text = match e.kind() {
        ErrorKind::UnknownArgument => {
            let arg = e
                .get(clap::error::ContextKind::InvalidArg)
                .map(|v| v.to_string())
                .unwrap_or_default();
            let flag = arg.split('=').next().unwrap_or_default().to_string();
            let path = command_path();
            if flag.starts_with("--") {
                format!("error: unknown flag: {flag}\nSee '{path} --help' for usage.\n")
            } else if flag.starts_with('-') {
                format!(
                    "error: unknown shorthand flag: '{}' in {flag}\nSee '{path} --help' for usage.\n",
                    flag.trim_start_matches('-').chars().next().unwrap_or('?')
                )
            } else {
                e.to_string()
            }
        }
        ErrorKind::ValueValidation if goflags::is_pflag_value_error(&e.to_string()) => {
            let text = e.to_string();
            let msg = text.trim_end().trim_start_matches("error: ");
            format!("error: {msg}\nSee '{} --help' for usage.\n", command_path())
        }
        ErrorKind::InvalidSubcommand => {
            let sub = e
                .get(clap::error::ContextKind::InvalidSubcommand)
                .map(|v| v.to_string())
                .unwrap_or_default();
            format!("error: unknown command \"{sub}\" for \"kubesim\"\n")
        }
        ErrorKind::MissingRequiredArgument => {
            let args: Vec<String> = e
                .get(clap::error::ContextKind::InvalidArg)
                .map(|v| match v {
                    clap::error::ContextValue::Strings(s) => s.clone(),
                    other => vec![other.to_string()],
                })
                .unwrap_or_default();
            let names: Vec<String> = args
                .iter()
                .map(|a| {
                    let n = a.trim_start_matches('-');
                    let n = n.split([' ', '=', '<']).next().unwrap_or(n);
                    format!("\"{n}\"")
                })
                .collect();
            format!("error: required flag(s) {} not set\n", names.join(", "))
        }
        _ => e.to_string(),
    };
    (text, 1)
}

/// `kubesim rollout undo` for `See 'kubesim rollout undo --help'` lines: the subcommands the
/// command line names, as cobra's `CommandPath`.
fn command_path() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut path = vec!["kubesim".to_string()];
    path.extend(goflags::parse_line(&args).path);
    path.join(" ")
}

/// The most kubesim reads from one `-f` file or from stdin. The API server takes request
/// bodies up to 3 MiB and etcd objects up to 1.5 MiB; a manifest file of many objects may
/// be bigger, but not without bound (`-f /dev/zero` would read forever).
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// Reads a file of at most [`MAX_INPUT_BYTES`] (`--from-file`, `--from-env-file`); a bigger one
/// is an error that says so.
pub fn read_file_limited(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut buf)?;
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(std::io::Error::other(format!(
            "the file is larger than {} MiB, the most kubesim reads from one file",
            MAX_INPUT_BYTES >> 20
        )));
    }
    Ok(buf)
}

/// Reads a file argument: `-` is stdin, a URL is answered by [`docs_examples::read`]. At most
/// [`MAX_INPUT_BYTES`].
pub fn read_source(path: &str) -> Result<Vec<u8>, CliError> {
    use std::io::Read;
    let too_big = || {
        CliError::msg(format!(
            "error reading {}: the input is larger than {} MiB, the most kubesim reads from one file",
            if path == "-" { "STDIN" } else { path },
            MAX_INPUT_BYTES >> 20
        ))
    };
    if docs_examples::is_url(path) {
        return docs_examples::read(path);
    }
    let mut buf = Vec::new();
    if path == "-" {
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)?;
    } else {
        let f = std::fs::File::open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                CliError::msg(format!("the path \"{path}\" does not exist"))
            }
            _ => CliError::msg(format!("error reading {path}: {e}")),
        })?;
        f.take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::msg(format!("error reading {path}: {e}")))?;
    }
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_big());
    }
    Ok(buf)
}
