//! Golden transcripts: files of commands with their exact output, run against fresh states.
//!
//! The one implementation behind `kubesim test` ([`super::test`]) and the project's own
//! `tests/transcripts/*.txt`. A transcript looks like a terminal session:
//!
//! ```text
//! # kubesim-test: start-time=2026-01-01T00:00:00Z
//! # Lines starting with `#` are comments.
//! $ kubectl apply -f testdata/pod.yaml
//! pod/nginx created
//! $ kubesim get pod missing
//! ! Error from server (NotFound): pods "missing" not found
//! [exit 1]
//! $ kubesim apply -f - <<< testdata/pod.yaml
//! pod/nginx unchanged
//! ```
//!
//! - `$ kubesim ARGS` or `$ kubectl ARGS` runs the kubesim binary with ARGS (split as a shell
//!   would: whitespace, single and double quotes; no variables, globs or pipes). ` <<< FILE` at
//!   the end feeds FILE on stdin.
//! - The lines up to the next command are its expected output: stdout lines as they are,
//!   stderr lines prefixed `! `, `[no newline]` when stdout does not end with one, and
//!   `[exit N]` last when the exit status is not 0. Comment lines (`#`) there are ignored when
//!   comparing and kept (after the output) when blessing.
//! - Lines before the first command are a header, kept as they are. A header line
//!   `# kubesim-test: start-time=RFC3339` sets the clock of the file's fresh state (default
//!   [`DEFAULT_START_TIME`]).
//! - Each file runs on its own fresh state in a temporary directory, removed afterwards, with
//!   the virtual clock fixed (`KUBESIM_START_TIME`), so the same file prints the same bytes.
//!   Commands run in [`Runner::dir`] (for `kubesim test`, the directory it is run from), and
//!   relative paths (`-f`, `<<<`) resolve there.

use similar::{ChangeTag, TextDiff};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The clock of a transcript's fresh state unless its header says otherwise.
pub const DEFAULT_START_TIME: &str = "2026-01-01T00:00:00Z";

/// The header directive's prefix.
pub const DIRECTIVE: &str = "# kubesim-test:";

/// One command of a transcript and what it should print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The line of the command in the file (1-based).
    pub line: usize,
    /// The command line as written, without `$ `, e.g. `kubectl get pods`.
    pub command: String,
    /// The arguments part (after `kubesim ` / `kubectl `).
    pub args: String,
    /// `NAME=VALUE` words before the program: the command's environment.
    pub env: Vec<(String, String)>,
    /// The expected output (comments removed), each line ending in `\n`.
    pub expected: String,
    /// The comment lines of the expected block, kept when blessing.
    pub comments: String,
}

/// A parsed transcript file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// The lines before the first command, each ending in `\n`.
    pub header: String,
    /// RFC 3339, from the header directive or [`DEFAULT_START_TIME`].
    pub start_time: String,
    pub steps: Vec<Step>,
}

/// A command's `NAME=VALUE` environment words.
type Env = Vec<(String, String)>;

/// `kubesim ARGS` / `kubectl ARGS` from a `$ ...` line, after any `NAME=VALUE` words
/// before the program (the command's environment, as a shell reads them; a value may be
/// quoted with `'` or `"`).
fn command_of(line: &str) -> Option<(&str, &str, Env)> {
    let whole = line.strip_prefix("$ ")?;
    let mut rest = whole;
    let mut env = Vec::new();
    while let Some((name, after)) = rest.split_once('=') {
        let is_name = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        if !is_name {
            break;
        }
        let (value, tail) = match after.chars().next() {
            Some(q @ ('\'' | '"')) => {
                let end = after[1..].find(q)? + 1;
                (&after[1..end], &after[end + 1..])
            }
            _ => match after.split_once(' ') {
                Some((v, t)) => (v, t),
                None => (after, ""),
            },
        };
        env.push((name.to_string(), value.to_string()));
        rest = tail.trim_start();
    }
    for prog in ["kubesim", "kubectl"] {
        if let Some(args) = rest.strip_prefix(prog)
            && (args.is_empty() || args.starts_with(' '))
        {
            return Some((whole, args.trim_start(), env));
        }
    }
    None
}

