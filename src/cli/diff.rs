//! `kubesim diff -f FILE|DIR|-`: kubectl diff (staging/src/k8s.io/kubectl/pkg/cmd/diff/diff.go).
//!
//! For each object of the files, the live object and the object as `apply` would leave it
//! are written as YAML into two temporary directories, `$TMPDIR/LIVE-<n>` and
//! `$TMPDIR/MERGED-<n>`, each in a file named `<group>.<version>.<Kind>.<namespace>.<name>`;
//! then the two directories are compared. kubectl gets the merged object from the server: a
//! dry-run create for a new object (the object as written, without the last-applied
//! annotation), or a dry-run patch of apply's three-way merge for a live one (the patch
//! leaves the last-applied annotation as it was: kubectl computes it from the file without
//! the annotation). The server's side of it (defaults, admission, validation, the generation
//! bumped by a spec change, the resourceVersion the live object has — a dry run writes
//! nothing, so none is drawn — and none for a new one) is the Api's, in memory, on a state
//! opened for reading: nothing is committed.
//!
//! Before writing, both sides lose `metadata.managedFields` (unless `--show-managed-fields`),
//! and a v1 Secret's `data` values are masked as kubectl's `Masker` masks them: `***`, or
//! `*** (before)` / `*** (after)` where they differ. A new object's live file is empty (a new
//! Secret's holds `null`: kubectl's masker turns the missing object into a typed nil, which
//! its YAML printer prints).
//!
//! The comparison: `KUBECTL_EXTERNAL_DIFF` when set (split at spaces: the program, then the
//! extra arguments kubectl keeps — letters, digits, `-` and `=` only — after the two
//! directories), otherwise kubesim's own `diff -u -N LIVE MERGED` (GNU diff's output for two
//! directories: a `diff -u -N` line per differing file, `---`/`+++` with the files'
//! modification times, which are set to the state's clock, then the hunks of
//! [`crate::print::unified`]). Exit status: 0 no differences, 1 differences, 2 any error
//! (kubectl's `CheckDiffErr`: usage errors included); an external program's status >1 is
//! `error: failed to run "PROG": exit status N`.

use super::apply::{self, Validation};
use super::resources::{self, Manifest};
use super::{CliError, CliResult, Ctx, Out};
use crate::api::errors::Reason;
use crate::api::{Api, decode, name_of};
use crate::util::fields::Fields;
use crate::util::ptr::Ptr;
use clap::Args;
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args, Debug, Clone)]
pub struct DiffArgs {
    /// Filename, directory, or URL to files contains the configuration to diff
    #[arg(short = 'f', long)]
    pub filename: Vec<String>,
    /// Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Process the kustomization directory. This flag can't be used together with -f or -R.
    #[arg(short = 'k', long, value_name = "DIR")]
    pub kustomize: Option<String>,
    /// If true, apply runs in the server instead of the client.
    #[arg(long)]
    pub server_side: bool,
    /// Name of the manager used to track field ownership.
    #[arg(long, default_value = "kubectl-client-side-apply", value_name = "NAME")]
    pub field_manager: String,
    /// If true, server-side apply will force the changes against conflicts.
    #[arg(long)]
    pub force_conflicts: bool,
    /// Include resources that would be deleted by pruning. Can be used with -l and default shows all resources would be pruned
    #[arg(long)]
    pub prune: bool,
    /// Overwrite the default allowlist with <group/version/kind> for --prune
    #[arg(long, value_name = "GVK")]
    pub prune_allowlist: Vec<String>,
    /// Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// If true, include managed fields in the diff.
    #[arg(long)]
    pub show_managed_fields: bool,
    /// Number of objects to process in parallel when diffing against the live version. Larger number = faster, but more memory, I/O and CPU over that shorter period of time.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub concurrency: i32,
    /// (kubectl takes no arguments: `Unexpected args`)
    #[arg(hide = true)]
    pub args: Vec<String>,
}

/// kubectl's `CheckDiffErr`: every error of `diff` exits 2 (1 means differences were found).
fn diff_error(e: CliError) -> CliError {
    CliError { code: 2, ..e }
}

