//! kubectl parses its flags with Go's pflag, and some of what pflag accepts clap does not by
//! default. This module adapts the command tree once, before parsing:
//!
//! - A boolean flag also takes a value after `=`: `--all=true`, `--overwrite=false`,
//!   `-A=t`, read as Go's `strconv.ParseBool` reads it (`1 t T TRUE true True`, and the
//!   same for false); a bad value is pflag's error
//!   (`invalid argument "x" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "x": invalid syntax`).
//!   A value never comes from the next word (`--all pods`: `pods` is an argument).
//! - [`change_cause`]: the command line as kubectl's deprecated `--record` writes it into
//!   `kubernetes.io/change-cause` (cli-runtime's `parseCommandArguments`).

use crate::controllers::deployment::util::CHANGE_CAUSE_ANNOTATION;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, ArgAction, Command};
use std::ffi::OsStr;

/// pflag's message for a value that is not a Go boolean.
const PARSE_BOOL: &str = "strconv.ParseBool";

/// Go's `strconv.ParseBool`.
fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

pub use crate::util::go_parse_duration;

/// A Go `time.Duration` flag (`--timeout=5m`): the text is kept, and a bad one is pflag's
/// error (`invalid argument "x" for "--timeout" flag: time: invalid duration "x"`).
#[derive(Clone)]
pub struct GoDuration;

impl TypedValueParser for GoDuration {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        let v = value.to_string_lossy().to_string();
        go_parse_duration(&v)
            .map(|_| v.clone())
            .map_err(|e| pflag_error(arg, &v, &e))
    }
}

/// pflag's error for a flag value its type does not parse.
pub fn pflag_error(arg: Option<&Arg>, value: &str, why: &str) -> clap::Error {
    clap::Error::raw(
        clap::error::ErrorKind::ValueValidation,
        format!(
            "invalid argument {value:?} for \"{}\" flag: {why}",
            flag_display(arg)
        ),
    )
}

/// Whether a clap error is one of pflag's value errors made here.
pub fn is_pflag_value_error(text: &str) -> bool {
    text.contains("invalid argument \"") && text.contains("\" flag: ")
}

/// The flag as pflag names it in errors: `--watch`, or `-w, --watch` when it has a shorthand.
fn flag_display(arg: Option<&Arg>) -> String {
    let Some(a) = arg else {
        return "?".to_string();
    };
    let long = a.get_long().unwrap_or_else(|| a.get_id().as_str());
    match a.get_short() {
        Some(s) => format!("-{s}, --{long}"),
        None => format!("--{long}"),
    }
}

#[derive(Clone)]
struct GoBool;

impl TypedValueParser for GoBool {
    type Value = bool;

