//! A small `sh`: what the simulated containers print. It runs the `sh -c` scripts of
//! tutorials and manifests on the virtual clock and yields the lines they write, each with the
//! instant it was written (the container runtime's log timestamp).
//!
//! Understood: words with `'…'`, `"…"`, `\` escapes, `$VAR`, `${VAR}`, `${VAR:-default}`,
//! `$?`, `$$`, `$((arithmetic))`, `$(command)` and backquotes; `;`, newlines, `&&`, `||`,
//! `|` (the last command's output, or what flows into `cat`/`tee`), `&` (run in order),
//! `!`; `while`/`until`, `for NAME in …`, `if`/`elif`/`else`, `{ …; }`, `( … )`, `break`,
//! `continue`; redirections to `/dev/null` or a file, `2>&1`; assignments and `export`.
//! Commands: `echo`, `printf`, `date` (the virtual time, `+FORMAT`, `-u`, `-I`, `-R`),
//! `sleep` (s/m/h/d suffixes, fractions, several arguments, `infinity`), `printenv`, `env`,
//! `hostname`, `cat`, `ls` (`-l`, `-a`, the volumes' links), `grep` (a fixed string, `-v`,
//! `-i`, in a file or after `|`), `seq`, `test`/`[`, `true`, `false`, `:`, `exit`, `tail -f`,
//! `sh -c`, `touch`, `uname`, `whoami`, and no-ops (`trap`, `wait`, `set`, `cd`, `mkdir`,
//! `rm`). Anything else prints `sh: NAME: not found` on stderr and fails with 127, as busybox
//! `sh` does.
//!
//! Output is bounded by the reader: a `while` loop whose iterations leave the variables as
//! they found them, take the same time and print the same number of lines is fast-forwarded
//! over the iterations a `--tail` or `--since` reader would drop (a loop printing every second
//! for a month is not generated whole for `--tail 10`), and a loop that takes no time stops
//! after [`MAX_IDLE_ITERATIONS`].

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

/// Iterations a loop may run without the clock moving before the container is taken to spin.
pub const MAX_IDLE_ITERATIONS: u64 = 10_000;

/// One line a container wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// When it was written (the runtime's log timestamp).
    pub at: Timestamp,
    /// The text, without its newline.
    pub text: String,
    /// Ended by a newline (false for what was left unterminated at the end).
    pub newline: bool,
}

/// Where the lines go, and how much of the output the reader will keep.
pub trait Sink {
    fn line(&mut self, line: Line);
    /// The reader keeps only the last N lines (`--tail`).
    fn tail(&self) -> Option<usize> {
        None
    }
    /// The reader drops lines written before this instant (`--since`).
    fn since(&self) -> Option<Timestamp> {
        None
    }
    /// What the program wrote to its standard error, when it is kept apart ([`run_command`]);
    /// a log has one stream, so nothing else calls it.
    fn stderr(&mut self, _text: &str) {}
}

impl Sink for Vec<Line> {
    fn line(&mut self, line: Line) {
        self.push(line);
    }
}

/// What a program sees of its container.
#[derive(Clone, Debug, Default)]
pub struct World {
    /// The environment, in order.
    pub env: Vec<(String, String)>,
    /// Files it can read (mounted ConfigMap and Secret keys, `/etc/hostname`).
    pub files: BTreeMap<String, String>,
    /// The pod's hostname.
    pub hostname: String,
    /// Symbolic links (path → target as written): the kubelet's volume layout, each key a link
    /// to `..data/KEY` and `..data` a link to the timestamped directory.
    pub links: BTreeMap<String, String>,
    /// When the volumes' files were written (`ls -l`'s time).
    pub written: Option<Timestamp>,
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    /// The program exited with this code at this instant.
    Exited(i32, Timestamp),
    /// Still running at the end of the window.
    Running,
}

/// Runs an `sh -c` script started at `start`, writing to `sink` what it prints up to `until`.
pub fn run_script(
    script: &str,
    world: &World,
    start: Timestamp,
    until: Timestamp,
    sink: &mut dyn Sink,
) -> End {
    let mut sh = Sh::new(world, start, until, sink);
    sh.export("SHLVL", "1");
    sh.export("PWD", "/");
    let r = sh.script(script);
    sh.finish(r)
}

/// Runs a container's command line as the runtime execs it (no shell: no expansion), started
/// at `start`, writing to `sink` what it prints up to `until`. `None` when the program is not
/// one this module knows (its output is unknown: nothing).
pub fn run_argv(
    argv: &[String],
    world: &World,
    start: Timestamp,
    until: Timestamp,
    sink: &mut dyn Sink,
) -> Option<End> {
    run_command(argv, world, (start, until), sink, false)
}

/// Runs a command line as the runtime execs it (no shell unless the command is one: `sh -c
/// '…'`) in `window` (start, until), writing what it prints to `sink`: standard error with
/// the output (a log), or apart to [`Sink::stderr`] when `stderr_apart` (`kubectl exec`).
/// `None` when the program is not one this module knows.
pub fn run_command(
    argv: &[String],
    world: &World,
    (start, until): (Timestamp, Timestamp),
    sink: &mut dyn Sink,
    stderr_apart: bool,
) -> Option<End> {
    let name = base(argv.first()?);
    if !is_known(name) {
        return None;
    }
    let mut sh = Sh::new(world, start, until, sink);
    if stderr_apart {
        sh.err = Target::ErrLog;
    }
    let r = sh.exec(argv.to_vec());
    Some(sh.finish(r))
}

/// The commands [`run_command`] knows, for the message that names them.
pub fn known_commands() -> &'static [&'static str] {
    BUILTINS
}

/// How long a command line runs and how it exits, when every command it runs is one this
/// module knows: `Some((Some(seconds), code))`, or `Some((None, 0))` for a program that runs
/// on (beyond [`RUN_HORIZON_DAYS`], or past [`RUN_BUDGET`] commands). `None` when the program
/// (or a command it runs) is unknown, or the script does not parse.
pub fn run_time(argv: &[String], world: &World) -> Option<(Option<i64>, i32)> {
    struct Nothing;
    impl Sink for Nothing {
        fn line(&mut self, _: Line) {}
        fn tail(&self) -> Option<usize> {
            Some(0)
        }
    }
    let name = base(argv.first()?);
    if !is_known(name) {
        return None;
    }
    let start = Timestamp::UNIX_EPOCH;
    let until = start + SignedDuration::from_hours(24 * RUN_HORIZON_DAYS);
    let mut sink = Nothing;
    let mut sh = Sh::new(world, start, until, &mut sink);
    sh.budget = Some(RUN_BUDGET);
    sh.files_unknown = true;
    let r = sh.exec(argv.to_vec());
    let unknown = sh.unknown;
    let end = sh.finish(r);
    if unknown {
        return None;
    }
    Some(match end {
        End::Exited(code, at) => {
            let d = at.duration_since(start);
            let secs = d.as_secs() + i64::from(d.subsec_nanos() > 0);
            (Some(secs), code)
        }
        End::Running => (None, 0),
    })
}

/// How far ahead [`run_time`] looks: a program still running then runs forever.
pub const RUN_HORIZON_DAYS: i64 = 3650;
/// Commands [`run_time`] runs before taking the program to run forever.
pub const RUN_BUDGET: u64 = 5_000;

fn base(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

const BUILTINS: &[&str] = &[
    "echo", "printf", "date", "sleep", "printenv", "env", "hostname", "cat", "ls", "seq", "test",
    "[", "true", "false", ":", "exit", "return", "tail", "sh", "bash", "ash", "dash", "touch",
    "uname", "whoami", "trap", "wait", "set", "cd", "mkdir", "rm", "export", "unset", "break",
    "continue", "read", "grep",
];

fn is_known(name: &str) -> bool {
    BUILTINS.contains(&name)
}

// ---------------------------------------------------------------------------------------------
// Lexing and parsing
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(String),
    Op(&'static str),
    /// `>`, `>>`, `<` with the descriptor (1 for `>`), and `2>&1`'s target inline.
    Redir {
        fd: u8,
        input: bool,
        dup: Option<u8>,
    },
    Sep,
}

fn lex(src: &str) -> Vec<Tok> {
    let cs: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        match c {
            ' ' | '\t' | '\r' => i += 1,
            '\\' if cs.get(i + 1) == Some(&'\n') => i += 2,
            '\n' | ';' => {
                toks.push(Tok::Sep);
                i += 1;
            }
            '#' => {
                while i < cs.len() && cs[i] != '\n' {
                    i += 1;
                }
            }
            '&' if cs.get(i + 1) == Some(&'&') => {
                toks.push(Tok::Op("&&"));
                i += 2;
            }
            '|' if cs.get(i + 1) == Some(&'|') => {
                toks.push(Tok::Op("||"));
                i += 2;
            }
            '&' => {
                toks.push(Tok::Sep);
                i += 1;
            }
            '|' => {
                toks.push(Tok::Op("|"));
                i += 1;
            }
            '(' => {
                toks.push(Tok::Op("("));
                i += 1;
            }
            ')' => {
                toks.push(Tok::Op(")"));
                i += 1;
            }
            '>' | '<' => {
                i = redir(&cs, i, 1, &mut toks);
            }
            _ => {
                let start = i;
                i = word_end(&cs, i);
                let w: String = cs[start..i].iter().collect();
                if (w == "1" || w == "2") && matches!(cs.get(i), Some('>')) {
                    i = redir(&cs, i, if w == "1" { 1 } else { 2 }, &mut toks);
                } else {
                    toks.push(Tok::Word(w));
                }
            }
        }
    }
    toks
}