/// A flag error of `diff` as kubectl prints it: its flag error function makes every pflag
/// error a usage error (`See 'kubesim diff -h' for help and examples`), exiting 2.
pub fn flag_error(text: &str) -> String {
    let t = text.trim_end();
    let msg = t
        .strip_suffix("See 'kubesim diff --help' for usage.")
        .map(str::trim_end)
        .unwrap_or(t);
    let msg = msg.strip_prefix("error: ").unwrap_or(msg);
    format!("error: {msg}\nSee 'kubesim diff -h' for help and examples\n")
}

pub fn run(ctx: &Ctx, a: DiffArgs, out: &mut Out) -> CliResult {
    run_inner(ctx, &a, out).map_err(diff_error)
}

fn run_inner(ctx: &Ctx, a: &DiffArgs, out: &mut Out) -> CliResult {
    if !a.args.is_empty() {
        return Err(super::cobra::usage_error(
            "diff",
            &format!("Unexpected args: [{}]", a.args.join(" ")),
        ));
    }
    let kustomize = a.kustomize.as_deref().filter(|k| !k.is_empty());
    if a.filename.is_empty() && kustomize.is_none() {
        return Err(CliError::msg("must specify one of -f and -k"));
    }
    if a.force_conflicts && !a.server_side {
        return Err(CliError::msg(
            "--force-conflicts only works with --server-side",
        ));
    }
    if a.prune {
        return Err(CliError::msg(
            "--prune is not supported by kubesim: diff shows the objects of the files only, not those apply --prune would delete",
        ));
    }
    // The resource builder's own checks of -f, -k and -R.
    let mut builder = Vec::new();
    if !a.filename.is_empty() && kustomize.is_some() {
        builder.push("only one of -f or -k can be specified");
    }
    if kustomize.is_some() && a.recursive {
        builder.push("the -k flag can't be used with -f or -R");
    }
    match builder.as_slice() {
        [] => {}
        [one] => return Err(CliError::msg(one)),
        many => return Err(CliError::raw(many.join("\n"))),
    }
    if kustomize.is_some() {
        return Err(CliError::msg(
            "kubesim does not build kustomizations (-k): build it with `kustomize build DIR` and pass the result with -f - (or -f FILE)",
        ));
    }
    if a.server_side {
        return Err(CliError::msg(
            "kubesim has no server-side apply (--server-side): it keeps no managed fields to merge by; without the flag, diff shows what `kubesim apply` (client-side) would change",
        ));
    }
    // The resource builder's filter of the files' objects, in its words.
    let selector = match a.selector.as_deref() {
        None => None,
        Some(s) => Some(crate::api::selector::Selector::parse(s).map_err(|e| {
            CliError::msg(format!(
                "the provided selector {} is not valid: {e}",
                crate::util::go_quote(s)
            ))
        })?),
    };
    let manifests = resources::load_with(&a.filename, a.recursive, false)?;
    let mut api = ctx.open_read()?;
    let mut pairs: Vec<Pair> = Vec::new();
    for m in &manifests {
        if let Some(sel) = &selector {
            let labels = m.object.ptr("/metadata/labels").cloned();
            if !sel.matches_value(labels.as_ref()) {
                continue;
            }
        }
        let p = pair(ctx, &mut api, m, a.show_managed_fields, out)?;
        pairs.push(p);
    }
    let now = api.now();
    let seed = api.store.meta.rng;
    super::done(api);
    let dirs = Dirs::create(seed).map_err(|e| CliError::msg(e.to_string()))?;
    let r = dirs
        .write(&pairs, now)
        .map_err(|e| CliError::msg(e.to_string()))
        .and_then(|()| compare(&dirs, out));
    drop(dirs);
    if r? {
        out.failed = true;
    }
    Ok(())
}

/// One object of the files: its file name and the two sides (`None`: no live object).
struct Pair {
    name: String,
    live: Option<Value>,
    merged: Value,
    /// `null` instead of nothing for a missing live object (kubectl's masker's typed nil).
    live_null: bool,
}

