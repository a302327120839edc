//! clap parses kubesim's command line; kubectl's is parsed by cobra and pflag. This module
//! turns clap's parse errors into what kubectl prints for the same mistake (cobra's and
//! pflag's words, kubectl's own argument checks), with `kubesim` where kubectl says `kubectl`:
//!
//! - unknown commands: `unknown command "crate" for "kubesim"` with cobra's `Did you mean
//!   this?` suggestions (Levenshtein distance at most 2, or a prefix, in kubectl's command
//!   order); below the root, what the parent command says (`Unexpected args: [...]` for
//!   `create`/`apply`, `unknown command "x"` for a group such as `set`);
//! - a generator's NAME: `exactly one NAME is required, got N`; `completion`'s shell;
//! - flags: `flag needs an argument: --replicas` / `'o' in -o`, pflag's `invalid argument`
//!   for values (Go integers through [`GoInt`], booleans and durations in goflags.rs),
//!   `unknown flag`, `required flag(s) "image" not set`.

use super::goflags;
use clap::builder::TypedValueParser;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};
use std::ffi::OsStr;

/// The program's name, where kubectl prints `kubectl`.
pub const PROGRAM: &str = "kubesim";

/// kubectl's usage error (`cmdutil.UsageErrorf`): the message, then where help is.
pub fn usage_error(path: &str, msg: &str) -> super::CliError {
    super::CliError::msg(format!(
        "{msg}\nSee '{PROGRAM} {path} -h' for help and examples"
    ))
}

/// kubectl's root commands in the order it adds them (cobra's suggestions keep this order:
/// kubectl turns cobra's command sorting off). kubesim's own commands come after.
const KUBECTL_ORDER: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "alpha",
    "config",
    "plugin",
    "version",
    "api-versions",
    "api-resources",
    "options",
];

/// Go's `strconv.ParseInt(s, 0, bits)`: a sign, then decimal, `0x` hex, `0o`/`0` octal or
/// `0b` binary, `_` between digits.
pub fn go_parse_int(s: &str, bits: u32) -> Result<i64, String> {
    let syntax = || format!("strconv.ParseInt: parsing {}: invalid syntax", go_q(s));
    let range = || format!("strconv.ParseInt: parsing {}: value out of range", go_q(s));
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string())
    } else {
        (10, lower.clone())
    };
    if digits.is_empty() {
        return Err(syntax());
    }
    if digits.starts_with('_') && radix != 8 || digits.ends_with('_') || digits.contains("__") {
        return Err(syntax());
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if !clean.chars().all(|c| c.is_digit(radix)) {
        return Err(syntax());
    }
    let v = u128::from_str_radix(&clean, radix).map_err(|_| range())?;
    let max = 1u128 << (bits - 1);
    if (!neg && v >= max) || (neg && v > max) {
        return Err(range());
    }
    Ok(if neg { -(v as i128) as i64 } else { v as i64 })
}

/// Go's `%q` of a flag value (ASCII text as `"..."` with `\"` and `\\`).
fn go_q(s: &str) -> String {
    crate::util::go_quote(s)
}

/// A Go integer flag (`int32`, `int64`): pflag's error for what `strconv.ParseInt` refuses.
#[derive(Clone)]
pub struct GoInt<T> {
    bits: u32,
    ty: std::marker::PhantomData<T>,
}

impl<T> GoInt<T> {
    pub fn new(bits: u32) -> Self {
        GoInt {
            bits,
            ty: std::marker::PhantomData,
        }
    }
}

impl<T> TypedValueParser for GoInt<T>
where
    T: TryFrom<i64> + Clone + Send + Sync + 'static,
{
    type Value = T;

    fn parse_ref(
        &self,
        _cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let v = value.to_string_lossy();
        go_parse_int(&v, self.bits)
            .and_then(|n| {
                T::try_from(n).map_err(|_| {
                    format!("strconv.ParseInt: parsing {}: value out of range", go_q(&v))
                })
            })
            .map_err(|e| goflags::pflag_error(arg, &v, &e))
    }
}

