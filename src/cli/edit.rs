//! `kubesim edit (TYPE NAME | TYPE/NAME | -f FILE)`: kubectl 1.33's edit
//! (kubectl/pkg/cmd/edit, cmd/util/editor/editoptions.go and editor.go).
//!
//! The live objects (one, or a `List` of several) are written to a temporary file
//! `kubesim-edit-XXXXX.yaml` under kubectl's header comment and handed to the editor
//! (`KUBE_EDITOR`, else `EDITOR`, else `vi`; split or run through `$SHELL -c` by kubectl's
//! rules). What comes back is compared without comments to what went out (`Edit cancelled, no
//! changes made.`), parsed, and each changed object patched on the live one with the strategic
//! merge patch from the original to the edited object (`api::patch::two_way_merge_patch`), as
//! the API server applies it. An invalid change or a syntax error re-opens the file with the
//! reasons in its header; saving it unchanged then gives up, keeping the copy. The state is not
//! locked while the editor runs (kubectl holds nothing either): the patch lands on the object
//! as it is when the editor returns.

use super::apply::{Validation, report, save_configuration};
use super::flags;
use super::resources::{self, Selection};
use super::{CliError, CliResult, Ctx, Out};
use crate::api::errors::{ApiError, BadValue, FieldError, Reason};
use crate::api::kinds::KindInfo;
use crate::api::{Api, decode, name_of, patch};
use crate::print::output::Format;
use crate::util::fields::Fields;
use crate::util::ptr::Ptr;
use clap::Args;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::usage("Filename, directory, or URL to files to use to edit the resource")
))]
pub struct EditArgs {
    /// RESOURCE/NAME | RESOURCE NAME
    #[arg(value_name = "ARGS", add = super::completion::resource_args())]
    pub args: Vec<String>,
    #[command(flatten)]
    pub files: flags::FilenameFlags,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    /// Output the patch if the resource is edited.
    #[arg(long)]
    pub output_patch: bool,
    /// Defaults to the line ending native to your platform.
    #[arg(long)]
    pub windows_line_endings: bool,
    /// If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.
    #[arg(long)]
    pub save_config: bool,
    /// If specified, edit will operate on the subresource of the requested object.
    #[arg(long)]
    pub subresource: Option<String>,
    #[command(flatten)]
    pub validate: flags::ValidateFlags,
    #[command(flatten)]
    pub record: super::goflags::RecordFlag,
    #[command(flatten)]
    pub managed: super::goflags::ManagedFieldsFlags,
}

/// kubectl's header of the file to edit.
const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

/// A reason the file is opened again (editoptions.go `editReason`).
struct EditReason {
    head: String,
    other: Vec<String>,
}

/// What one pass did (editoptions.go `editResults`).
#[derive(Default)]
pub struct Results {
    reasons: Vec<EditReason>,
    retryable: usize,
    notfound: usize,
    /// Objects whose change was invalid (to be edited again).
    edit: usize,
    /// The file of this pass.
    file: Option<PathBuf>,
}

impl Results {
    /// `addError`: the line printed on stderr, the reason kept for the header.
    fn add_error(&mut self, e: &ApiError, info: &KindInfo, name: &str) -> String {
        let resource = info.resource();
        match e.reason {
            Reason::Invalid => {
                self.edit += 1;
                let other = e
                    .details
                    .as_ref()
                    .map(|d| d.causes.iter().map(|c| c.to_string()).collect())
                    .unwrap_or_default();
                self.reasons.push(EditReason {
                    head: format!("{resource} {} was not valid", go_quote(name)),
                    other,
                });
                format!("error: {resource} {} is invalid", go_quote(name))
            }
            Reason::NotFound => {
                self.notfound += 1;
                format!(
                    "error: {resource} {} could not be found on the server",
                    go_quote(name)
                )
            }
            _ => {
                self.retryable += 1;
                format!(
                    "error: {resource} {} could not be patched: {}",
                    go_quote(name),
                    e.message
                )
            }
        }
    }
}

fn go_quote(s: &str) -> String {
    crate::util::go_quote(s)
}

/// `hashOnLineBreak`: a `# ` after every line break not already followed by `#`.
fn hash_on_line_break(s: &str) -> String {
    let b = s.as_bytes();
    let mut r = String::new();
    for (i, ch) in s.char_indices() {
        if ch == '\n' && i + 1 < b.len() && b[i + 1] != b'#' {
            r.push_str("\n# ");
        } else {
            r.push(ch);
        }
    }
    r
}