/// The live and merged sides of one manifest, as diff.go's `InfoObject` and `Differ.Diff`
/// make them.
fn pair(
    ctx: &Ctx,
    api: &mut Api,
    m: &Manifest,
    show_managed_fields: bool,
    out: &mut Out,
) -> Result<Pair, CliError> {
    let info = apply::kind_of_manifest(m, ctx, "creating")?;
    let ns = apply::target_namespace(info, &m.object, ctx)?;
    let name = name_of(&m.object).to_string();
    let live = if name.is_empty() {
        None
    } else {
        api.try_get(info, &ns, &name)?
    };
    let context = live
        .as_ref()
        .map(|_| format!("error when patching \"{}\"", m.source));
    let d = decode::strict_decode(m.object.clone()).map_err(|e| match e {
        decode::DecodeError::Api(e) => CliError::raw(e.kubectl_message_in(context.as_deref())),
        other => CliError::msg(other.with_source(&m.source)),
    })?;
    // The API server's default field validation (Warn): unknown fields dropped, each named.
    apply::check_fields(&d, m, "patching", Validation::Warn, out)?;
    let mut local = d.object;
    if !ns.is_empty() {
        local.set("/metadata/namespace", json!(ns))?;
    }
    let merged = match &live {
        None => {
            let mut created = api.create(info, &ns, local)?;
            // A dry-run create stores nothing, so no resourceVersion is drawn.
            if let Some(md) = created.get_mut("metadata").and_then(Value::as_object_mut) {
                md.remove("resourceVersion");
            }
            created
        }
        Some(live) => merged_of(api, info, &ns, &local, live, &m.source)?,
    };
    if let Some(l) = &live
        && l.ptr("/metadata/deletionTimestamp").is_some()
    {
        out.warn(&format!(
            "Detected changes to resource {name} which is currently being deleted."
        ));
    }
    let mut live = live;
    let mut merged = merged;
    if !show_managed_fields {
        for o in live.iter_mut().chain(std::iter::once(&mut merged)) {
            if let Some(md) = o.get_mut("metadata").and_then(Value::as_object_mut) {
                md.remove("managedFields");
            }
        }
    }
    let secret =
        merged.get("kind").and_then(Value::as_str) == Some("Secret") && version_of(&merged) == "v1";
    if secret {
        mask_secret(live.as_mut(), &mut merged);
    }
    let api_version = m
        .object
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let file_ns = if info.namespaced {
        ns.clone()
    } else {
        crate::api::namespace_of(&m.object).to_string()
    };
    Ok(Pair {
        name: format!(
            "{}.{}.{file_ns}.{name}",
            api_version.replace('/', "."),
            info.kind
        ),
        live_null: secret && live.is_none(),
        live,
        merged,
    })
}

/// The version part of an object's apiVersion (`apps/v1` → `v1`).
fn version_of(obj: &Value) -> &str {
    let v = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    v.rsplit('/').next().unwrap_or(v)
}

/// The live object with apply's three-way merge of `local`, updated in memory (the server's
/// dry-run patch), with the live resourceVersion.
fn merged_of(
    api: &mut Api,
    info: &'static crate::api::kinds::KindInfo,
    ns: &str,
    local: &Value,
    live: &Value,
    source: &str,
) -> Result<Value, CliError> {
    let original = apply::last_applied_in(live);
    // kubectl's `GetModifiedConfiguration(obj, false, ...)`: the file's object without the
    // annotation (annotations `{}` when none is left), so the patch leaves the live one alone.
    let modified = apply::modified_configuration(local, ns);
    let mut merged = apply::three_way(original.as_ref(), &modified, live, &mut Vec::new());
    // The `{}` the modified configuration brings to an object without annotations: the API
    // server's ObjectMeta omits an empty map.
    if let Some(md) = merged.get_mut("metadata").and_then(Value::as_object_mut)
        && md
            .get("annotations")
            .and_then(Value::as_object)
            .is_some_and(|a| a.is_empty())
    {
        md.remove("annotations");
    }
    let rv = live
        .ptr("/metadata/resourceVersion")
        .cloned()
        .unwrap_or(Value::Null);
    merged.set("/metadata/resourceVersion", rv.clone())?;
    let mut updated = api.update(info, ns, merged).map_err(|e| {
        if e.reason == Reason::Invalid {
            CliError::from(e)
        } else {
            CliError::raw(e.kubectl_message_in(Some(&format!("error when patching \"{source}\""))))
        }
    })?;
    // A dry-run update writes nothing: the object keeps the live resourceVersion.
    updated.set("/metadata/resourceVersion", rv)?;
    Ok(updated)
}