/// Parses a transcript (see the module documentation).
pub fn parse(text: &str) -> Result<Transcript, String> {
    let mut header = String::new();
    let mut start_time = DEFAULT_START_TIME.to_string();
    let mut steps: Vec<Step> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some((command, args, env)) = command_of(line) {
            steps.push(Step {
                line: i + 1,
                command: command.to_string(),
                args: args.to_string(),
                env,
                expected: String::new(),
                comments: String::new(),
            });
        } else if let Some(s) = steps.last_mut() {
            let to = if line.starts_with('#') {
                &mut s.comments
            } else {
                &mut s.expected
            };
            to.push_str(line);
            to.push('\n');
        } else {
            if let Some(d) = line.strip_prefix(DIRECTIVE) {
                for kv in d.split_whitespace() {
                    match kv.split_once('=') {
                        Some(("start-time", v)) => {
                            v.parse::<jiff::Timestamp>()
                                .map_err(|e| format!("line {}: start-time {v:?}: {e}", i + 1))?;
                            start_time = v.to_string();
                        }
                        _ => {
                            return Err(format!(
                                "line {}: unknown directive {kv:?} (known: start-time=RFC3339)",
                                i + 1
                            ));
                        }
                    }
                }
            }
            header.push_str(line);
            header.push('\n');
        }
    }
    Ok(Transcript {
        header,
        start_time,
        steps,
    })
}

/// Splits a command line as a shell would: on whitespace, with single and double quotes
/// (no escapes inside them); `''` is an empty argument.
pub fn split_args(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                any = true;
            }
            None if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            None => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A command's result as a transcript writes it: stdout, `! ` stderr lines (a klog header's
/// wall-clock time and process id masked, [`mask_klog_header`]), `[exit N]`.
pub fn render(out: &Output) -> String {
    let mut s = String::from_utf8_lossy(&out.stdout).to_string();
    if !s.is_empty() && !s.ends_with('\n') {
        s.push_str("\n[no newline]\n");
    }
    for l in String::from_utf8_lossy(&out.stderr).lines() {
        s.push_str("! ");
        s.push_str(&mask_klog_header(l));
        s.push('\n');
    }
    let code = out.status.code().unwrap_or(-1);
    if code != 0 {
        s.push_str(&format!("[exit {code}]\n"));
    }
    s
}

/// `W1207 21:50:31.001423   26429 helpers.go:703] ...` → `W<klog header> helpers.go:703] ...`:
/// klog's line header holds the wall-clock time and the process id, which no transcript can
/// pin; other lines are returned as they are.
pub fn mask_klog_header(line: &str) -> String {
    let b = line.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    let shape = b.len() > 22
        && matches!(b[0], b'I' | b'W' | b'E' | b'F')
        && digits(1..5)
        && b[5] == b' '
        && digits(6..8)
        && b[8] == b':'
        && digits(9..11)
        && b[11] == b':'
        && digits(12..14)
        && b[14] == b'.'
        && digits(15..21);
    if !shape {
        return line.to_string();
    }
    let rest = line[21..].trim_start();
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    format!("{}<klog header> {}", &line[..1], rest.trim_start())
}

/// How a file came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every command printed what the file says.
    Passed,
    /// Something differs (the file is left alone).
    Failed,
    /// Something differed and the file now holds what the commands print.
    Blessed,
}

/// The result of one file.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub verdict: Verdict,
    /// A unified diff of the file as written against the file as it would be blessed (empty
    /// when it passed), without colour (see [`colorize`]).
    pub diff: String,
    /// The file as it would be blessed.
    pub actual: String,
}

/// Runs transcripts with a given kubesim binary.
#[derive(Debug, Clone)]
pub struct Runner {
    /// The kubesim binary the commands run.
    pub exe: PathBuf,
    /// Where the commands run; relative paths in them (and `<<< FILE`) resolve here.
    pub dir: PathBuf,
}

/// A fresh state directory, removed when dropped.
struct TempState(PathBuf);