    fn parse_ref(
        &self,
        _cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<bool, clap::Error> {
        let v = value.to_string_lossy();
        parse_go_bool(&v).ok_or_else(|| {
            pflag_error(
                arg,
                &v,
                &format!("{PARSE_BOOL}: parsing {v:?}: invalid syntax"),
            )
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        // Completion offers the flag, not its values.
        None
    }
}

/// Whether `a` is a boolean flag: clap's `SetTrue`, or a `bool` option (`--watch[=false]`).
fn is_bool_flag(a: &Arg) -> bool {
    matches!(a.get_action(), ArgAction::SetTrue)
        || (matches!(a.get_action(), ArgAction::Set)
            && a.get_value_parser().type_id() == clap::builder::ValueParser::bool().type_id())
}

fn go_bool_arg(a: Arg) -> Arg {
    if !is_bool_flag(&a) {
        return a;
    }
    let set_true = matches!(a.get_action(), ArgAction::SetTrue);
    let a = a
        .action(ArgAction::Set)
        .num_args(0..=1)
        .require_equals(true)
        .default_missing_value("true")
        .value_parser(GoBool);
    if set_true {
        // Help shows `--all[=<true|false>]`, without clap's `[default: false]`.
        a.default_value("false")
            .hide_default_value(true)
            .value_name("true|false")
    } else {
        a
    }
}

/// The command tree with pflag's boolean flags everywhere.
pub fn adapt(cmd: Command) -> Command {
    let cmd = cmd.mut_args(|a| super::cobra::go_int_arg(go_bool_arg(a)));
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    subs.into_iter()
        .fold(cmd, |c, name| c.mut_subcommand(name, adapt))
}

/// A command line as pflag sees it.
#[derive(Debug, Default, PartialEq)]
pub struct Line {
    /// The subcommands named (`["rollout", "undo"]`).
    pub path: Vec<String>,
    /// Every word that is not a flag or a flag's value, the subcommands' names included.
    pub words: Vec<String>,
    /// Every flag given, by its long name, with its value (`"true"` for a bare boolean), in
    /// the order given.
    pub flags: Vec<(String, String)>,
}

/// Splits `argv` (without the program) into subcommands, words and flags, reading each
/// flag's value as the command tree says it takes one.
pub fn parse_line(args: &[String]) -> Line {
    let mut root = super::completion::command();
    root.build();
    let mut cmd = &root;
    let mut line = Line::default();
    let mut descending = true;
    let mut rest = args.iter();
    let mut only_words = false;
    while let Some(tok) = rest.next() {
        if only_words || tok == "-" || !tok.starts_with('-') {
            match cmd.find_subcommand(tok) {
                Some(sub) if descending && !only_words => {
                    cmd = sub;
                    line.path.push(tok.clone());
                }
                _ => descending = false,
            }
            line.words.push(tok.clone());
            continue;
        }
        if tok == "--" {
            only_words = true;
            continue;
        }
        if let Some(long) = tok.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let arg = cmd.get_arguments().find(|a| a.get_long() == Some(name));
            let value = match (inline, arg) {
                (Some(v), _) => v,
                (None, Some(a)) if takes_separate_value(a) => {
                    rest.next().cloned().unwrap_or_default()
                }
                _ => "true".to_string(),
            };
            line.flags.push((name.to_string(), value));
            continue;
        }
        // A cluster of shorthands: `-it`, `-fFILE`, `-f FILE`, `-A=true`.
        let chars: Vec<char> = tok[1..].chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let arg = cmd.get_arguments().find(|a| a.get_short() == Some(c));
            let name = arg
                .and_then(Arg::get_long)
                .map(str::to_string)
                .unwrap_or_else(|| c.to_string());
            let tail: String = chars[i + 1..].iter().collect();
            match arg {
                Some(a) if takes_separate_value(a) => {
                    let v = if !tail.is_empty() {
                        tail.strip_prefix('=').unwrap_or(&tail).to_string()
                    } else {
                        rest.next().cloned().unwrap_or_default()
                    };
                    line.flags.push((name, v));
                    break;
                }
                _ if tail.starts_with('=') => {
                    line.flags.push((name, tail[1..].to_string()));
                    break;
                }
                _ => line.flags.push((name, "true".to_string())),
            }
        }
    }
    line
}

/// What `--record` writes into `kubernetes.io/change-cause`: the program's base name, the
/// words that are not flags (the command path included), then every flag given as
/// `--long=value` in the order given (`--local` is `--local=true`, `-f x` is
/// `--filename=x`), as cli-runtime's `parseCommandArguments` builds it from `os.Args`.
fn change_cause(argv: &[String]) -> String {
    let Some(prog) = argv.first() else {
        return String::new();
    };
    let mut cause = std::path::Path::new(prog)
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| prog.clone());
    let line = parse_line(&argv[1..]);
    for w in &line.words {
        cause.push(' ');
        cause.push_str(w);
    }
    for (name, value) in &line.flags {
        cause.push_str(&format!(" --{name}={value}"));
    }
    cause
}

/// kubectl's field-management flags, taken for what they say: kubesim keeps no
/// `managedFields` (there is no server-side apply), so there is nothing for them to change.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ManagedFieldsFlags {
    /// Name of the manager used to track field ownership (kubesim keeps no managed fields)
    #[arg(long, value_name = "NAME")]
    pub field_manager: Option<String>,
    /// If true, keep the managedFields when printing objects in JSON or YAML format (kubesim keeps none)
    #[arg(long)]
    pub show_managed_fields: bool,
}

/// kubectl's deprecated `--record` (hidden from help, as pflag hides deprecated flags).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct RecordFlag {
    /// Record current kubectl command in the resource annotation. If set to false, do not record the command. If set to true, record the command. If not set, default to updating the existing annotation value only if one already exists.
    #[arg(long, hide = true)]
    pub record: bool,
}

/// What pflag prints on stderr when a deprecated flag is used.
pub const RECORD_DEPRECATED: &str =
    "Flag --record has been deprecated, --record will be removed in the future";

impl RecordFlag {
    /// The change cause to record: `Some` when `--record` (or `--record=true`) was given.
    pub fn cause(&self) -> Option<String> {
        self.record
            .then(|| change_cause(&std::env::args().collect::<Vec<_>>()))
    }
}