/// `editHeader.writeTo`.
fn header(reasons: &[EditReason]) -> String {
    let mut h = HEADER.to_string();
    for r in reasons {
        if r.other.is_empty() {
            h.push_str(&format!("# {}\n", hash_on_line_break(&r.head)));
        } else {
            h.push_str(&format!("# {}:\n", hash_on_line_break(&r.head)));
        }
        for o in &r.other {
            h.push_str(&format!("# * {}\n", hash_on_line_break(o)));
        }
        h.push_str("#\n");
    }
    h
}

/// cmdutil's `ManualStrip`: the lines that are not comments (`#!` is not one).
fn manual_strip(file: &[u8]) -> Vec<u8> {
    let lines: Vec<&[u8]> = file.split(|&c| c == b'\n').collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_ascii();
        if t.starts_with(b"#") && !t.starts_with(b"#!") {
            continue;
        }
        out.extend_from_slice(line);
        if i + 1 < lines.len() {
            out.push(b'\n');
        }
    }
    out
}

/// cmdutil's `StripComments`: the file as JSON (its first document, keys sorted), or with
/// its comment lines dropped when it does not parse.
fn strip_comments(file: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(file) else {
        return manual_strip(file);
    };
    let parsed = match decode::yaml_to_json(text) {
        Ok(Some(v)) => Some(v),
        Ok(None) => serde_json::from_str::<Value>(text).ok(),
        Err(_) => None,
    };
    match parsed {
        Some(v) => serde_json::to_vec(&v).unwrap_or_default(),
        None => manual_strip(file),
    }
}

/// `hasLines`: a line that is neither blank nor a comment.
fn has_lines(file: &[u8]) -> bool {
    file.split(|&c| c == b'\n').any(|l| {
        let t = l.trim_ascii();
        !t.is_empty() && t[0] != b'#'
    })
}

/// The editor command (`defaultEnvEditor`): `KUBE_EDITOR`, `EDITOR`, else `vi`; without a
/// space it is the program, with spaces but no quote or backslash it is split on spaces,
/// otherwise it runs through `$SHELL -c` (`/bin/bash` when unset) with the path quoted.
fn editor() -> (Vec<String>, bool) {
    let editor = ["KUBE_EDITOR", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "vi".to_string());
    if !editor.contains(' ') {
        return (vec![editor], false);
    }
    if !editor.contains(['"', '\'', '\\']) {
        return (editor.split(' ').map(str::to_string).collect(), false);
    }
    let shell = std::env::var("SHELL")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "/bin/bash".to_string());
    (vec![shell, "-c".to_string(), editor], true)
}

/// `Editor.Launch`: runs the editor on `path` with the terminal's streams.
fn launch(path: &Path) -> Result<(), CliError> {
    let (args, shell) = editor();
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut argv = args.clone();
    if shell {
        let last = argv.pop().unwrap_or_default();
        argv.push(format!("{last} {}", go_quote(&abs.to_string_lossy())));
    } else {
        argv.push(abs.to_string_lossy().into_owned());
    }
    let shown = args.join(" ");
    match std::process::Command::new(&argv[0])
        .args(&argv[1..])
        .status()
    {
        Ok(s) if s.success() => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(CliError::msg(format!(
            "unable to launch the editor {}",
            go_quote(&shown)
        ))),
        _ => Err(CliError::msg(format!(
            "there was a problem with the editor {}",
            go_quote(&shown)
        ))),
    }
}