impl TempState {
    fn new(stem: &str) -> std::io::Result<TempState> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let stem: String = stem
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let d =
            std::env::temp_dir().join(format!("kubesim-test-{}-{n}-{stem}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d)?;
        Ok(TempState(d))
    }
}

impl Drop for TempState {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Runner {
    /// The path as shown in diffs: relative to [`Self::dir`] when under it.
    pub fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.dir)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// Runs one command of a transcript in the state `state`.
    fn run_step(&self, state: &Path, start_time: &str, step: &Step) -> Result<Output, String> {
        let (cmdline, stdin_file) = match step.args.split_once(" <<< ") {
            Some((c, f)) => (c, Some(f.trim())),
            None => (step.args.as_str(), None),
        };
        let stdin = match stdin_file {
            Some(f) => Some(
                std::fs::read(self.dir.join(f))
                    .map_err(|e| format!("line {}: cannot read {f} for `<<<`: {e}", step.line))?,
            ),
            None => None,
        };
        let mut c = Command::new(&self.exe);
        c.args(split_args(cmdline))
            .current_dir(&self.dir)
            .env("KUBESIM_STATE_DIR", state)
            .env("KUBESIM_START_TIME", start_time)
            .env_remove("KUBESIM_SEED")
            .env_remove("KUBESIM_PROFILE")
            .env_remove("COMPLETE")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // A temporary directory of the transcript's own (`kubectl edit`'s files), shown as
        // `/tmp` in what the commands print.
        let tmp = state
            .parent()
            .map(|p| p.join("tmp"))
            .unwrap_or_else(std::env::temp_dir);
        std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
        c.env("TMPDIR", &tmp);
        for (k, v) in &step.env {
            c.env(k, v);
        }
        let mut child = c
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.exe.display()))?;
        if let Some(s) = stdin {
            let mut pipe = child.stdin.take().expect("piped");
            // A command that does not read its stdin closes the pipe: not an error here.
            let _ = pipe.write_all(&s);
        }
        let mut out = child
            .wait_with_output()
            .map_err(|e| format!("line {}: {e}", step.line))?;
        let shown = tmp.to_string_lossy().into_owned();
        for stream in [&mut out.stdout, &mut out.stderr] {
            let text = String::from_utf8_lossy(stream);
            if text.contains(&shown) {
                *stream = text.replace(&shown, "/tmp").into_bytes();
            }
        }
        Ok(out)
    }

    /// Runs a transcript file on a fresh state; with `bless`, a file that differs is rewritten
    /// with what the commands print now (and only such a file). `Err` for a file that cannot
    /// be run (unreadable, a bad header, a missing `<<<` file).
    pub fn run_file(&self, path: &Path, bless: bool) -> Result<Outcome, String> {
        let shown = self.display(path);
        let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
        let t = parse(&text).map_err(|e| format!("{shown}: {e}"))?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let state = TempState::new(&stem).map_err(|e| format!("{shown}: {e}"))?;
        let state_dir = state.0.join("state");
        let mut actual = t.header.clone();
        let mut differs = false;
        for s in &t.steps {
            let got = render(
                &self
                    .run_step(&state_dir, &t.start_time, s)
                    .map_err(|e| format!("{shown}: {e}"))?,
            );
            differs |= got != s.expected;
            actual.push_str(&format!("$ {}\n{got}{}", s.command, s.comments));
        }
        drop(state);
        if !differs {
            return Ok(Outcome {
                verdict: Verdict::Passed,
                diff: String::new(),
                actual,
            });
        }
        let diff = unified_diff(&shown, &text, &actual);
        if bless {
            std::fs::write(path, &actual).map_err(|e| format!("{shown}: {e}"))?;
        }
        Ok(Outcome {
            verdict: if bless {
                Verdict::Blessed
            } else {
                Verdict::Failed
            },
            diff,
            actual,
        })
    }
}