/// Sets `kubernetes.io/change-cause` on `obj` (kubectl's `ChangeCauseRecorder.Record`); an
/// object without a usable `metadata` is left as it is (kubectl only logs that failure).
/// Returns whether the object changed.
pub fn record(obj: &mut serde_json::Value, cause: Option<&str>) -> bool {
    let Some(cause) = cause else {
        return false;
    };
    let Some(o) = obj.as_object_mut() else {
        return false;
    };
    let meta = o.entry("metadata").or_insert_with(|| serde_json::json!({}));
    let Some(meta) = meta.as_object_mut() else {
        return false;
    };
    let ann = meta
        .entry("annotations")
        .or_insert_with(|| serde_json::json!({}));
    if ann.is_null() {
        *ann = serde_json::json!({});
    }
    let Some(ann) = ann.as_object_mut() else {
        return false;
    };
    ann.insert(CHANGE_CAUSE_ANNOTATION.to_string(), cause.into())
        .is_none_or(|old| old != cause)
}

/// Whether the command line uses `--record` (for pflag's deprecation notice).
pub fn uses_record(argv: &[String]) -> bool {
    argv.iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--record" || a.starts_with("--record="))
}

/// A flag whose value may be the next word (`-f FILE`), unlike a boolean (`--all`).
fn takes_separate_value(a: &Arg) -> bool {
    a.get_action().takes_values() && !a.is_require_equals_set()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn go_durations_and_their_errors() {
        let d = |s: &str| go_parse_duration(s).map(|d| d.as_millis());
        assert_eq!(d("0"), Ok(0));
        assert_eq!(d("1h30m"), Ok(5_400_000));
        assert_eq!(d("1.5s"), Ok(1500));
        assert_eq!(d(".5m"), Ok(30_000));
        assert_eq!(d("-2s"), Ok(-2000));
        assert_eq!(d("300ms"), Ok(300));
        assert_eq!(d("10us"), Ok(0));
        assert_eq!(d("bogus"), Err("time: invalid duration \"bogus\"".into()));
        assert_eq!(d(""), Err("time: invalid duration \"\"".into()));
        assert_eq!(d("5"), Err("time: missing unit in duration \"5\"".into()));
        assert_eq!(
            d("5d"),
            Err("time: unknown unit \"d\" in duration \"5d\"".into())
        );
        assert_eq!(d("."), Err("time: invalid duration \".\"".into()));
    }

    #[test]
    fn go_booleans() {
        for t in ["1", "t", "T", "TRUE", "true", "True"] {
            assert_eq!(parse_go_bool(t), Some(true), "{t}");
        }
        for f in ["0", "f", "F", "FALSE", "false", "False"] {
            assert_eq!(parse_go_bool(f), Some(false), "{f}");
        }
        for bad in ["", "yes", "tRUE", "2", "on"] {
            assert_eq!(parse_go_bool(bad), None, "{bad}");
        }
    }

    #[test]
    fn change_cause_is_words_then_flags_in_the_order_given() {
        // kubectl 1.33 `set image --local -f F nginx=x -o yaml --record` wrote:
        // `kubectl.1.33 set image nginx=x --local=true --filename=F --output=yaml --record=true`
        assert_eq!(
            change_cause(&argv(
                "/usr/bin/kubesim set image nginx=x --local -f F -o yaml --record"
            )),
            "kubesim set image nginx=x --local=true --filename=F --output=yaml --record=true"
        );
        assert_eq!(
            change_cause(&argv(
                "kubesim apply --filename=https://k8s.io/examples/controllers/nginx-deployment.yaml --record"
            )),
            "kubesim apply --filename=https://k8s.io/examples/controllers/nginx-deployment.yaml --record=true"
        );
        assert_eq!(
            change_cause(&argv(
                "kubesim -n dev scale deployment/web --replicas 3 --all=false --record=true"
            )),
            "kubesim scale deployment/web --namespace=dev --replicas=3 --all=false --record=true"
        );
        assert_eq!(
            change_cause(&argv("kubesim label pods -lapp=web a=b --record")),
            "kubesim label pods a=b --selector=app=web --record=true"
        );
    }

    #[test]
    fn a_line_names_its_subcommands_past_flags_and_their_values() {
        let l = parse_line(&argv(
            "-n dev rollout undo -R deploy/web --to-revision 2 -- x",
        ));
        assert_eq!(l.path, ["rollout", "undo"]);
        assert_eq!(l.words, ["rollout", "undo", "deploy/web", "x"]);
        assert_eq!(
            l.flags,
            [
                ("namespace".to_string(), "dev".to_string()),
                ("recursive".to_string(), "true".to_string()),
                ("to-revision".to_string(), "2".to_string()),
            ]
        );
        // A word that names a subcommand after the leaf's own words is a word.
        let l = parse_line(&argv("get pods set"));
        assert_eq!(l.path, ["get"]);
    }
}