/// kubectl's `Masker`: every value of a Secret's `data` becomes `***`, and a key whose value
/// differs between the two sides `*** (before)` and `*** (after)`.
fn mask_secret(live: Option<&mut Value>, merged: &mut Value) {
    let data = |o: &Value| o.get("data").and_then(Value::as_object).cloned();
    let from = live.as_deref().and_then(data);
    let to = data(merged);
    let mut masked_to = to.clone();
    let mut masked_from = from.clone();
    if let Some(f) = &mut masked_from {
        for (k, v) in f.iter_mut() {
            let other = to.as_ref().and_then(|t| t.get(k));
            let (before, after) = match other {
                Some(o) if o != &from.as_ref().expect("from")[k] => ("*** (before)", "*** (after)"),
                _ => ("***", "***"),
            };
            *v = json!(before);
            if let (Some(t), Some(_)) = (&mut masked_to, other) {
                t.insert(k.clone(), json!(after));
            }
        }
    }
    if let Some(t) = &mut masked_to {
        for (k, v) in t.iter_mut() {
            if !from.as_ref().is_some_and(|f| f.contains_key(k)) {
                *v = json!("***");
            }
        }
    }
    if let (Some(l), Some(f)) = (live, masked_from) {
        let _ = l.set("/data", Value::Object(f));
    }
    if let Some(t) = masked_to {
        let _ = merged.set("/data", Value::Object(t));
    }
}

/// The two temporary directories, removed when dropped (kubectl's `Differ.TearDown`).
struct Dirs {
    live: PathBuf,
    merged: PathBuf,
}

impl Dirs {
    /// `LIVE-<n>` and `MERGED-<n>` under the temporary directory, as Go's `os.MkdirTemp`
    /// names them (a decimal number); the numbers come from the state's seed, so the same
    /// state gives the same names, the next ones when a name is taken.
    fn create(seed: u64) -> std::io::Result<Dirs> {
        let live = temp_dir(seed, "LIVE")?;
        match temp_dir(seed, "MERGED") {
            Ok(merged) => Ok(Dirs { live, merged }),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&live);
                Err(e)
            }
        }
    }

    /// Writes each pair's two files (a later object of the same name replaces the earlier,
    /// as kubectl's truncating open does), their modification time the state's clock.
    fn write(&self, pairs: &[Pair], now: jiff::Timestamp) -> std::io::Result<()> {
        for p in pairs {
            let live = match &p.live {
                Some(o) => crate::print::yaml::to_yaml(o),
                None if p.live_null => "null\n".to_string(),
                None => String::new(),
            };
            write_file(&self.live.join(&p.name), &live, now)?;
            write_file(
                &self.merged.join(&p.name),
                &crate::print::yaml::to_yaml(&p.merged),
                now,
            )?;
        }
        Ok(())
    }
}

impl Drop for Dirs {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.live);
        let _ = std::fs::remove_dir_all(&self.merged);
    }
}

/// A new directory `<tmp>/<prefix>-<n>`, mode 0700.
fn temp_dir(seed: u64, prefix: &str) -> std::io::Result<PathBuf> {
    let base = std::env::temp_dir();
    let mut last = None;
    for attempt in 0..10_000u64 {
        let n = crate::util::names::Rng::keyed(seed, &format!("tmpdir/{prefix}"), attempt)
            .next_u64() as u32;
        let dir = base.join(format!("{prefix}-{n}"));
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        match b.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no temporary directory name left")))
}

fn write_file(path: &Path, text: &str, mtime: jiff::Timestamp) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o700);
    let mut f = o.open(path)?;
    f.write_all(text.as_bytes())?;
    f.set_modified(mtime.into())
}

/// Compares the two directories (`KUBECTL_EXTERNAL_DIFF` or kubesim's `diff -u -N`);
/// whether they differ.
fn compare(dirs: &Dirs, out: &mut Out) -> Result<bool, CliError> {
    match std::env::var("KUBECTL_EXTERNAL_DIFF") {
        Ok(v) if !v.is_empty() => external(&v, dirs, out),
        _ => {
            let text = gnu_diff_dirs(&dirs.live, &dirs.merged)
                .map_err(|e| CliError::msg(format!("failed to run \"diff\": {e}")))?;
            out.out.write_all(text.as_bytes())?;
            Ok(!text.is_empty())
        }
    }
}