/// Go's integer parsing and pflag's errors for every `i32`/`i64` flag of the tree.
pub fn go_int_arg(a: Arg) -> Arg {
    let id = a.get_value_parser().type_id();
    if !a.get_action().takes_values() || a.is_positional() {
        return a;
    }
    if id == clap::builder::ValueParser::from(clap::value_parser!(i32)).type_id() {
        a.value_parser(GoInt::<i32>::new(32))
    } else if id == clap::builder::ValueParser::from(clap::value_parser!(i64)).type_id() {
        a.value_parser(GoInt::<i64>::new(64))
    } else {
        a
    }
}

/// cobra's `SuggestionsFor`: the root's commands within Levenshtein distance 2 of `typed`
/// (case-insensitive) or starting with it, in kubectl's order.
pub fn suggestions(typed: &str, commands: &[String]) -> Vec<String> {
    let mut ordered: Vec<&String> = commands.iter().collect();
    let rank = |c: &String| {
        KUBECTL_ORDER
            .iter()
            .position(|k| k == c)
            .unwrap_or(KUBECTL_ORDER.len())
    };
    ordered.sort_by_key(|c| rank(c));
    let t = typed.to_lowercase();
    let close: Vec<String> = ordered
        .into_iter()
        .filter(|c| {
            let c = c.to_lowercase();
            levenshtein(&t, &c) <= 2 || c.starts_with(&t)
        })
        .cloned()
        .collect();
    // kubesim's own commands (`test`, `step`...) only when no kubectl command is close.
    let (kubectl, own): (Vec<String>, Vec<String>) = close
        .into_iter()
        .partition(|c| KUBECTL_ORDER.contains(&c.as_str()));
    if kubectl.is_empty() { own } else { kubectl }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The command line as pflag splits it, and the clap command its path names.
struct Parsed {
    /// `kubesim create configmap`
    path: String,
    names: Vec<String>,
    /// The words after the command path.
    args: Vec<String>,
    /// Whether the command at the path has subcommands (a group: `set`, `create secret`).
    group: bool,
    root_commands: Vec<String>,
}

fn parsed(argv: &[String]) -> Parsed {
    let line = goflags::parse_line(argv);
    let mut root = super::completion::command();
    root.build();
    let root_commands = root
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
        .map(|c| c.get_name().to_string())
        .collect();
    let mut cmd = &root;
    for p in &line.path {
        if let Some(s) = cmd.find_subcommand(p) {
            cmd = s;
        }
    }
    let group = cmd.get_subcommands().any(|c| c.get_name() != "help");
    let mut path = vec![PROGRAM.to_string()];
    path.extend(line.path.iter().cloned());
    Parsed {
        path: path.join(" "),
        names: line.path.clone(),
        args: line.words[line.path.len()..].to_vec(),
        group,
        root_commands,
    }
}

/// What kubectl says when a command got words it does not take (`args`) or missed one.
fn args_error(p: &Parsed) -> Option<String> {
    let see = format!("See '{} -h' for help and examples", p.path);
    let names: Vec<&str> = p.names.iter().map(String::as_str).collect();
    match names.as_slice() {
        [] => {
            let typed = p.args.first()?;
            let mut msg = format!("error: unknown command \"{typed}\" for \"{PROGRAM}\"");
            let s = suggestions(typed, &p.root_commands);
            if !s.is_empty() {
                msg.push_str("\n\nDid you mean this?");
                for c in s {
                    msg.push_str(&format!("\n\t{c}"));
                }
            }
            Some(msg)
        }
        ["create"] | ["apply"] => Some(format!(
            "error: Unexpected args: [{}]\n{see}",
            p.args.join(" ")
        )),
        ["completion"] => Some(match p.args.len() {
            0 => format!("error: Shell not specified.\n{see}"),
            1 => format!("error: Unsupported shell type {}.\n{see}", go_q(&p.args[0])),
            _ => format!("error: Too many arguments. Expected only the shell type.\n{see}"),
        }),
        _ if p.group => Some(format!(
            "error: unknown command {}\n{see}",
            go_q(&p.args.join(" "))
        )),
        ["create", _, ..] => Some(format!(
            "error: exactly one NAME is required, got {}\n{see}",
            p.args.len()
        )),
        _ => None,
    }
}

/// The flag a clap error is about, as the user typed it: `--replicas`, or `'o' in -o`.
fn typed_flag(e: &clap::Error, argv: &[String]) -> Option<String> {
    let arg = match e.get(ContextKind::InvalidArg)? {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(s) => s.first()?.clone(),
        _ => return None,
    };
    // clap names it `--replicas <REPLICAS>` or `-r <REPLICAS>`.
    let first = arg.split([' ', '=']).next()?.to_string();
    let long = first.strip_prefix("--").map(str::to_string);
    for a in argv.iter().rev() {
        if let Some(l) = &long
            && a == &format!("--{l}")
        {
            return Some(a.clone());
        }
        if a.starts_with('-') && !a.starts_with("--") && a.len() > 1 {
            let c = a.chars().last()?;
            return Some(format!("'{c}' in {a}"));
        }
    }
    long.map(|l| format!("--{l}"))
}

/// kubectl's group commands run without a subcommand (`DefaultSubCommandRun`): their help
/// text, kubectl's word for word with the program's name, and whether it goes to stdout
/// (`rollout`) or stderr; the exit code is 1 either way. Recorded from kubectl 1.33.
const GROUP_HELP: &[(&[&str], &str, bool)] = &[
    (&["set"], include_str!("help/set.txt"), false),
    (
        &["create", "secret"],
        include_str!("help/create-secret.txt"),
        false,
    ),
    (
        &["create", "service"],
        include_str!("help/create-service.txt"),
        false,
    ),
    (
        &["create", "svc"],
        include_str!("help/create-service.txt"),
        false,
    ),
    (&["rollout"], include_str!("help/rollout.txt"), true),
    (&["config"], include_str!("help/config.txt"), false),
];

/// Commands whose `--help` is kubectl's text (on stdout, exit 0) rather than clap's.
const KUBECTL_HELP: &[(&[&str], &str)] = &[
    (&["config"], include_str!("help/config.txt")),
    (&["config", "use-context"], super::config::USE_CONTEXT_HELP),
    (&["config", "use"], super::config::USE_CONTEXT_HELP),
    (&["config", "set-context"], super::config::SET_CONTEXT_HELP),
    (
        &["config", "rename-context"],
        super::config::RENAME_CONTEXT_HELP,
    ),
    (
        &["config", "delete-context"],
        super::config::DELETE_CONTEXT_HELP,
    ),
];

/// kubectl's help for `--help`/`-h` of the commands of [`KUBECTL_HELP`].
pub fn kubectl_help(e: &clap::Error, argv: &[String]) -> Option<&'static str> {
    if e.kind() != ErrorKind::DisplayHelp {
        return None;
    }
    let p = parsed(argv);
    let names: Vec<&str> = p.names.iter().map(String::as_str).collect();
    KUBECTL_HELP
        .iter()
        .find(|(path, _)| *path == names.as_slice())
        .map(|(_, text)| *text)
}

