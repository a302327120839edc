//! `kubesim test PATH...`: runs golden transcripts (format in [`super::golden`]), each on a
//! fresh state, in parallel; prints a unified diff for each file that differs and a summary;
//! exits 1 when anything differs. `--bless` writes what the commands print now into the files
//! that differ (a file of bare commands becomes a golden file).

use super::golden::{self, Outcome, Runner, Verdict};
use super::{CliError, CliResult, Out};
use clap::Args;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Args, Debug, Clone)]
pub struct TestArgs {
    /// Transcript files, or directories searched (recursively) for *.txt files
    #[arg(required = true, value_name = "PATH", value_hint = clap::ValueHint::AnyPath)]
    pub paths: Vec<PathBuf>,
    /// Write what the commands print now into the files that differ
    #[arg(long)]
    pub bless: bool,
}

/// The `*.txt` files under `dir`, in name order, depth first.
fn txt_files(dir: &Path, into: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            txt_files(&p, into)?;
        } else if p.extension().is_some_and(|e| e == "txt") {
            into.push(p);
        }
    }
    Ok(())
}

/// Runs `files` on up to `available_parallelism` threads; `report(i, outcome)` is called on
/// the calling thread, in file order, as soon as file `i` and those before it are done.
pub fn run_all(
    runner: &Runner,
    files: &[PathBuf],
    bless: bool,
    mut report: impl FnMut(usize, Result<Outcome, String>),
) {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(f) = files.get(i) else { break };
                    if tx.send((i, runner.run_file(f, bless))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: Vec<Option<Result<Outcome, String>>> = vec![None; files.len()];
        let mut shown = 0;
        for (i, r) in rx {
            pending[i] = Some(r);
            while let Some(r) = pending.get_mut(shown).and_then(Option::take) {
                report(shown, r);
                shown += 1;
            }
        }
    });
}

pub fn run(args: TestArgs, out: &mut Out) -> CliResult {
    let dir = std::env::current_dir()?;
    let exe = std::env::current_exe()
        .map_err(|e| CliError::msg(format!("cannot find the kubesim binary: {e}")))?;
    let runner = Runner { exe, dir };
    let mut files = Vec::new();
    let mut errors = 0usize;
    for p in &args.paths {
        if p.is_dir() {
            let before = files.len();
            if let Err(e) = txt_files(p, &mut files) {
                out.error(CliError::msg(format!("{}: {e}", p.display())));
                errors += 1;
            } else if files.len() == before {
                out.error(CliError::msg(format!(
                    "{}: no transcripts (*.txt) found",
                    p.display()
                )));
                errors += 1;
            }
        } else if p.exists() {
            files.push(p.clone());
        } else {
            out.error(CliError::msg(format!("{}: no such file", p.display())));
            errors += 1;
        }
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let (mut passed, mut failed, mut blessed) = (0usize, 0usize, 0usize);
    let mut io = Ok(());
    run_all(&runner, &files, args.bless, |i, r| {
        let shown = runner.display(&files[i]);
        let text = match r {
            Ok(o) => match o.verdict {
                Verdict::Passed => {
                    passed += 1;
                    format!("{} {shown}\n", paint("32", "ok     "))
                }
                Verdict::Failed | Verdict::Blessed => {
                    let diff = if color {
                        golden::colorize(&o.diff)
                    } else {
                        o.diff
                    };
                    let word = if o.verdict == Verdict::Failed {
                        failed += 1;
                        paint("31", "FAILED ")
                    } else {
                        blessed += 1;
                        paint("33", "blessed")
                    };
                    format!("{word} {shown}\n{diff}")
                }
            },
            Err(e) => {
                errors += 1;
                format!("{} {e}\n", paint("31", "error  "))
            }
        };
        if io.is_ok() {
            io = out
                .out
                .write_all(text.as_bytes())
                .and_then(|_| out.out.flush());
        }
    });
    io?;
    let noun = if files.len() == 1 {
        "transcript"
    } else {
        "transcripts"
    };
    let mut summary = format!("{} {noun}: {passed} passed, {failed} failed", files.len());
    if args.bless {
        summary.push_str(&format!(", {blessed} blessed"));
    }
    if errors > 0 {
        let noun = if errors == 1 { "error" } else { "errors" };
        summary.push_str(&format!(", {errors} {noun}"));
    }
    writeln!(out.out, "{summary}")?;
    if failed > 0 || errors > 0 {
        out.failed = true;
    }
    Ok(())
}