/// The program and arguments of `KUBECTL_EXTERNAL_DIFF`: split at each space, the first
/// word the program, the others kept when they are letters, digits, `-` and `=` only
/// (kubectl drops the rest without a word).
pub fn external_command(v: &str) -> (String, Vec<String>) {
    let mut words = v.split(' ');
    let prog = words.next().unwrap_or("").to_string();
    let args = words
        .filter(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '=')
        })
        .map(str::to_string)
        .collect();
    (prog, args)
}

/// Runs `KUBECTL_EXTERNAL_DIFF` on the two directories with kubesim's standard output and
/// error: its status 0 is no difference, 1 (or a signal, which Go reports as -1)
/// differences, more an error.
fn external(v: &str, dirs: &Dirs, out: &mut Out) -> Result<bool, CliError> {
    let (prog, extra) = external_command(v);
    out.out.flush()?;
    out.err.flush()?;
    let failed = |e: String| {
        CliError::msg(format!(
            "failed to run {}: {e}",
            crate::util::go_quote(&prog)
        ))
    };
    let status = std::process::Command::new(&prog)
        .arg(&dirs.live)
        .arg(&dirs.merged)
        .args(&extra)
        .status()
        .map_err(|e| failed(spawn_error(&prog, &e)))?;
    match status.code() {
        Some(0) => Ok(false),
        Some(c) if c > 1 => Err(failed(format!("exit status {c}"))),
        _ => Ok(true),
    }
}

/// What Go's os/exec says when the program cannot be started: a name without a slash is
/// looked up in PATH (`executable file not found in $PATH`), a path is executed
/// (`fork/exec PATH: no such file or directory`).
fn spawn_error(prog: &str, e: &std::io::Error) -> String {
    if !prog.contains('/') {
        return "executable file not found in $PATH".to_string();
    }
    let errno = match e.raw_os_error() {
        Some(2) => "no such file or directory".to_string(),
        Some(13) => "permission denied".to_string(),
        Some(8) => "exec format error".to_string(),
        _ => {
            let s = e.to_string();
            let s = s.split(" (os error").next().unwrap_or(&s).to_string();
            s.to_lowercase()
        }
    };
    format!("fork/exec {prog}: {errno}")
}

/// GNU `diff -u -N FROM TO` of two directories of plain files: for each name in either
/// (in byte order) whose contents differ, `diff -u -N FROM/NAME TO/NAME`, the `---`/`+++`
/// lines with each file's modification time (a missing file is empty, dated the epoch), and
/// the hunks.
pub fn gnu_diff_dirs(from: &Path, to: &Path) -> std::io::Result<String> {
    let mut names = std::collections::BTreeSet::new();
    for d in [from, to] {
        for e in std::fs::read_dir(d)? {
            names.insert(e?.file_name());
        }
    }
    let mut s = String::new();
    for n in names {
        let (a, b) = (from.join(&n), to.join(&n));
        let (ta, ma) = read_dated(&a)?;
        let (tb, mb) = read_dated(&b)?;
        if ta == tb {
            continue;
        }
        let hunks = crate::print::unified::hunks(&ta, &tb);
        s.push_str(&format!(
            "diff -u -N {} {}\n--- {}\t{}\n+++ {}\t{}\n{hunks}",
            a.display(),
            b.display(),
            a.display(),
            gnu_time(ma),
            b.display(),
            gnu_time(mb)
        ));
    }
    Ok(s)
}

/// A file's text and modification time; a missing file is empty and dated the epoch, as
/// `diff -N` treats it.
fn read_dated(p: &Path) -> std::io::Result<(String, jiff::Timestamp)> {
    match std::fs::read(p) {
        Ok(bytes) => {
            let mtime = std::fs::metadata(p)?.modified()?;
            let t = jiff::Timestamp::try_from(mtime).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
            Ok((String::from_utf8_lossy(&bytes).into_owned(), t))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok((String::new(), jiff::Timestamp::UNIX_EPOCH))
        }
        Err(e) => Err(e),
    }
}