/// The help a group command prints when clap finds its subcommand missing: (text, stdout).
pub fn group_help(e: &clap::Error, argv: &[String]) -> Option<(&'static str, bool)> {
    if !matches!(
        e.kind(),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        return None;
    }
    let p = parsed(argv);
    GROUP_HELP
        .iter()
        .find(|(path, _, _)| p.names.iter().map(String::as_str).eq(path.iter().copied()))
        .map(|(_, text, out)| (*text, *out))
}

/// kubectl's words for a clap parse error, if it has them: (stderr text, exit code).
pub fn translate(e: &clap::Error, argv: &[String]) -> Option<String> {
    let p = parsed(argv);
    let usage = format!("See '{} --help' for usage.", p.path);
    match e.kind() {
        ErrorKind::InvalidSubcommand => args_error(&p),
        ErrorKind::UnknownArgument | ErrorKind::TooManyValues => {
            let arg = e.get(ContextKind::InvalidArg).map(|v| v.to_string());
            match arg {
                Some(a) if a.starts_with('-') => None,
                _ => args_error(&p),
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let args: Vec<String> = match e.get(ContextKind::InvalidArg) {
                Some(ContextValue::Strings(s)) => s.clone(),
                Some(other) => vec![other.to_string()],
                None => Vec::new(),
            };
            let flags: Vec<String> = args
                .iter()
                .filter(|a| a.starts_with('-'))
                .map(|a| {
                    let n = a.trim_start_matches('-');
                    format!("\"{}\"", n.split([' ', '=', '<']).next().unwrap_or(n))
                })
                .collect();
            if !flags.is_empty() {
                return Some(format!(
                    "error: required flag(s) {} not set",
                    flags.join(", ")
                ));
            }
            args_error(&p)
        }
        ErrorKind::InvalidValue => {
            let is_completion = p.names == ["completion"];
            if is_completion {
                return args_error(&p);
            }
            let flag = typed_flag(e, argv)?;
            let none_given = e.to_string().contains("a value is required");
            none_given.then(|| format!("error: flag needs an argument: {flag}\n{usage}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_integers_as_strconv_parses_them() {
        assert_eq!(go_parse_int("42", 32), Ok(42));
        assert_eq!(go_parse_int("-7", 32), Ok(-7));
        assert_eq!(go_parse_int("0x1f", 32), Ok(31));
        assert_eq!(go_parse_int("010", 32), Ok(8));
        assert_eq!(go_parse_int("1_000", 32), Ok(1000));
        assert!(go_parse_int("_1", 32).is_err());
        assert!(go_parse_int("1__0", 32).is_err());
        assert_eq!(go_parse_int("0x1_0", 32), Ok(16));
        assert_eq!(go_parse_int("2147483647", 32), Ok(2147483647));
        assert_eq!(go_parse_int("-2147483648", 32), Ok(-2147483648));
        assert_eq!(
            go_parse_int("2147483648", 32),
            Err("strconv.ParseInt: parsing \"2147483648\": value out of range".into())
        );
        assert_eq!(
            go_parse_int("abc", 64),
            Err("strconv.ParseInt: parsing \"abc\": invalid syntax".into())
        );
        assert_eq!(
            go_parse_int("", 32),
            Err("strconv.ParseInt: parsing \"\": invalid syntax".into())
        );
        assert_eq!(
            go_parse_int("-5x", 32),
            Err("strconv.ParseInt: parsing \"-5x\": invalid syntax".into())
        );
    }

    #[test]
    fn suggestions_as_cobra_makes_them() {
        let cmds: Vec<String> = [
            "get", "set", "create", "logs", "label", "version", "apply", "test",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // kubectl 1.33: `kubectl gett` suggests set, then get (its command order).
        assert_eq!(suggestions("gett", &cmds), ["set", "get"]);
        assert_eq!(suggestions("crate", &cmds), ["create"]);
        assert_eq!(suggestions("bogus", &cmds), ["logs"]);
        assert_eq!(suggestions("vresion", &cmds), ["version"]);
        assert_eq!(suggestions("ap", &cmds), ["apply"]);
        assert!(suggestions("zzzzzz", &cmds).is_empty());
        // kubesim's own commands when no kubectl command is close.
        assert_eq!(suggestions("teest", &cmds), ["test"]);
    }
}