/// The temporary file's name: `<program>-edit-XXXXX<ext>` in the temporary directory
/// (`$TMPDIR`, else `/tmp`), five characters of `[a-z0-9]` drawn from the state's seed, so a
/// fresh state names its files alike; a name taken is drawn again.
fn temp_file(seed: u64, key: &str, ext: &str, data: &[u8]) -> Result<PathBuf, CliError> {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let prog = std::env::args()
        .next()
        .map(|a| {
            Path::new(&a)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or(a)
        })
        .unwrap_or_else(|| "kubesim".into());
    let dir = std::env::temp_dir();
    for n in 0..10_000u64 {
        let mut r = crate::util::names::Rng::keyed(seed, key, n);
        let suffix: String = (0..5)
            .map(|_| LETTERS[(r.next_u64() % LETTERS.len() as u64) as usize] as char)
            .collect();
        let path = dir.join(format!("{prog}-edit-{suffix}{ext}"));
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        match opts.open(&path) {
            Ok(mut f) => {
                f.write_all(data)?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(CliError::msg("could not create a temporary file"))
}

/// `preservedFile`: says where the user's changes are kept, then the error.
fn preserved(e: CliError, file: Option<&Path>, out: &mut Out) -> CliError {
    if let Some(f) = file
        && f.exists()
    {
        let _ = writeln!(
            out.err,
            "A copy of your changes has been stored to {}",
            go_quote(&f.to_string_lossy())
        );
    }
    e
}

/// The crlf writer of `--windows-line-endings`.
fn crlf(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for (i, &c) in text.iter().enumerate() {
        if c == b'\n' && (i == 0 || text[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(c);
    }
    out
}

/// The live objects to edit, as one document (one object, or kubectl's `List`).
fn document(objs: &[(&'static KindInfo, Value)]) -> Value {
    match objs {
        [(_, o)] => o.clone(),
        _ => serde_json::json!({
            "apiVersion": "v1",
            "items": objs.iter().map(|(_, o)| o.clone()).collect::<Vec<_>>(),
            "kind": "List",
            "metadata": {},
        }),
    }
}

fn uid_of(v: &Value) -> Option<&str> {
    v.ptr("/metadata/uid").and_then(Value::as_str)
}

/// Objects with their kinds.
pub type Objects = Vec<(&'static KindInfo, Value)>;

/// The live objects to edit (kubectl's builder with `Latest()`), read and let go of before
/// the editor runs, and the state's seed (the temporary files' names).
fn live_objects(ctx: &Ctx, a: &EditArgs) -> Result<(Objects, u64), CliError> {
    let mut api = ctx.open_read()?;
    let sel = Selection::named(&a.args, &a.files, "editing");
    let targets = resources::select(ctx, &mut api, &sel)?;
    let mut objs = Vec::new();
    for t in &targets {
        let mut o = api.get(t.info, &t.namespace, &t.name)?;
        if let Some(m) = o.get_mut("metadata").and_then(Value::as_object_mut) {
            m.remove("managedFields");
        }
        objs.push((t.info, o));
    }
    let seed = api.store.meta.rng;
    drop(api);
    Ok((objs, seed))
}

/// What the end of a pass means (editoptions.go after `visitToPatch`): `None` to open the
/// editor again (invalid changes), or the command's end.
fn after_pass(results: &Results, file: &Path, out: &mut Out) -> Option<CliResult> {
    if results.retryable > 0 {
        let _ = writeln!(
            out.err,
            "You can run `{} replace -f {}` to try this update again.",
            prog_name(),
            file.display()
        );
        out.failed = true;
        return Some(Ok(()));
    }
    if results.notfound > 0 {
        let _ = writeln!(
            out.err,
            "The edits you made on deleted resources have been saved to {}",
            go_quote(&file.to_string_lossy())
        );
        out.failed = true;
        return Some(Ok(()));
    }
    if results.edit == 0 {
        let _ = std::fs::remove_file(file);
        return Some(Ok(()));
    }
    None
}

pub fn run(ctx: &Ctx, a: EditArgs, out: &mut Out) -> CliResult {
    let fmt = a.output.format()?;
    let json = a.output.as_deref() == Some("json");
    let validation = a.validate.mode()?;
    if let Some(s) = a.subresource.as_deref()
        && !s.is_empty()
        && s != "status"
    {
        return Err(CliError::msg(format!(
            "invalid subresource value: {}. Must be one of [status]",
            go_quote(s)
        )));
    }
    let (originals, seed) = live_objects(ctx, &a)?;
    if originals.is_empty() {
        return Err(CliError::msg("edit cancelled, no objects found"));
    }
    let cause = a.record.cause();
    let session = Session {
        json,
        windows_line_endings: a.windows_line_endings,
        validation,
    };
    let pass_ctx = PassCtx {
        ctx,
        a: &a,
        fmt: &fmt,
        validation,
        cause: cause.as_deref(),
        originals: &originals,
    };
    edit_loop(
        &session,
        &originals,
        seed,
        out,
        &mut |updated, results, out| pass_ctx.patch_all(updated, results, out),
    )
}

/// How the file is written and read back.
pub struct Session {
    /// `-o json`: a `.json` file without the header.
    pub json: bool,
    pub windows_line_endings: bool,
    pub validation: Validation,
}

/// The edit loop of editoptions.go's `editFn`: write the file, run the editor, compare, parse,
/// and hand the edited objects to `apply` (the patches, or `create --edit`'s creations),
/// opening the file again while `apply` leaves invalid changes in `results`.
// Long because: editFn is one loop whose steps share its state (the file, the last edit, the
// reasons), in upstream's order.
pub fn edit_loop(
    session: &Session,
    originals: &Objects,
    seed: u64,
    out: &mut Out,
    apply: &mut dyn FnMut(Vec<Value>, &mut Results, &mut Out) -> CliResult,
) -> CliResult {
    let json = session.json;
    let validation = session.validation;
    let ext = if json { ".json" } else { ".yaml" };
    let key = format!(
        "edit/{}",
        originals
            .iter()
            .map(|(_, o)| uid_of(o).unwrap_or_else(|| name_of(o)))
            .collect::<Vec<_>>()
            .join(",")
    );
    let doc = document(originals);
    let printed = if json {
        crate::print::output::json_text(&doc)
    } else {
        crate::print::yaml::to_yaml(&doc)
    };
    let mut results = Results::default();
    let mut original: Vec<u8> = Vec::new();
    let mut edited: Vec<u8> = Vec::new();
    let mut contains_error = false;
    let mut pass = 0u64;
    loop {
        let mut buf = String::new();
        if !json {
            buf.push_str(&header(&results.reasons));
        }
        let mut bytes = if contains_error {
            let mut b = buf.into_bytes();
            b.extend(manual_strip(&edited));
            b
        } else {
            buf.push_str(&printed);
            buf.into_bytes()
        };
        if session.windows_line_endings {
            bytes = crlf(&bytes);
        }
        if !contains_error {
            original = bytes.clone();
        }
        let edited_before = std::mem::take(&mut edited);
        let file = temp_file(seed, &format!("{key}/{pass}"), ext, &bytes)
            .map_err(|e| preserved(e, results.file.as_deref(), out))?;
        pass += 1;
        if let Err(e) = launch(&file) {
            return Err(preserved(e, results.file.as_deref(), out));
        }
        edited = std::fs::read(&file).map_err(|e| preserved(e.into(), Some(&file), out))?;
        if contains_error && strip_comments(&edited_before) == strip_comments(&edited) {
            return Err(preserved(
                CliError::msg("Edit cancelled, no valid changes were saved."),
                Some(&file),
                out,
            ));
        }
        if let Some(old) = results.file.take() {
            let _ = std::fs::remove_file(old);
        }
        // Client-side validation (strict): the document must say what it is.
        if validation == Validation::Strict
            && let Some(missing) = missing_type(&strip_comments(&edited))
        {
            results = Results {
                file: Some(file.clone()),
                ..Results::default()
            };
            contains_error = true;
            let e = ApiError::invalid(
                "",
                "",
                "",
                vec![FieldError::invalid(
                    "<nil>",
                    BadValue::Str("The edited file failed validation".into()),
                    missing,
                )],
            );
            let (info, o) = &originals[0];
            let line = results.add_error(&e, info, name_of(o));
            let _ = writeln!(out.err, "{line}");
            continue;
        }
        if strip_comments(&original) == strip_comments(&edited) {
            let _ = std::fs::remove_file(&file);
            let _ = writeln!(out.err, "Edit cancelled, no changes made.");
            return Ok(());
        }
        if !has_lines(&edited) {
            let _ = std::fs::remove_file(&file);
            let _ = writeln!(out.err, "Edit cancelled, saved file was empty.");
            return Ok(());
        }
        results = Results {
            file: Some(file.clone()),
            ..Results::default()
        };
        let updated = match parse_edited(&edited) {
            Ok(u) => u,
            Err(e) => {
                contains_error = true;
                results.reasons.push(EditReason {
                    head: format!("The edited file had a syntax error: {e}"),
                    other: Vec::new(),
                });
                continue;
            }
        };
        contains_error = false;
        apply(updated, &mut results, out).map_err(|e| preserved(e, Some(&file), out))?;
        if let Some(end) = after_pass(&results, &file, out) {
            return end;
        }
        if !results.reasons.is_empty() {
            contains_error = true;
        }
    }
}

fn prog_name() -> String {
    std::env::args()
        .next()
        .and_then(|a| {
            Path::new(&a)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "kubesim".into())
}

/// `getObjectKind`'s errors for a document without `apiVersion` or `kind`.
fn missing_type(stripped: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(stripped).ok()?;
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").is_empty();
    match (s("apiVersion"), s("kind")) {
        (false, false) => None,
        (true, false) => Some("apiVersion not set".into()),
        (false, true) => Some("kind not set".into()),
        (true, true) => Some("[apiVersion not set, kind not set]".into()),
    }
}

/// The edited file's objects (the builder's stream `edited-file`, lists flattened).
fn parse_edited(data: &[u8]) -> Result<Vec<Value>, String> {
    let docs = decode::parse_documents_unchecked(data, "edited-file").map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for d in docs {
        if d.is_null() {
            continue;
        }
        resources::unstructured_check(&d, "edited-file").map_err(|e| {
            e.text
                .strip_prefix("error: ")
                .unwrap_or(&e.text)
                .to_string()
        })?;
        out.extend(decode::flatten_list(d));
    }
    Ok(out)
}

/// What a pass of patches needs.
struct PassCtx<'a> {
    ctx: &'a Ctx,
    a: &'a EditArgs,
    fmt: &'a Format,
    validation: Validation,
    cause: Option<&'a str>,
    originals: &'a [(&'static KindInfo, Value)],
}

impl PassCtx<'_> {
    /// `visitToPatch` over the edited objects: skipped, patched (`edited`), or an error kept
    /// in `results`; the state committed (after the controllers ran) when anything changed.
    fn patch_all(&self, updated: Vec<Value>, results: &mut Results, out: &mut Out) -> CliResult {
        let mut edited = Vec::new();
        for mut obj in updated {
            let info = kind_of(&obj)?;
            require_namespace(self.ctx, info, &mut obj)?;
            if self.a.save_config {
                save_configuration(&mut obj)?;
            }
            super::goflags::record(&mut obj, self.cause);
            edited.push((info, obj));
        }
        let mut api: Option<Api> = None;
        let mut changed = false;
        for (info, obj) in edited {
            let Some((_, orig)) = self
                .originals
                .iter()
                .find(|(_, o)| uid_of(o) == uid_of(&obj))
            else {
                return Err(CliError::msg(format!(
                    "no original object found for {}",
                    crate::print::jsonpath::go_quote(
                        &serde_json::to_string(&obj).unwrap_or_default()
                    )
                )));
            };
            out.yaml_docs = 0;
            if *orig == obj {
                report(out, self.fmt, info, &obj, "skipped")?;
                continue;
            }
            let p = patch::two_way_merge_patch(info.kind, orig, &obj);
            let meta_name = p.ptr("/metadata/name").is_some();
            if ["apiVersion", "kind", "managedFields"]
                .iter()
                .any(|k| p.get(*k).is_some())
                || meta_name
            {
                return Err(CliError::msg(
                    "At least one of apiVersion, kind and name was changed",
                ));
            }
            if self.a.output_patch {
                let _ = writeln!(
                    out.out,
                    "Patch: {}",
                    serde_json::to_string(&p).unwrap_or_default()
                );
            }
            if api.is_none() {
                api = Some(self.ctx.open_write()?);
            }
            let api_ref = api.as_mut().expect("opened");
            let name = name_of(orig).to_string();
            let ns = orig
                .ptr("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            match self.apply(api_ref, info, &ns, &name, &p) {
                Ok(stored) => {
                    changed = true;
                    super::apply::print_warnings(api_ref, out);
                    report(out, self.fmt, info, &stored, "edited")?;
                }
                Err(e) => {
                    let line = results.add_error(&e, info, &name);
                    let _ = writeln!(out.err, "{line}");
                }
            }
        }
        if let Some(mut api) = api {
            if changed {
                self.ctx.settle_and_commit(&mut api)?;
            }
            drop(api);
        }
        Ok(())
    }

    /// The PATCH request: the patch applied to the stored object, decoded as the server
    /// decodes it (field validation as `--validate` asks), then stored (the status
    /// subresource with `--subresource=status`).
    fn apply(
        &self,
        api: &mut Api,
        info: &'static KindInfo,
        ns: &str,
        name: &str,
        p: &Value,
    ) -> Result<Value, ApiError> {
        let live = api.get(info, ns, name)?;
        let mut obj = live.clone();
        patch::strategic_merge_patch(info.kind, &mut obj, p)
            .map_err(|e| ApiError::new(Reason::InternalError, e.0))?;
        let obj = super::patch::decode_for_validation(obj, p, self.validation, api)?;
        let mut obj = obj;
        obj.set("/metadata/name", Value::from(name))?;
        if info.namespaced {
            obj.set("/metadata/namespace", Value::from(ns))?;
        }
        if obj == live {
            return Ok(live);
        }
        match self.a.subresource.as_deref() {
            Some("status") => api.update_status(info, ns, obj),
            _ => api.update(info, ns, obj),
        }
    }
}

/// `RequireNamespace`: an edited object without a namespace takes the command's; another
/// namespace than the command's is refused.
fn require_namespace(ctx: &Ctx, info: &KindInfo, obj: &mut Value) -> CliResult {
    let ns = ctx.namespace()?;
    if !info.namespaced {
        return Ok(());
    }
    let ons = obj
        .ptr("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if ons.is_empty() {
        obj.set("/metadata/namespace", Value::from(ns))?;
    } else if ons != ns {
        return Err(CliError::msg(format!(
            "the namespace from the provided object {} does not match the namespace {}. You must pass '--namespace={ons}' to perform this operation.",
            go_quote(&ons),
            go_quote(&ns)
        )));
    }
    Ok(())
}

/// `kubectl create --edit -f FILE` (EditBeforeCreateMode): each object of the files edited on
/// its own, then created (`service/my-svc created`); an error creating it ends the command,
/// the edited file kept.
pub fn create_with_edit(
    ctx: &Ctx,
    objects: Objects,
    fmt: &Format,
    session: &Session,
    save_config: bool,
    cause: Option<&str>,
    out: &mut Out,
) -> CliResult {
    let seed = {
        let api = ctx.open_read()?;
        let seed = api.store.meta.rng;
        drop(api);
        seed
    };
    for (info, obj) in objects {
        let originals = vec![(info, obj)];
        edit_loop(
            session,
            &originals,
            seed,
            out,
            &mut |updated, _results, out| {
                for mut obj in updated {
                    let info = kind_of(&obj)?;
                    require_namespace(ctx, info, &mut obj)?;
                    if save_config {
                        save_configuration(&mut obj)?;
                    }
                    super::goflags::record(&mut obj, cause);
                    let ns = obj
                        .ptr("/metadata/namespace")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    let mut api = ctx.open_write()?;
                    let created = api.create(info, &ns, obj)?;
                    super::apply::print_warnings(&mut api, out);
                    out.yaml_docs = 0;
                    report(out, fmt, info, &created, "created")?;
                    ctx.settle_and_commit(&mut api)?;
                    drop(api);
                }
                Ok(())
            },
        )?;
    }
    Ok(())
}

/// The kind of an edited object, by its apiVersion and kind.
fn kind_of(obj: &Value) -> Result<&'static KindInfo, CliError> {
    let s = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or("");
    crate::api::kinds::by_api_version_kind(s("apiVersion"), s("kind")).ok_or_else(|| {
        CliError::msg(format!(
            "unable to recognize \"edited-file\": no matches for kind {} in version {}",
            go_quote(s("kind")),
            go_quote(s("apiVersion"))
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_stripped_as_cmdutil_strips_them() {
        assert_eq!(
            manual_strip(b"# a\n  # b\n#!keep\nx: 1\n"),
            b"#!keep\nx: 1\n".to_vec()
        );
        // Parsed, the same object however it is laid out.
        assert_eq!(
            strip_comments(b"# c\nb: 1\na: 2\n"),
            strip_comments(b"a: 2\nb: 1")
        );
        assert!(!has_lines(b"# only\n   \n# comments\n"));
        assert!(has_lines(b"# c\nkind: x\n"));
    }

    #[test]
    fn header_lists_the_reasons() {
        let h = header(&[EditReason {
            head: "deployments.apps \"web\" was not valid".into(),
            other: vec![
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0".into(),
            ],
        }]);
        assert!(h.ends_with("#\n# deployments.apps \"web\" was not valid:\n# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\n"));
        assert_eq!(hash_on_line_break("a\nb\n#c"), "a\n# b\n#c");
    }

    #[test]
    fn crlf_only_where_missing() {
        assert_eq!(crlf(b"a\nb\r\n"), b"a\r\nb\r\n".to_vec());
    }
}