/// A time as GNU diff prints a file's in `---`/`+++` lines: local time (`TZ`), nanoseconds,
/// the offset (`2026-01-01 00:00:00.000000000 +0000`).
pub fn gnu_time(t: jiff::Timestamp) -> String {
    let z = t.to_zoned(jiff::tz::TimeZone::system());
    format!(
        "{}.{:09} {}",
        z.strftime("%Y-%m-%d %H:%M:%S"),
        z.subsec_nanosecond(),
        z.strftime("%z")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_diff_keeps_only_plain_arguments() {
        assert_eq!(
            external_command("colordiff -N -u"),
            (
                "colordiff".to_string(),
                vec!["-N".to_string(), "-u".to_string()]
            )
        );
        // Double spaces make empty words; paths, quotes and globs are dropped.
        assert_eq!(
            external_command("diff  --color=always /etc/x 'y' a*b --unified=5"),
            (
                "diff".to_string(),
                vec!["--color=always".to_string(), "--unified=5".to_string()]
            )
        );
        assert_eq!(external_command("meld"), ("meld".to_string(), vec![]));
    }

    #[test]
    fn secrets_are_masked_as_kubectls_masker_masks_them() {
        let mut live =
            json!({"kind": "Secret", "data": {"same": "YQ==", "changed": "YQ==", "gone": "Yg=="}});
        let mut merged =
            json!({"kind": "Secret", "data": {"same": "YQ==", "changed": "Yg==", "new": "Yw=="}});
        mask_secret(Some(&mut live), &mut merged);
        assert_eq!(
            live["data"],
            json!({"same": "***", "changed": "*** (before)", "gone": "***"})
        );
        assert_eq!(
            merged["data"],
            json!({"same": "***", "changed": "*** (after)", "new": "***"})
        );
        // A new Secret: only the merged side.
        let mut merged = json!({"kind": "Secret", "data": {"a": "YQ=="}});
        mask_secret(None, &mut merged);
        assert_eq!(merged["data"], json!({"a": "***"}));
        // No data on the live side: every merged key is new.
        let mut live = json!({"kind": "Secret"});
        let mut merged = json!({"kind": "Secret", "data": {"a": "YQ=="}});
        mask_secret(Some(&mut live), &mut merged);
        assert_eq!(live.get("data"), None);
        assert_eq!(merged["data"], json!({"a": "***"}));
    }

    #[test]
    fn spawn_errors_in_gos_words() {
        let nf = std::io::Error::from_raw_os_error(2);
        assert_eq!(
            spawn_error("nodiff", &nf),
            "executable file not found in $PATH"
        );
        assert_eq!(
            spawn_error("/no/diff", &nf),
            "fork/exec /no/diff: no such file or directory"
        );
        let denied = std::io::Error::from_raw_os_error(13);
        assert_eq!(
            spawn_error("./x", &denied),
            "fork/exec ./x: permission denied"
        );
    }

    #[test]
    fn directories_compare_as_gnu_diff_compares_them() {
        let base = std::env::temp_dir().join(format!("kubesim-diffdirs-{}", std::process::id()));
        let (a, b) = (base.join("LIVE-1"), base.join("MERGED-2"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let t: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        write_file(&a.join("v1.ConfigMap.default.same"), "a: 1\n", t).unwrap();
        write_file(&b.join("v1.ConfigMap.default.same"), "a: 1\n", t).unwrap();
        write_file(&a.join("v1.ConfigMap.default.new"), "", t).unwrap();
        write_file(&b.join("v1.ConfigMap.default.new"), "a: 1\n", t).unwrap();
        write_file(&a.join("apps.v1.Deployment.default.web"), "x: 1\n", t).unwrap();
        write_file(&b.join("apps.v1.Deployment.default.web"), "x: 2\n", t).unwrap();
        let got = gnu_diff_dirs(&a, &b).unwrap();
        let stamp = gnu_time(t);
        let (la, lb) = (a.display(), b.display());
        let want = format!(
            "diff -u -N {la}/apps.v1.Deployment.default.web {lb}/apps.v1.Deployment.default.web\n\
             --- {la}/apps.v1.Deployment.default.web\t{stamp}\n\
             +++ {lb}/apps.v1.Deployment.default.web\t{stamp}\n\
             @@ -1 +1 @@\n-x: 1\n+x: 2\n\
             diff -u -N {la}/v1.ConfigMap.default.new {lb}/v1.ConfigMap.default.new\n\
             --- {la}/v1.ConfigMap.default.new\t{stamp}\n\
             +++ {lb}/v1.ConfigMap.default.new\t{stamp}\n\
             @@ -0,0 +1 @@\n+a: 1\n"
        );
        assert_eq!(got, want);
        let _ = std::fs::remove_dir_all(&base);
    }
}