/// A unified diff of a transcript as written (`old`) against what its commands print (`new`);
/// each hunk header names the command it falls in, as `git diff` names the function.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let diff = TextDiff::from_lines(old, new);
    let old_lines: Vec<&str> = old.lines().collect();
    let mut s = format!("--- {path}\n+++ {path} (actual)\n");
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        // The command the first change falls in.
        let start = hunk
            .ops()
            .iter()
            .find(|op| op.tag() != similar::DiffTag::Equal)
            .or(hunk.ops().first())
            .map_or(0, |op| op.old_range().start)
            .min(old_lines.len());
        let command = old_lines[..start]
            .iter()
            .rev()
            .find(|l| command_of(l).is_some());
        match command {
            Some(c) => s.push_str(&format!("{} {c}\n", hunk.header())),
            None => s.push_str(&format!("{}\n", hunk.header())),
        }
        for change in hunk.iter_changes() {
            let tag = match change.tag() {
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
                ChangeTag::Equal => ' ',
            };
            s.push(tag);
            s.push_str(change.value());
            if change.missing_newline() {
                s.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    s
}

/// ANSI colours for a diff from [`unified_diff`] (for a terminal).
pub fn colorize(diff: &str) -> String {
    let mut s = String::with_capacity(diff.len() + diff.len() / 4);
    for l in diff.lines() {
        let code = if l.starts_with("---") || l.starts_with("+++") {
            "1"
        } else if l.starts_with("@@") {
            "36"
        } else if l.starts_with('-') {
            "31"
        } else if l.starts_with('+') {
            "32"
        } else {
            ""
        };
        if code.is_empty() {
            s.push_str(l);
        } else {
            s.push_str(&format!("\x1b[{code}m{l}\x1b[0m"));
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_output_comments_and_the_header() {
        let t = parse(
            "# kubesim-test: start-time=2025-06-01T12:00:00Z\n# about\n\
             $ kubectl get pods\nNAME\n# next\n$ kubesim version --client\n! err\n[exit 1]\n",
        )
        .unwrap();
        assert_eq!(t.start_time, "2025-06-01T12:00:00Z");
        assert_eq!(
            t.header,
            "# kubesim-test: start-time=2025-06-01T12:00:00Z\n# about\n"
        );
        assert_eq!(t.steps.len(), 2);
        assert_eq!(t.steps[0].command, "kubectl get pods");
        assert_eq!(t.steps[0].args, "get pods");
        assert_eq!(t.steps[0].line, 3);
        assert_eq!(t.steps[0].expected, "NAME\n");
        assert_eq!(t.steps[0].comments, "# next\n");
        assert_eq!(t.steps[1].expected, "! err\n[exit 1]\n");
        assert_eq!(parse("$ kubesim\n").unwrap().steps[0].args, "");
        // Not a kubesim command: output.
        assert!(parse("$ kubesimx\n").unwrap().steps.is_empty());
    }

    #[test]
    fn bad_directives_are_refused() {
        assert!(parse("# kubesim-test: start-time=yesterday\n").is_err());
        assert!(parse("# kubesim-test: seed=1\n").is_err());
        assert_eq!(parse("").unwrap().start_time, DEFAULT_START_TIME);
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            split_args(r#"get pods -o 'jsonpath={.items[*].metadata.name}' -l "a=b c" ''"#),
            vec![
                "get",
                "pods",
                "-o",
                "jsonpath={.items[*].metadata.name}",
                "-l",
                "a=b c",
                ""
            ]
        );
    }

    #[test]
    fn the_diff_names_the_command() {
        let old = "$ kubesim get pods\nNAME\na\nb\n$ kubesim get nodes\nx\n";
        let new = "$ kubesim get pods\nNAME\na\nc\n$ kubesim get nodes\nx\n";
        let d = unified_diff("t.txt", old, new);
        assert!(d.starts_with("--- t.txt\n+++ t.txt (actual)\n@@ "), "{d}");
        assert!(d.contains(" @@ $ kubesim get pods\n"), "{d}");
        assert!(d.contains("\n-b\n+c\n"), "{d}");
        assert!(!colorize(&d).is_empty());
        assert!(colorize(&d).contains("\x1b[31m-b\x1b[0m"));
    }
}