/// A redirection starting at `cs[i]` (`>` or `<`); returns the index after it.
fn redir(cs: &[char], mut i: usize, fd: u8, toks: &mut Vec<Tok>) -> usize {
    let input = cs[i] == '<';
    i += 1;
    if !input && cs.get(i) == Some(&'>') {
        i += 1;
    }
    let mut dup = None;
    if cs.get(i) == Some(&'&') && cs.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
        dup = cs[i + 1].to_digit(10).map(|d| d as u8);
        i += 2;
    }
    toks.push(Tok::Redir { fd, input, dup });
    i
}

/// The end of a word starting at `i`: quotes, `$( … )`, `${ … }` and backquotes included.
fn word_end(cs: &[char], mut i: usize) -> usize {
    while i < cs.len() {
        match cs[i] {
            ' ' | '\t' | '\n' | '\r' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
            '\\' => i += 2,
            '\'' => {
                i += 1;
                while i < cs.len() && cs[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            '"' => i = dquote_end(cs, i + 1) + 1,
            '`' => {
                i += 1;
                while i < cs.len() && cs[i] != '`' {
                    i += if cs[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            }
            '$' if matches!(cs.get(i + 1), Some('(') | Some('{')) => i = dollar_end(cs, i),
            _ => i += 1,
        }
    }
    i.min(cs.len())
}

/// Index of the closing `"` of a double-quoted string whose content starts at `i`.
fn dquote_end(cs: &[char], mut i: usize) -> usize {
    while i < cs.len() && cs[i] != '"' {
        match cs[i] {
            '\\' => i += 2,
            '$' if matches!(cs.get(i + 1), Some('(') | Some('{')) => i = dollar_end(cs, i),
            '`' => {
                i += 1;
                while i < cs.len() && cs[i] != '`' {
                    i += 1;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    i
}

/// The index after a `$(…)`, `$((…))` or `${…}` starting at `cs[i] == '$'`.
fn dollar_end(cs: &[char], i: usize) -> usize {
    let (open, close) = if cs[i + 1] == '(' {
        ('(', ')')
    } else {
        ('{', '}')
    };
    let mut depth = 0;
    let mut j = i + 1;
    while j < cs.len() {
        let c = cs[j];
        if c == '\'' && open == '(' {
            j += 1;
            while j < cs.len() && cs[j] != '\'' {
                j += 1;
            }
        } else if c == '"' && open == '(' {
            j = dquote_end(cs, j + 1);
        } else if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return j + 1;
            }
        }
        j += 1;
    }
    cs.len()
}

#[derive(Clone, Debug)]
enum Node {
    Simple {
        words: Vec<String>,
        redirs: Vec<(u8, bool, Option<u8>, Option<String>)>,
    },
    Loop {
        cond: Vec<AndOr>,
        body: Vec<AndOr>,
        until: bool,
    },
    For {
        var: String,
        words: Vec<String>,
        body: Vec<AndOr>,
    },
    If {
        arms: Vec<(Vec<AndOr>, Vec<AndOr>)>,
        els: Option<Vec<AndOr>>,
    },
    Group(Vec<AndOr>),
    Subshell(Vec<AndOr>),
}

#[derive(Clone, Debug)]
struct Pipeline {
    bang: bool,
    cmds: Vec<Node>,
}

#[derive(Clone, Debug)]
struct AndOr {
    first: Pipeline,
    rest: Vec<(bool, Pipeline)>,
}

struct Parser {
    toks: Vec<Tok>,
    i: usize,
}

type PResult<T> = Result<T, String>;

impl Parser {
    fn peek_word(&self) -> Option<&str> {
        match self.toks.get(self.i) {
            Some(Tok::Word(w)) => Some(w.as_str()),
            _ => None,
        }
    }

    fn skip_seps(&mut self) {
        while matches!(self.toks.get(self.i), Some(Tok::Sep)) {
            self.i += 1;
        }
    }

    fn expect(&mut self, w: &str) -> PResult<()> {
        self.skip_seps();
        match self.toks.get(self.i) {
            Some(Tok::Word(x)) if x == w => {
                self.i += 1;
                Ok(())
            }
            None => Err(format!(
                "syntax error: unexpected end of file (expecting \"{w}\")"
            )),
            Some(Tok::Word(x)) => Err(format!(
                "syntax error: unexpected \"{x}\" (expecting \"{w}\")"
            )),
            Some(_) => Err(format!(
                "syntax error: unexpected token (expecting \"{w}\")"
            )),
        }
    }

    fn list(&mut self, ends: &[&str]) -> PResult<Vec<AndOr>> {
        let mut out = Vec::new();
        loop {
            self.skip_seps();
            match self.toks.get(self.i) {
                None | Some(Tok::Op(")")) => break,
                Some(Tok::Word(w)) if ends.contains(&w.as_str()) => break,
                _ => out.push(self.and_or()?),
            }
        }
        Ok(out)
    }

    fn and_or(&mut self) -> PResult<AndOr> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        while let Some(Tok::Op(op @ ("&&" | "||"))) = self.toks.get(self.i) {
            let and = *op == "&&";
            self.i += 1;
            self.skip_seps();
            rest.push((and, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> PResult<Pipeline> {
        let bang = self.peek_word() == Some("!");
        if bang {
            self.i += 1;
        }
        let mut cmds = vec![self.command()?];
        while let Some(Tok::Op("|")) = self.toks.get(self.i) {
            self.i += 1;
            self.skip_seps();
            cmds.push(self.command()?);
        }
        Ok(Pipeline { bang, cmds })
    }

    fn command(&mut self) -> PResult<Node> {
        if let Some(Tok::Op("(")) = self.toks.get(self.i) {
            self.i += 1;
            let body = self.list(&[])?;
            if self.toks.get(self.i) != Some(&Tok::Op(")")) {
                return Err("syntax error: missing \")\"".into());
            }
            self.i += 1;
            return Ok(Node::Subshell(body));
        }
        match self.peek_word() {
            Some(w @ ("while" | "until")) => {
                let until = w == "until";
                self.i += 1;
                let cond = self.list(&["do"])?;
                self.expect("do")?;
                let body = self.list(&["done"])?;
                self.expect("done")?;
                Ok(Node::Loop { cond, body, until })
            }
            Some("for") => {
                self.i += 1;
                let var = self.peek_word().unwrap_or("").to_string();
                self.i += 1;
                let mut words = Vec::new();
                if self.peek_word() == Some("in") {
                    self.i += 1;
                    while let Some(Tok::Word(w)) = self.toks.get(self.i) {
                        words.push(w.clone());
                        self.i += 1;
                    }
                }
                self.expect("do")?;
                let body = self.list(&["done"])?;
                self.expect("done")?;
                Ok(Node::For { var, words, body })
            }
            Some("if") => {
                self.i += 1;
                let mut arms = Vec::new();
                let mut els = None;
                loop {
                    let cond = self.list(&["then"])?;
                    self.expect("then")?;
                    let body = self.list(&["elif", "else", "fi"])?;
                    arms.push((cond, body));
                    self.skip_seps();
                    match self.peek_word() {
                        Some("elif") => self.i += 1,
                        Some("else") => {
                            self.i += 1;
                            els = Some(self.list(&["fi"])?);
                            self.expect("fi")?;
                            break;
                        }
                        _ => {
                            self.expect("fi")?;
                            break;
                        }
                    }
                }
                Ok(Node::If { arms, els })
            }
            Some("{") => {
                self.i += 1;
                let body = self.list(&["}"])?;
                self.expect("}")?;
                Ok(Node::Group(body))
            }
            _ => self.simple(),
        }
    }

    fn simple(&mut self) -> PResult<Node> {
        let mut words = Vec::new();
        let mut redirs = Vec::new();
        loop {
            match self.toks.get(self.i) {
                Some(Tok::Word(w)) => {
                    words.push(w.clone());
                    self.i += 1;
                }
                Some(Tok::Redir { fd, input, dup }) => {
                    let (fd, input, dup) = (*fd, *input, *dup);
                    self.i += 1;
                    let target = if dup.is_none() {
                        let t = self.peek_word().map(str::to_string);
                        if t.is_some() {
                            self.i += 1;
                        }
                        t
                    } else {
                        None
                    };
                    redirs.push((fd, input, dup, target));
                }
                _ => break,
            }
        }
        if words.is_empty() && redirs.is_empty() {
            return Err(match self.toks.get(self.i) {
                Some(Tok::Op(op)) => format!("syntax error: unexpected \"{op}\""),
                _ => "syntax error: unexpected end of file".into(),
            });
        }
        Ok(Node::Simple { words, redirs })
    }
}

fn parse(src: &str) -> PResult<Vec<AndOr>> {
    let mut p = Parser {
        toks: lex(src),
        i: 0,
    };
    let list = p.list(&[])?;
    if p.i < p.toks.len() {
        let what = match &p.toks[p.i] {
            Tok::Word(w) => w.clone(),
            Tok::Op(o) => o.to_string(),
            _ => "newline".into(),
        };
        return Err(format!("syntax error: unexpected \"{what}\""));
    }
    Ok(list)
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

enum Flow {
    Exit(i32),
    /// The window ends (or the program blocks forever): still running.
    Stop,
    Break(u32),
    Continue(u32),
}

type R = Result<i32, Flow>;

#[derive(Clone, PartialEq)]
enum Target {
    Log,
    /// Standard error kept apart from the log ([`run_command`]).
    ErrLog,
    Null,
    File(String),
    Capture,
}

struct Sh<'a> {
    vars: BTreeMap<String, String>,
    exported: Vec<String>,
    files: BTreeMap<String, String>,
    hostname: String,
    links: BTreeMap<String, String>,
    written: Timestamp,
    now: Timestamp,
    until: Timestamp,
    status: i32,
    sink: &'a mut dyn Sink,
    /// Where descriptors 1 and 2 go now.
    out: Target,
    err: Target,
    captured: String,
    /// What the command before in a pipeline wrote, for `grep` to read.
    piped: Option<String>,
    partial: String,
    lines: u64,
    /// A command this module does not know ran (its effect on the run is unknown).
    unknown: bool,
    /// Commands left before the run is taken to go on forever (`None`: no limit).
    budget: Option<u64>,
    /// The files are not known (timing a program): reading a missing one is an unknown.
    files_unknown: bool,
}

impl<'a> Sh<'a> {
    fn new(world: &World, start: Timestamp, until: Timestamp, sink: &'a mut dyn Sink) -> Self {
        let mut sh = Sh {
            vars: BTreeMap::new(),
            exported: Vec::new(),
            files: world.files.clone(),
            hostname: world.hostname.clone(),
            links: world.links.clone(),
            written: world.written.unwrap_or(start),
            now: start,
            until,
            status: 0,
            sink,
            out: Target::Log,
            err: Target::Log,
            captured: String::new(),
            piped: None,
            partial: String::new(),
            lines: 0,
            unknown: false,
            budget: None,
            files_unknown: false,
        };
        for (k, v) in &world.env {
            sh.export(k, v);
        }
        sh.files
            .entry("/etc/hostname".into())
            .or_insert_with(|| format!("{}\n", world.hostname));
        sh
    }

    fn export(&mut self, k: &str, v: &str) {
        if !self.exported.iter().any(|e| e == k) {
            self.exported.push(k.to_string());
        }
        self.vars.insert(k.to_string(), v.to_string());
    }

    fn finish(mut self, r: R) -> End {
        let end = match r {
            Ok(code) | Err(Flow::Exit(code)) => End::Exited(code, self.now),
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => End::Exited(self.status, self.now),
            Err(Flow::Stop) => End::Running,
        };
        if !self.partial.is_empty() {
            let text = std::mem::take(&mut self.partial);
            self.sink.line(Line {
                at: self.now,
                text,
                newline: false,
            });
        }
        end
    }

    fn write(&mut self, text: &str, fd: u8) {
        let target = if fd == 2 {
            self.err.clone()
        } else {
            self.out.clone()
        };
        match target {
            Target::Null => {}
            Target::Capture => self.captured.push_str(text),
            Target::ErrLog => self.sink.stderr(text),
            Target::File(p) => self.files.entry(p).or_default().push_str(text),
            Target::Log => {
                self.partial.push_str(text);
                while let Some(n) = self.partial.find('\n') {
                    let rest = self.partial.split_off(n + 1);
                    let mut line = std::mem::replace(&mut self.partial, rest);
                    line.pop();
                    self.lines += 1;
                    self.sink.line(Line {
                        at: self.now,
                        text: line,
                        newline: true,
                    });
                }
            }
        }
    }

    fn sleep(&mut self, d: SignedDuration) -> R {
        match self.now.checked_add(d) {
            Ok(t) if t <= self.until => {
                self.now = t;
                Ok(0)
            }
            _ => {
                self.now = self.until;
                Err(Flow::Stop)
            }
        }
    }

    fn script(&mut self, src: &str) -> R {
        match parse(src) {
            Ok(list) => self.list(&list),
            Err(e) => {
                // What this parser cannot read may still be valid sh: its run is unknown.
                self.unknown = true;
                self.write(&format!("sh: {e}\n"), 2);
                Err(Flow::Exit(2))
            }
        }
    }

    fn list(&mut self, list: &[AndOr]) -> R {
        let mut st = 0;
        for a in list {
            st = self.and_or(a)?;
        }
        Ok(st)
    }

    fn and_or(&mut self, a: &AndOr) -> R {
        let mut st = self.pipeline(&a.first)?;
        for (and, p) in &a.rest {
            if (*and && st == 0) || (!*and && st != 0) {
                st = self.pipeline(p)?;
            }
        }
        Ok(st)
    }

    fn pipeline(&mut self, p: &Pipeline) -> R {
        let mut st = 0;
        let n = p.cmds.len();
        let saved = self.out.clone();
        for (k, c) in p.cmds.iter().enumerate() {
            // A command whose output `grep` filters writes into the pipe.
            let filtered = p.cmds.get(k + 1).is_some_and(|next| {
                matches!(next, Node::Simple { words, .. }
                    if words.first().is_some_and(|w| base(w) == "grep"))
            });
            if filtered {
                self.out = Target::Capture;
                let before = std::mem::take(&mut self.captured);
                let r = self.node(c);
                self.out = saved.clone();
                self.piped = Some(std::mem::replace(&mut self.captured, before));
                st = r?;
                continue;
            }
            // Only the last command's output reaches the log, unless it passes its input on.
            let passes = |c: &Node| {
                matches!(c, Node::Simple { words, .. }
                    if words.len() == 1 && matches!(base(&words[0]), "cat" | "tee"))
            };
            let last = k + 1 == n;
            if !last && !p.cmds[k + 1..].iter().all(passes) {
                self.out = Target::Null;
            } else if k > 0 && passes(c) {
                continue;
            }
            let r = self.node(c);
            self.out = saved.clone();
            st = r?;
        }
        st = if p.bang { i32::from(st == 0) } else { st };
        self.status = st;
        Ok(st)
    }

    fn node(&mut self, n: &Node) -> R {
        match n {
            Node::Simple { words, redirs } => self.simple(words, redirs),
            Node::Group(body) => self.list(body),
            Node::Subshell(body) => {
                let vars = self.vars.clone();
                let r = match self.list(body) {
                    Err(Flow::Exit(c)) => Ok(c),
                    r => r,
                };
                self.vars = vars;
                r
            }
            Node::If { arms, els } => {
                for (cond, body) in arms {
                    if self.list(cond)? == 0 {
                        return self.list(body);
                    }
                }
                match els {
                    Some(b) => self.list(b),
                    None => Ok(0),
                }
            }
            Node::For { var, words, body } => {
                let mut items = Vec::new();
                for w in words {
                    items.extend(self.expand(w)?);
                }
                let mut st = 0;
                for it in items {
                    self.vars.insert(var.clone(), it);
                    match self.list(body) {
                        Ok(s) => st = s,
                        Err(Flow::Break(n)) if n <= 1 => break,
                        Err(Flow::Break(n)) => return Err(Flow::Break(n - 1)),
                        Err(Flow::Continue(n)) if n <= 1 => {}
                        Err(Flow::Continue(n)) => return Err(Flow::Continue(n - 1)),
                        Err(f) => return Err(f),
                    }
                }
                Ok(st)
            }
            Node::Loop { cond, body, until } => self.run_loop(cond, body, *until),
        }
    }

    /// A `while`/`until` loop, fast-forwarded over iterations the reader drops (module docs).
    fn run_loop(&mut self, cond: &[AndOr], body: &[AndOr], until: bool) -> R {
        let mut st = 0;
        let mut idle = 0u64;
        let mut prev: Option<(SignedDuration, u64)> = None;
        let mut prev_vars: Option<BTreeMap<String, String>> = None;
        // `while true`: the condition reads no variable, so counters may be stepped over.
        let always = matches!(cond, [AndOr { first: Pipeline { bang: false, cmds }, rest }]
            if rest.is_empty() && matches!(cmds.as_slice(),
                [Node::Simple { words, redirs }] if redirs.is_empty()
                    && matches!(words.as_slice(), [w] if w == "true" || w == ":")));
        loop {
            let (t0, l0, v0, f0) = (self.now, self.lines, self.vars.clone(), self.files.len());
            let c = self.list(cond)?;
            if (c == 0) == until {
                break;
            }
            match self.list(body) {
                Ok(s) => st = s,
                Err(Flow::Break(n)) if n <= 1 => break,
                Err(Flow::Break(n)) => return Err(Flow::Break(n - 1)),
                Err(Flow::Continue(n)) if n <= 1 => {}
                Err(Flow::Continue(n)) => return Err(Flow::Continue(n - 1)),
                Err(f) => return Err(f),
            }
            let d = self.now.duration_since(t0);
            let l = self.lines - l0;
            if d.is_zero() {
                idle += 1;
                if idle > MAX_IDLE_ITERATIONS {
                    return Err(Flow::Stop);
                }
                continue;
            }
            let same = prev == Some((d, l))
                && self.files.len() == f0
                && self.partial.is_empty()
                && self.out == Target::Log;
            // The variables are as they were, or (in `while true`) only integers changed, each
            // by the same step as in the iteration before.
            let steps = if self.vars == v0 {
                Some(Vec::new())
            } else if always {
                prev_vars
                    .as_ref()
                    .and_then(|pv| counter_steps(pv, &v0, &self.vars))
            } else {
                None
            };
            prev = Some((d, l));
            prev_vars = Some(v0);
            if same && let Some(steps) = steps {
                let skip = self.skippable(d, l);
                if skip > 0 {
                    self.now = d
                        .checked_mul(skip as i32)
                        .and_then(|jump| self.now.checked_add(jump).ok())
                        .map_or(self.until, |t| t.min(self.until));
                    for (k, step) in steps {
                        let v = self
                            .vars
                            .get(&k)
                            .and_then(|v| v.parse::<i64>().ok())
                            .unwrap_or(0);
                        self.vars
                            .insert(k, v.wrapping_add(step.wrapping_mul(skip)).to_string());
                    }
                    // The variables of the iteration before no longer step from here.
                    prev_vars = None;
                }
            }
        }
        Ok(st)
    }

    /// Whole iterations of `d` seconds and `l` lines each that no reader will see.
    fn skippable(&self, d: SignedDuration, l: u64) -> i64 {
        let left = self.until.duration_since(self.now);
        let fit = (left.as_nanos() / d.as_nanos().max(1)) as i64;
        let mut skip = 0i64;
        if l == 0 {
            skip = fit - 1;
        } else {
            if let Some(n) = self.sink.tail() {
                let need = (n as u64).div_ceil(l) as i64 + 1;
                skip = skip.max(fit - need);
            }
            if let Some(s) = self.sink.since()
                && s > self.now
            {
                let before = (s.duration_since(self.now).as_nanos() / d.as_nanos()) as i64;
                skip = skip.max(before - 1);
            }
        }
        skip.clamp(0, i32::MAX as i64)
    }

    fn simple(&mut self, words: &[String], redirs: &[(u8, bool, Option<u8>, Option<String>)]) -> R {
        if let Some(b) = &mut self.budget {
            if *b == 0 {
                return Err(Flow::Stop);
            }
            *b -= 1;
        }
        let mut fields = Vec::new();
        let mut assigns = Vec::new();
        for w in words {
            if fields.is_empty()
                && let Some((k, v)) = w.split_once('=')
                && !k.is_empty()
                && k.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
                && !k.starts_with(|c: char| c.is_ascii_digit())
            {
                let v = self.expand_one(v)?;
                assigns.push((k.to_string(), v));
                continue;
            }
            fields.extend(self.expand(w)?);
        }
        for (k, v) in assigns {
            self.vars.insert(k, v);
        }
        let (out, err) = (self.out.clone(), self.err.clone());
        for (fd, input, dup, target) in redirs {
            if *input {
                continue;
            }
            let t = match (dup, target) {
                (Some(1), _) => self.out.clone(),
                (Some(_), _) => self.err.clone(),
                (None, Some(p)) => {
                    let p = self.expand_one(p)?;
                    if p == "/dev/null" {
                        Target::Null
                    } else if p == "/dev/stdout" || p == "/proc/1/fd/1" {
                        Target::Log
                    } else {
                        self.files.insert(p.clone(), String::new());
                        Target::File(p)
                    }
                }
                (None, None) => continue,
            };
            if *fd == 2 {
                self.err = t;
            } else {
                self.out = t;
            }
        }
        let r = if fields.is_empty() {
            Ok(0)
        } else {
            self.exec(fields)
        };
        self.out = out;
        self.err = err;
        let st = r?;
        self.status = st;
        Ok(st)
    }

    // Long because: one arm per command the simulated containers understand, each a few lines.
    fn exec(&mut self, argv: Vec<String>) -> R {
        let name = base(&argv[0]).to_string();
        let args = &argv[1..];
        match name.as_str() {
            "echo" => {
                let mut i = 0;
                let mut newline = true;
                let mut escapes = true;
                while let Some(a) = args.get(i) {
                    match a.as_str() {
                        "-n" => newline = false,
                        "-e" => escapes = true,
                        "-E" => escapes = false,
                        "-ne" | "-en" => newline = false,
                        _ => break,
                    }
                    i += 1;
                }
                let mut text = args[i..].join(" ");
                if escapes {
                    text = unescape(&text);
                }
                if newline {
                    text.push('\n');
                }
                self.write(&text, 1);
                Ok(0)
            }
            "printf" => {
                let Some(fmt) = args.first() else {
                    return Ok(1);
                };
                let text = printf(fmt, &args[1..]);
                self.write(&text, 1);
                Ok(0)
            }
            "date" => {
                let text = date(self.now, args);
                self.write(&format!("{text}\n"), 1);
                Ok(0)
            }
            "sleep" => {
                let mut total = SignedDuration::ZERO;
                for a in args {
                    if a.starts_with("inf") {
                        return self.sleep(SignedDuration::MAX);
                    }
                    match sleep_arg(a) {
                        Some(d) => total = total.saturating_add(d),
                        None => {
                            self.write(&format!("sleep: invalid number '{a}'\n"), 2);
                            return Ok(1);
                        }
                    }
                }
                self.sleep(total)
            }
            "printenv" | "env" => {
                if name == "printenv" && !args.is_empty() {
                    let mut st = 0;
                    for a in args {
                        match self.env_value(a) {
                            Some(v) => self.write(&format!("{v}\n"), 1),
                            None => st = 1,
                        }
                    }
                    return Ok(st);
                }
                let text: String = self
                    .exported
                    .iter()
                    .filter_map(|k| self.vars.get(k).map(|v| format!("{k}={v}\n")))
                    .collect();
                self.write(&text, 1);
                Ok(0)
            }
            "hostname" => {
                let h = format!("{}\n", self.hostname);
                self.write(&h, 1);
                Ok(0)
            }
            "whoami" => {
                self.write("root\n", 1);
                Ok(0)
            }
            "uname" => {
                let text = if args.iter().any(|a| a == "-n") {
                    self.hostname.clone()
                } else {
                    "Linux".to_string()
                };
                self.write(&format!("{text}\n"), 1);
                Ok(0)
            }
            "cat" => {
                let mut st = 0;
                for a in args {
                    let file = self
                        .files
                        .get(a)
                        .or_else(|| self.files.get(&self.resolve(a, true)));
                    match file.cloned() {
                        Some(t) => self.write(&t, 1),
                        None => {
                            self.unknown |= self.files_unknown;
                            let kind = if self.is_dir(a) {
                                "Is a directory"
                            } else {
                                "No such file or directory"
                            };
                            self.write(&format!("cat: can't open '{a}': {kind}\n"), 2);
                            st = 1;
                        }
                    }
                }
                Ok(st)
            }
            "ls" => {
                let flags: String = args
                    .iter()
                    .filter(|a| a.len() > 1 && a.starts_with('-'))
                    .flat_map(|a| a.chars().skip(1))
                    .collect();
                let dirs: Vec<&String> = args
                    .iter()
                    .filter(|a| !(a.len() > 1 && a.starts_with('-')))
                    .collect();
                let dir = dirs.first().map_or("/".to_string(), |d| d.to_string());
                let Some(text) = self.ls(&dir, flags.contains('l'), flags.contains('a')) else {
                    self.unknown |= self.files_unknown;
                    self.write(&format!("ls: {dir}: No such file or directory\n"), 2);
                    return Ok(1);
                };
                self.write(&text, 1);
                Ok(0)
            }
            "grep" => {
                // `grep [-v] [-i] PATTERN [FILE...]`: lines holding the fixed string PATTERN.
                let mut invert = false;
                let mut fold = false;
                let mut rest = args.iter().skip_while(|a| {
                    let flag = a.len() > 1 && a.starts_with('-');
                    if flag {
                        invert |= a.contains('v');
                        fold |= a.contains('i');
                    }
                    flag
                });
                let Some(pattern) = rest.next() else {
                    self.write("Usage: grep [-iv] PATTERN [FILE]...\n", 2);
                    return Ok(2);
                };
                let files: Vec<&String> = rest.collect();
                let input = if files.is_empty() {
                    self.piped.take().unwrap_or_default()
                } else {
                    let mut text = String::new();
                    for f in files {
                        match self.files.get(f.as_str()) {
                            Some(t) => text.push_str(t),
                            None => {
                                self.write(&format!("grep: {f}: No such file or directory\n"), 2);
                                return Ok(2);
                            }
                        }
                    }
                    text
                };
                let norm = |t: &str| {
                    if fold {
                        t.to_lowercase()
                    } else {
                        t.to_string()
                    }
                };
                let want = norm(pattern);
                let hits: String = input
                    .lines()
                    .filter(|l| norm(l).contains(&want) != invert)
                    .map(|l| format!("{l}\n"))
                    .collect();
                let found = !hits.is_empty();
                self.write(&hits, 1);
                Ok(if found { 0 } else { 1 })
            }
            "touch" => {
                for a in args {
                    self.files.entry(a.clone()).or_default();
                }
                Ok(0)
            }
            "seq" => {
                let n: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
                let (from, step, to) = match n.as_slice() {
                    [to] => (1, 1, *to),
                    [from, to] => (*from, 1, *to),
                    [from, step, to] => (*from, *step, *to),
                    _ => return Ok(1),
                };
                if step == 0 {
                    return Ok(1);
                }
                let mut text = String::new();
                let mut i = from;
                let mut count = 0;
                while (step > 0 && i <= to) || (step < 0 && i >= to) {
                    text.push_str(&format!("{i}\n"));
                    i += step;
                    count += 1;
                    if count > 1_000_000 {
                        break;
                    }
                }
                self.write(&text, 1);
                Ok(0)
            }
            "test" => Ok(i32::from(!test(args, &self.files))),
            "[" => {
                let a = match args.last() {
                    Some(l) if l == "]" => &args[..args.len() - 1],
                    _ => {
                        self.write("sh: missing ]\n", 2);
                        return Ok(2);
                    }
                };
                Ok(i32::from(!test(a, &self.files)))
            }
            "true" | ":" | "trap" | "wait" | "set" | "cd" | "mkdir" | "rm" => Ok(0),
            "false" => Ok(1),
            "read" => Ok(1),
            "exit" | "return" => {
                let code = args
                    .first()
                    .and_then(|a| a.parse::<i64>().ok())
                    .map_or(self.status, |c| (c & 0xff) as i32);
                Err(Flow::Exit(code))
            }
            "break" | "continue" => {
                let n = args.first().and_then(|a| a.parse().ok()).unwrap_or(1);
                Err(if name == "break" {
                    Flow::Break(n)
                } else {
                    Flow::Continue(n)
                })
            }
            "export" => {
                for a in args {
                    match a.split_once('=') {
                        Some((k, v)) => self.export(k, v),
                        None => {
                            let v = self.vars.get(a).cloned().unwrap_or_default();
                            self.export(a, &v);
                        }
                    }
                }
                Ok(0)
            }
            "unset" => {
                for a in args {
                    self.vars.remove(a);
                    self.exported.retain(|e| e != a);
                }
                Ok(0)
            }
            "tail" => {
                if args.iter().any(|a| a == "-f" || a == "-F") {
                    return self.sleep(SignedDuration::MAX);
                }
                Ok(0)
            }
            "sh" | "bash" | "ash" | "dash" => {
                let mut i = 0;
                while let Some(a) = args.get(i) {
                    if a == "-c" {
                        let Some(script) = args.get(i + 1) else {
                            self.write(&format!("{name}: -c requires an argument\n"), 2);
                            return Ok(2);
                        };
                        let (vars, exported) = (self.vars.clone(), self.exported.clone());
                        let level = self.var("SHLVL").parse::<i64>().unwrap_or(0) + 1;
                        self.export("SHLVL", &level.to_string());
                        if !self.vars.contains_key("PWD") {
                            self.export("PWD", "/");
                        }
                        let r = match self.script(script) {
                            Err(Flow::Exit(c)) => Ok(c),
                            r => r,
                        };
                        self.vars = vars;
                        self.exported = exported;
                        return r;
                    }
                    if !a.starts_with('-') {
                        break;
                    }
                    i += 1;
                }
                // An interactive shell with no terminal reads nothing and exits.
                Ok(0)
            }
            _ => {
                self.unknown = true;
                self.write(&format!("sh: {}: not found\n", argv[0]), 2);
                Ok(127)
            }
        }
    }

    fn env_value(&self, k: &str) -> Option<String> {
        self.exported
            .iter()
            .any(|e| e == k)
            .then(|| self.vars.get(k).cloned())
            .flatten()
    }

    /// What `ls [-l] [-a] DIR` prints (busybox's long format: mode, links, owner, group, size,
    /// time, name and a link's target), `None` when DIR does not exist. A file lists itself.
    fn ls(&self, dir: &str, long: bool, all: bool) -> Option<String> {
        // A link to a directory is listed through (busybox does so for a trailing `/` or
        // without `-l`; a link to a file lists as itself).
        let whole = self.resolve(dir.trim_end_matches('/'), true);
        let resolved = if self.is_dir(&whole) {
            whole
        } else {
            self.resolve(dir.trim_end_matches('/'), false)
        };
        let dir = resolved.as_str();
        let prefix = format!("{dir}/");
        let mut names: Vec<String> = self
            .files
            .keys()
            .chain(self.links.keys())
            .filter_map(|p| p.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
            .filter(|n| all || !n.starts_with('.'))
            .collect();
        names.sort();
        names.dedup();
        if names.is_empty() && !self.is_dir(dir) {
            if !self.files.contains_key(dir) {
                return None;
            }
            return Some(if long {
                self.ls_row(dir, dir)
            } else {
                format!("{dir}\n")
            });
        }
        if all {
            names.splice(0..0, [".".to_string(), "..".to_string()]);
        }
        if !long {
            return Some(names.iter().map(|n| format!("{n}\n")).collect());
        }
        // tmpfs: a page per file with content; links and directories take none.
        let blocks: usize = names
            .iter()
            .map(|n| format!("{prefix}{n}"))
            .filter(|p| !self.links.contains_key(p))
            .filter_map(|p| self.files.get(&p))
            .map(|t| t.len().div_ceil(4096) * 4)
            .sum();
        let mut out = format!("total {blocks}\n");
        for n in &names {
            let path = match n.as_str() {
                "." => dir.to_string(),
                ".." => dir.rsplit_once('/').map_or("/", |(p, _)| p).to_string(),
                _ => format!("{prefix}{n}"),
            };
            out.push_str(&self.ls_row(&path, n));
        }
        Some(out)
    }

    /// `path` with the links among its components followed (`..data` → the timestamped
    /// directory); the last one too when `last`.
    fn resolve(&self, path: &str, last: bool) -> String {
        let parts: Vec<&str> = path.split('/').collect();
        let mut out = String::new();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.push_str(part);
            if (last || i + 1 < parts.len())
                && let Some(target) = self.links.get(&out)
            {
                let parent = out.rsplit_once('/').map_or("", |(p, _)| p).to_string();
                out = format!("{parent}/{target}");
            }
        }
        out
    }

    fn ls_row(&self, path: &str, name: &str) -> String {
        let (mode, nlink, size, tail) = if let Some(target) = self.links.get(path) {
            ("lrwxrwxrwx", 1, target.len(), format!(" -> {target}"))
        } else if let Some(text) = self.files.get(path) {
            ("-rw-r--r--", 1, text.len(), String::new())
        } else {
            // tmpfs sizes a directory at 20 bytes an entry, itself and its parent included.
            let prefix = format!("{}/", path.trim_end_matches('/'));
            let mut entries: Vec<&str> = self
                .files
                .keys()
                .chain(self.links.keys())
                .filter_map(|p| p.strip_prefix(&prefix))
                .map(|r| r.split('/').next().unwrap_or(r))
                .collect();
            entries.sort_unstable();
            entries.dedup();
            ("drwxr-xr-x", 2, 40 + 20 * entries.len(), String::new())
        };
        let when = jiff::tz::TimeZone::UTC.to_datetime(self.written);
        format!(
            "{mode} {nlink:>4} root     root     {size:>9} {} {name}{tail}\n",
            when.strftime("%b %e %H:%M")
        )
    }

    fn is_dir(&self, p: &str) -> bool {
        let prefix = format!("{}/", p.trim_end_matches('/'));
        self.files.keys().any(|k| k.starts_with(&prefix))
    }

    // -----------------------------------------------------------------------------------------
    // Expansion
    // -----------------------------------------------------------------------------------------

    /// A word expanded to one string (assignments, redirection targets: no field splitting).
    fn expand_one(&mut self, w: &str) -> Result<String, Flow> {
        let mut f = Fields::default();
        self.expand_into(w, &mut f, true)?;
        Ok(f.fields
            .into_iter()
            .chain(f.cur)
            .collect::<Vec<_>>()
            .join(" "))
    }

    /// A word expanded to its fields.
    fn expand(&mut self, w: &str) -> Result<Vec<String>, Flow> {
        let mut f = Fields::default();
        self.expand_into(w, &mut f, false)?;
        if let Some(c) = f.cur.take() {
            f.fields.push(c);
        }
        Ok(f.fields)
    }

    fn expand_into(&mut self, w: &str, f: &mut Fields, no_split: bool) -> Result<(), Flow> {
        let cs: Vec<char> = w.chars().collect();
        let mut i = 0;
        while i < cs.len() {
            match cs[i] {
                '\'' => {
                    let end = cs[i + 1..]
                        .iter()
                        .position(|&c| c == '\'')
                        .map_or(cs.len(), |p| i + 1 + p);
                    f.push_quoted(&cs[i + 1..end.min(cs.len())].iter().collect::<String>());
                    i = end + 1;
                }
                '"' => {
                    let end = dquote_end(&cs, i + 1);
                    let inner: Vec<char> = cs[i + 1..end.min(cs.len())].to_vec();
                    let text = self.expand_dquoted(&inner)?;
                    f.push_quoted(&text);
                    i = end + 1;
                }
                '\\' => {
                    if let Some(c) = cs.get(i + 1) {
                        f.push_quoted(&c.to_string());
                    }
                    i += 2;
                }
                '$' | '`' => {
                    let (text, next) = self.dollar(&cs, i)?;
                    if no_split {
                        f.push_quoted(&text);
                    } else {
                        f.push_split(&text);
                    }
                    i = next;
                }
                c => {
                    f.push_quoted(&c.to_string());
                    i += 1;
                }
            }
        }
        Ok(())
    }

    fn expand_dquoted(&mut self, cs: &[char]) -> Result<String, Flow> {
        let mut out = String::new();
        let mut i = 0;
        while i < cs.len() {
            match cs[i] {
                '\\' if matches!(cs.get(i + 1), Some('$' | '"' | '\\' | '`' | '\n')) => {
                    if cs[i + 1] != '\n' {
                        out.push(cs[i + 1]);
                    }
                    i += 2;
                }
                '$' | '`' => {
                    let (text, next) = self.dollar(cs, i)?;
                    out.push_str(&text);
                    i = next;
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        Ok(out)
    }

    /// `$…` or a backquoted command at `cs[i]`: its text and the index after it.
    fn dollar(&mut self, cs: &[char], i: usize) -> Result<(String, usize), Flow> {
        if cs[i] == '`' {
            let end = cs[i + 1..]
                .iter()
                .position(|&c| c == '`')
                .map_or(cs.len(), |p| i + 1 + p);
            let inner: String = cs[i + 1..end].iter().collect();
            return Ok((self.substitute(&inner)?, end + 1));
        }
        match cs.get(i + 1) {
            Some('(') if cs.get(i + 2) == Some(&'(') => {
                let end = dollar_end(cs, i);
                let inner: String = cs[i + 3..end.saturating_sub(2).max(i + 3)].iter().collect();
                let inner = self.expand_dquoted(&inner.chars().collect::<Vec<_>>())?;
                let v = arith(&inner, &self.vars);
                Ok((v.to_string(), end))
            }
            Some('(') => {
                let end = dollar_end(cs, i);
                let inner: String = cs[i + 2..end.saturating_sub(1).max(i + 2)].iter().collect();
                Ok((self.substitute(&inner)?, end))
            }
            Some('{') => {
                let end = dollar_end(cs, i);
                let inner: String = cs[i + 2..end.saturating_sub(1).max(i + 2)].iter().collect();
                let text = if let Some((name, default)) = inner.split_once(":-") {
                    match self.var(name) {
                        v if v.is_empty() => self.expand_one(default)?,
                        v => v,
                    }
                } else if let Some((name, default)) = inner.split_once('-') {
                    match self.vars.get(name) {
                        Some(v) => v.clone(),
                        None => self.expand_one(default)?,
                    }
                } else if let Some(name) = inner.strip_prefix('#') {
                    self.var(name).chars().count().to_string()
                } else {
                    self.var(&inner)
                };
                Ok((text, end))
            }
            Some(&c)
                if matches!(c, '?' | '$' | '#' | '!' | '@' | '*' | '-') || c.is_ascii_digit() =>
            {
                let v = match c {
                    '?' => self.status.to_string(),
                    '$' => "1".to_string(),
                    '#' => "0".to_string(),
                    _ => String::new(),
                };
                Ok((v, i + 2))
            }
            Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
                let mut j = i + 1;
                while j < cs.len() && (cs[j].is_ascii_alphanumeric() || cs[j] == '_') {
                    j += 1;
                }
                let name: String = cs[i + 1..j].iter().collect();
                Ok((self.var(&name), j))
            }
            _ => Ok(("$".to_string(), i + 1)),
        }
    }

    fn var(&self, name: &str) -> String {
        match name {
            "HOSTNAME" if !self.vars.contains_key(name) => self.hostname.clone(),
            "RANDOM" => (self.now.as_second().rem_euclid(32768)).to_string(),
            _ => self.vars.get(name).cloned().unwrap_or_default(),
        }
    }

    /// `$(cmd)`: what it prints, trailing newlines removed.
    fn substitute(&mut self, inner: &str) -> Result<String, Flow> {
        let saved = std::mem::replace(&mut self.out, Target::Capture);
        let before = std::mem::take(&mut self.captured);
        let vars = self.vars.clone();
        let r = self.script(inner);
        self.vars = vars;
        self.out = saved;
        let text = std::mem::replace(&mut self.captured, before);
        match r {
            Ok(st) | Err(Flow::Exit(st)) => self.status = st,
            Err(f) => return Err(f),
        }
        Ok(text.trim_end_matches('\n').to_string())
    }
}

#[derive(Default)]
struct Fields {
    fields: Vec<String>,
    cur: Option<String>,
}

impl Fields {
    fn push_quoted(&mut self, s: &str) {
        self.cur.get_or_insert_with(String::new).push_str(s);
    }
    fn push_split(&mut self, s: &str) {
        let starts_ws = s.starts_with(char::is_whitespace);
        let ends_ws = s.ends_with(char::is_whitespace);
        let parts: Vec<&str> = s.split_whitespace().collect();
        if parts.is_empty() {
            if starts_ws && let Some(c) = self.cur.take() {
                self.fields.push(c);
            }
            return;
        }
        for (k, p) in parts.iter().enumerate() {
            if (k > 0 || starts_ws)
                && let Some(c) = self.cur.take()
            {
                self.fields.push(c);
            }
            self.push_quoted(p);
        }
        if ends_ws && let Some(c) = self.cur.take() {
            self.fields.push(c);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Commands' details
// ---------------------------------------------------------------------------------------------

/// The integer variables that stepped by the same amount in two iterations (`a` → `b` → `c`),
/// every other variable unchanged; `None` when anything else changed.
fn counter_steps(
    a: &BTreeMap<String, String>,
    b: &BTreeMap<String, String>,
    c: &BTreeMap<String, String>,
) -> Option<Vec<(String, i64)>> {
    if a.len() != b.len() || b.len() != c.len() {
        return None;
    }
    let mut steps = Vec::new();
    for (k, vb) in b {
        let (va, vc) = (a.get(k)?, c.get(k)?);
        if va == vb && vb == vc {
            continue;
        }
        let n = |v: &String| v.parse::<i64>().ok();
        let (x, y, z) = (n(va)?, n(vb)?, n(vc)?);
        if y.wrapping_sub(x) != z.wrapping_sub(y) {
            return None;
        }
        steps.push((k.clone(), z.wrapping_sub(y)));
    }
    Some(steps)
}

/// `sleep`'s argument: seconds, or with an s/m/h/d suffix, fractions allowed.
fn sleep_arg(a: &str) -> Option<SignedDuration> {
    let (num, mult) = match a.chars().last()? {
        's' => (&a[..a.len() - 1], 1.0),
        'm' => (&a[..a.len() - 1], 60.0),
        'h' => (&a[..a.len() - 1], 3600.0),
        'd' => (&a[..a.len() - 1], 86400.0),
        _ => (a, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    let secs = v * mult;
    if secs >= i64::MAX as f64 / 2.0 {
        return Some(SignedDuration::MAX);
    }
    Some(SignedDuration::from_secs_f64(secs))
}

/// `echo`'s backslash escapes (`\n`, `\t`, `\\`, `\c`).
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('c') => break,
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `printf FORMAT ARGS…`: `%s`, `%d`, `%%`, the escapes; the format repeats while arguments remain.
fn printf(fmt: &str, args: &[String]) -> String {
    let mut out = String::new();
    let mut k = 0;
    loop {
        let mut used = false;
        let cs: Vec<char> = fmt.chars().collect();
        let mut i = 0;
        while i < cs.len() {
            match cs[i] {
                '%' if i + 1 < cs.len() => {
                    let mut j = i + 1;
                    while j < cs.len() && (cs[j] == '-' || cs[j].is_ascii_digit()) {
                        j += 1;
                    }
                    let spec: String = cs[i + 1..j].iter().collect();
                    let conv = cs.get(j).copied().unwrap_or('s');
                    if conv == '%' {
                        out.push('%');
                    } else {
                        let a = args.get(k).cloned().unwrap_or_default();
                        k += 1;
                        used = true;
                        let v = if conv == 'd' || conv == 'i' {
                            a.trim().parse::<i64>().unwrap_or(0).to_string()
                        } else {
                            a
                        };
                        let width: usize = spec.trim_start_matches('-').parse().unwrap_or(0);
                        if spec.starts_with('-') {
                            out.push_str(&format!("{v:<width$}"));
                        } else {
                            out.push_str(&format!("{v:>width$}"));
                        }
                    }
                    i = j + 1;
                }
                '\\' => {
                    out.push_str(&unescape(
                        &cs[i..(i + 2).min(cs.len())].iter().collect::<String>(),
                    ));
                    i += 2;
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        if !used || k >= args.len() {
            break;
        }
    }
    out
}

/// `date [-u] [-I[spec]] [-R] [+FORMAT]` at `t`, in UTC (containers have no TZ).
fn date(t: Timestamp, args: &[String]) -> String {
    let z = t.to_zoned(jiff::tz::TimeZone::UTC);
    let mut fmt = "%a %b %e %H:%M:%S %Z %Y".to_string();
    for a in args {
        if let Some(f) = a.strip_prefix('+') {
            fmt = f.to_string();
        } else if a == "-R" {
            fmt = "%a, %d %b %Y %H:%M:%S +0000".into();
        } else if a == "-I" || a == "-Idate" {
            fmt = "%Y-%m-%d".into();
        } else if a == "-Iseconds" {
            fmt = "%Y-%m-%dT%H:%M:%S+00:00".into();
        }
    }
    jiff::fmt::strtime::format(fmt.as_str(), &z).unwrap_or_default()
}

/// `test` / `[ … ]`.
fn test(a: &[String], files: &BTreeMap<String, String>) -> bool {
    let s = |i: usize| a.get(i).map(String::as_str).unwrap_or("");
    let num = |x: &str| x.trim().parse::<i64>().unwrap_or(0);
    match a.len() {
        0 => false,
        1 => !a[0].is_empty(),
        2 if s(0) == "!" => a[1].is_empty(),
        2 => match s(0) {
            "-z" => a[1].is_empty(),
            "-n" => !a[1].is_empty(),
            "-e" | "-f" | "-r" | "-s" => files.contains_key(&a[1]),
            "-d" => {
                let p = format!("{}/", a[1].trim_end_matches('/'));
                a[1] == "/" || files.keys().any(|k| k.starts_with(&p))
            }
            _ => false,
        },
        3 => match s(1) {
            "=" | "==" => a[0] == a[2],
            "!=" => a[0] != a[2],
            "-eq" => num(s(0)) == num(s(2)),
            "-ne" => num(s(0)) != num(s(2)),
            "-lt" => num(s(0)) < num(s(2)),
            "-le" => num(s(0)) <= num(s(2)),
            "-gt" => num(s(0)) > num(s(2)),
            "-ge" => num(s(0)) >= num(s(2)),
            _ if s(0) == "!" => !test(&a[1..], files),
            _ => false,
        },
        _ if s(0) == "!" => !test(&a[1..], files),
        _ => false,
    }
}

/// `$(( … ))`: integers, variables, `+ - * / %`, comparisons, `&& ||`, `!`, parentheses.
pub(crate) fn arith(src: &str, vars: &BTreeMap<String, String>) -> i64 {
    let toks: Vec<String> = {
        let cs: Vec<char> = src.chars().collect();
        let mut t = Vec::new();
        let mut i = 0;
        while i < cs.len() {
            let c = cs[i];
            if c.is_whitespace() {
                i += 1;
            } else if c.is_ascii_alphanumeric() || c == '_' || c == '$' {
                let s = i;
                while i < cs.len()
                    && (cs[i].is_ascii_alphanumeric() || cs[i] == '_' || cs[i] == '$')
                {
                    i += 1;
                }
                t.push(cs[s..i].iter().collect());
            } else {
                let two: String = cs[i..(i + 2).min(cs.len())].iter().collect();
                if ["<=", ">=", "==", "!=", "&&", "||"].contains(&two.as_str()) {
                    t.push(two);
                    i += 2;
                } else {
                    t.push(c.to_string());
                    i += 1;
                }
            }
        }
        t
    };
    let mut p = Arith {
        t: toks,
        i: 0,
        vars,
    };
    p.expr(1)
}

struct Arith<'a> {
    t: Vec<String>,
    i: usize,
    vars: &'a BTreeMap<String, String>,
}

impl Arith<'_> {
    fn prec(op: &str) -> Option<u8> {
        Some(match op {
            "||" => 1,
            "&&" => 2,
            "==" | "!=" => 3,
            "<" | ">" | "<=" | ">=" => 4,
            "+" | "-" => 5,
            "*" | "/" | "%" => 6,
            _ => return None,
        })
    }

    fn expr(&mut self, min: u8) -> i64 {
        let mut lhs = self.unary();
        while let Some(op) = self.t.get(self.i).cloned() {
            let Some(p) = Self::prec(&op) else { break };
            if p < min {
                break;
            }
            self.i += 1;
            let rhs = self.expr(p + 1);
            lhs = match op.as_str() {
                "+" => lhs.wrapping_add(rhs),
                "-" => lhs.wrapping_sub(rhs),
                "*" => lhs.wrapping_mul(rhs),
                "/" => lhs.checked_div(rhs).unwrap_or(0),
                "%" => lhs.checked_rem(rhs).unwrap_or(0),
                "<" => i64::from(lhs < rhs),
                ">" => i64::from(lhs > rhs),
                "<=" => i64::from(lhs <= rhs),
                ">=" => i64::from(lhs >= rhs),
                "==" => i64::from(lhs == rhs),
                "!=" => i64::from(lhs != rhs),
                "&&" => i64::from(lhs != 0 && rhs != 0),
                _ => i64::from(lhs != 0 || rhs != 0),
            };
        }
        lhs
    }

    fn unary(&mut self) -> i64 {
        let Some(tok) = self.t.get(self.i).cloned() else {
            return 0;
        };
        self.i += 1;
        match tok.as_str() {
            "-" => self.unary().wrapping_neg(),
            "+" => self.unary(),
            "!" => i64::from(self.unary() == 0),
            "(" => {
                let v = self.expr(1);
                if self.t.get(self.i).map(String::as_str) == Some(")") {
                    self.i += 1;
                }
                v
            }
            t => {
                let name = t.trim_start_matches('$');
                t.parse().unwrap_or_else(|_| {
                    self.vars
                        .get(name)
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0)
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> Timestamp {
        Timestamp::from_second(1_767_225_600 + s).unwrap() // 2026-01-01T00:00:00Z
    }

    fn world() -> World {
        World {
            env: vec![
                ("PATH".into(), "/usr/bin:/bin".into()),
                ("HOSTNAME".into(), "p".into()),
                ("GREETING".into(), "Warm greetings to".into()),
            ],
            files: [("/etc/config/keys".to_string(), "very".to_string())].into(),
            hostname: "p".into(),
            ..Default::default()
        }
    }

    #[test]
    fn grep_filters_a_pipe_or_a_file() {
        let texts = |script: &str| -> Vec<String> {
            run(script, 10).0.into_iter().map(|(_, l)| l).collect()
        };
        assert_eq!(
            texts("env | grep GREET"),
            vec!["GREETING=Warm greetings to"]
        );
        assert_eq!(
            texts("env | grep -i greet"),
            vec!["GREETING=Warm greetings to"]
        );
        assert_eq!(texts("env | grep -v GREET | grep HOST"), vec!["HOSTNAME=p"]);
        assert_eq!(texts("grep ver /etc/config/keys"), vec!["very"]);
        assert_eq!(texts("echo a | grep b; echo $?"), vec!["1"]);
        assert_eq!(
            texts("grep x /nope; echo $?"),
            vec!["grep: /nope: No such file or directory", "2"]
        );
    }

    #[test]
    fn ls_long_and_all_show_the_volume_layout() {
        let mut w = world();
        let d = "..2026_01_01_00_00_00.42";
        w.files = [
            (format!("/etc/config/{d}/keys"), "very".to_string()),
            ("/etc/config/keys".to_string(), "very".to_string()),
        ]
        .into();
        w.links = [
            ("/etc/config/..data".to_string(), d.to_string()),
            ("/etc/config/keys".to_string(), "..data/keys".to_string()),
        ]
        .into();
        w.written = Some(t(0));
        let ls = |script: &str| -> Vec<String> {
            let mut lines: Vec<Line> = Vec::new();
            run_script(script, &w, t(0), t(10), &mut lines);
            lines.into_iter().map(|l| l.text).collect()
        };
        assert_eq!(ls("ls /etc/config"), ["keys"]);
        assert_eq!(
            ls("ls -l /etc/config"),
            [
                "total 0",
                "lrwxrwxrwx    1 root     root            11 Jan  1 00:00 keys -> ..data/keys"
            ]
        );
        let all = ls("ls -la /etc/config");
        assert_eq!(all.len(), 6);
        assert_eq!(
            all[4],
            format!("lrwxrwxrwx    1 root     root            24 Jan  1 00:00 ..data -> {d}")
        );
        assert_eq!(ls("ls /etc/config/..data"), ["keys"]);
        assert_eq!(ls("cat /etc/config/..data/keys"), ["very"]);
    }

    #[test]
    fn exec_keeps_stderr_apart() {
        #[derive(Default)]
        struct Two(Vec<String>, String);
        impl Sink for Two {
            fn line(&mut self, l: Line) {
                self.0.push(l.text);
            }
            fn stderr(&mut self, text: &str) {
                self.1.push_str(text);
            }
        }
        let mut two = Two::default();
        let argv: Vec<String> = ["sh", "-c", "echo out; cat /missing; exit 3"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let end = run_command(&argv, &world(), (t(0), t(10)), &mut two, true);
        assert_eq!(end, Some(End::Exited(3, t(0))));
        assert_eq!(two.0, vec!["out"]);
        assert_eq!(
            two.1,
            "cat: can't open '/missing': No such file or directory\n"
        );
        let unknown: Vec<String> = vec!["vim".into()];
        assert_eq!(
            run_command(&unknown, &world(), (t(0), t(10)), &mut two, true),
            None
        );
    }

    fn run(script: &str, until: i64) -> (Vec<(i64, String)>, End) {
        let mut lines: Vec<Line> = Vec::new();
        let end = run_script(script, &world(), t(0), t(until), &mut lines);
        (
            lines
                .into_iter()
                .map(|l| (l.at.duration_since(t(0)).as_secs(), l.text))
                .collect(),
            end,
        )
    }

    fn texts(script: &str) -> Vec<String> {
        run(script, 1000).0.into_iter().map(|l| l.1).collect()
    }

    #[test]
    fn echo_date_and_the_hello_cronjob() {
        let (lines, end) = run("date; echo Hello from the Kubernetes cluster", 100);
        assert_eq!(
            lines,
            vec![
                (0, "Thu Jan  1 00:00:00 UTC 2026".to_string()),
                (0, "Hello from the Kubernetes cluster".to_string())
            ]
        );
        assert_eq!(end, End::Exited(0, t(0)));
        assert_eq!(
            texts("date +%s; date -u +%Y-%m-%dT%H:%M:%SZ"),
            ["1767225600", "2026-01-01T00:00:00Z"]
        );
    }

    #[test]
    fn loops_sleep_and_variables() {
        let (lines, end) = run(
            "i=0; while true; do echo \"$i: $(date)\"; i=$((i+1)); sleep 1; done",
            2,
        );
        assert_eq!(
            lines,
            vec![
                (0, "0: Thu Jan  1 00:00:00 UTC 2026".to_string()),
                (1, "1: Thu Jan  1 00:00:01 UTC 2026".to_string()),
                (2, "2: Thu Jan  1 00:00:02 UTC 2026".to_string()),
            ]
        );
        assert_eq!(end, End::Running);
        let (lines, end) = run("for i in 1 2 3; do echo $i; sleep 2; done; exit 3", 100);
        assert_eq!(
            lines,
            vec![(0, "1".into()), (2, "2".into()), (4, "3".into())]
        );
        assert_eq!(end, End::Exited(3, t(6)));
        assert_eq!(
            texts("for i in $(seq 2 4); do printf '%s-' $i; done; echo"),
            ["2-3-4-"]
        );
        assert_eq!(
            texts("n=3; until [ $n -le 0 ]; do echo n=$n; n=$((n - 1)); done"),
            ["n=3", "n=2", "n=1"]
        );
        assert_eq!(
            texts("x=5; if [ \"$x\" -gt 3 ]; then echo big; else echo small; fi"),
            ["big"]
        );
        assert_eq!(
            texts("false || echo a && echo b; false && echo c"),
            ["a", "b"]
        );
        assert_eq!(
            texts("echo ${MISSING:-dflt} ${GREETING}"),
            ["dflt Warm greetings to"]
        );
        assert_eq!(
            texts("echo 'single $HOME' \"a  b\" c\\ d"),
            ["single $HOME a  b c d"]
        );
        assert_eq!(texts("echo `hostname`; echo $((2*(3+4)%5))"), ["p", "4"]);
    }

    #[test]
    fn environment_files_and_errors() {
        assert_eq!(
            texts("printenv GREETING; env"),
            [
                "Warm greetings to",
                "PATH=/usr/bin:/bin",
                "HOSTNAME=p",
                "GREETING=Warm greetings to",
                "SHLVL=1",
                "PWD=/"
            ]
        );
        assert_eq!(
            texts("export A=1; printenv A; B=2; printenv B || echo unset"),
            ["1", "unset"]
        );
        let (lines, end) = run("cat /etc/config/keys", 10);
        assert_eq!(lines, vec![(0, "very".to_string())]);
        assert_eq!(end, End::Exited(0, t(0)));
        assert_eq!(texts("ls /etc/config; cat /etc/hostname"), ["keys", "p"]);
        assert_eq!(
            texts("echo hi > /tmp/x; cat /tmp/x; echo gone >/dev/null"),
            ["hi"]
        );
        let (lines, end) = run("curl http://web; echo $?", 10);
        assert_eq!(
            lines,
            vec![(0, "sh: curl: not found".into()), (0, "127".into())]
        );
        assert_eq!(end, End::Exited(0, t(0)));
        assert_eq!(
            texts("echo hi | cat; echo no | wc -l"),
            ["hi", "sh: wc: not found"]
        );
        assert_eq!(
            texts("while true; do"),
            ["sh: syntax error: unexpected end of file (expecting \"done\")"]
        );
    }

    #[test]
    fn sleeps_bound_the_run() {
        assert_eq!(run("sleep 5; echo done", 4), (vec![], End::Running));
        assert_eq!(
            run("sleep 5; echo done", 5),
            (vec![(5, "done".into())], End::Exited(0, t(5)))
        );
        assert_eq!(
            run("sleep 1m 30s 0.5; echo x", 100).1,
            End::Exited(0, t(90) + SignedDuration::from_millis(500))
        );
        assert_eq!(
            run("sleep 99999999999999999999; echo x", 100),
            (vec![], End::Running)
        );
        assert_eq!(run("tail -f /dev/null", 100).1, End::Running);
        assert_eq!(run("while true; do :; done", 100).1, End::Running);
    }

    #[test]
    fn run_times() {
        let argv = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let w = world();
        let rt = |v: &[&str]| run_time(&argv(v), &w);
        assert_eq!(rt(&["sleep", "3600"]), Some((Some(3600), 0)));
        assert_eq!(rt(&["sleep", "99999999999"]), Some((None, 0)));
        assert_eq!(
            rt(&[
                "sh",
                "-c",
                "for i in 1 2 3; do echo step $i; sleep 10; done; exit 4"
            ]),
            Some((Some(30), 4))
        );
        assert_eq!(
            rt(&["sh", "-c", "while true; do sleep 5; done"]),
            Some((None, 0))
        );
        assert_eq!(
            rt(&["sh", "-c", "i=0; while true; do i=$((i+1)); sleep 1; done"]),
            Some((None, 0))
        );
        assert_eq!(rt(&["sh", "-c", "sleep 0.5; false"]), Some((Some(1), 1)));
        assert_eq!(rt(&["sh", "-c", "nginx -g 'daemon off;'"]), None);
        assert_eq!(rt(&["sh", "-c", "while true; do"]), None);
        assert_eq!(rt(&["nginx"]), None);
        assert_eq!(rt(&["sh", "-c", "cat /etc/secret/token"]), None);
    }

    struct Tail(Vec<Line>, usize);
    impl Sink for Tail {
        fn line(&mut self, l: Line) {
            self.0.push(l);
        }
        fn tail(&self) -> Option<usize> {
            Some(self.1)
        }
    }

    /// A loop that prints every 5 s for 30 days, read with `--tail 3`, is fast-forwarded: it
    /// yields a handful of lines, and the last three are the true last three.
    #[test]
    fn long_loops_are_fast_forwarded_for_a_tail() {
        let month = 30 * 86400;
        let mut sink = Tail(Vec::new(), 3);
        let end = run_script(
            "while true; do echo \"$(date +%s) tick\"; sleep 5; done",
            &world(),
            t(0),
            t(month),
            &mut sink,
        );
        assert_eq!(end, End::Running);
        assert!(sink.0.len() < 20, "{} lines generated", sink.0.len());
        let last: Vec<String> = sink.0[sink.0.len() - 3..]
            .iter()
            .map(|l| l.text.clone())
            .collect();
        let at = |k: i64| format!("{} tick", 1_767_225_600 + k);
        assert_eq!(last, [at(month - 10), at(month - 5), at(month)]);
    }

    /// The same with a counter (`i=$((i+1))`) in `while true`: stepped over too, and the
    /// count is right at the end.
    #[test]
    fn counters_are_stepped_over() {
        let month = 30 * 86400;
        let mut sink = Tail(Vec::new(), 2);
        run_script(
            "i=0; while true; do echo \"$i\"; i=$((i+1)); sleep 1; done",
            &world(),
            t(0),
            t(month),
            &mut sink,
        );
        assert!(sink.0.len() < 20, "{} lines generated", sink.0.len());
        let last: Vec<String> = sink.0[sink.0.len() - 2..]
            .iter()
            .map(|l| l.text.clone())
            .collect();
        assert_eq!(last, [(month - 1).to_string(), month.to_string()]);
        // A condition that reads the counter is never stepped over.
        let (lines, _) = run(
            "i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); sleep 1; done",
            100,
        );
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn argv_without_a_shell() {
        let mut lines: Vec<Line> = Vec::new();
        let argv = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let end = run_argv(
            &argv(&["echo", "$HOME", "a"]),
            &world(),
            t(0),
            t(9),
            &mut lines,
        );
        assert_eq!(end, Some(End::Exited(0, t(0))));
        assert_eq!(lines[0].text, "$HOME a");
        assert_eq!(
            run_argv(&argv(&["myserver"]), &world(), t(0), t(9), &mut lines),
            None
        );
        let end = run_argv(
            &argv(&["/bin/sh", "-c", "echo one; sleep 2; echo two"]),
            &world(),
            t(0),
            t(9),
            &mut lines,
        );
        assert_eq!(end, Some(End::Exited(0, t(2))));
        assert_eq!(lines.len(), 3);
    }
}
