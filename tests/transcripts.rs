//! Golden transcripts: `tests/transcripts/*.txt` hold sessions of commands with their exact
//! stdout, stderr and exit status. Each file runs on a fresh state with a fixed clock.
//!
//! Format: a line `$ kubesim ARGS...` starts a command (arguments split like a shell would,
//! single and double quotes supported; `<<< FILE` feeds a file on stdin). The lines after it are
//! the expected output: stdout lines as they are, stderr lines prefixed `! `, and a final
//! `[exit N]` line when the exit status is not 0. Lines starting with `#` are comments.
//! Set `KUBESIM_BLESS=1` to rewrite the files with what the binary prints now.

use crate::common::{Sim, repo_root};

fn split_args(line: &str) -> Vec<String> {
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

struct Step {
    cmd: String,
    expected: String,
}

fn parse(text: &str) -> (String, Vec<Step>) {
    let mut header = String::new();
    let mut steps: Vec<Step> = Vec::new();
    for line in text.lines() {
        if let Some(cmd) = line.strip_prefix("$ kubesim ") {
            steps.push(Step {
                cmd: cmd.to_string(),
                expected: String::new(),
            });
        } else if let Some(s) = steps.last_mut() {
            s.expected.push_str(line);
            s.expected.push('\n');
        } else {
            header.push_str(line);
            header.push('\n');
        }
    }
    (header, steps)
}

fn render(out: &std::process::Output) -> String {
    let mut s = String::from_utf8_lossy(&out.stdout).to_string();
    if !s.is_empty() && !s.ends_with('\n') {
        s.push_str("\n[no newline]\n");
    }
    for l in String::from_utf8_lossy(&out.stderr).lines() {
        s.push_str("! ");
        s.push_str(l);
        s.push('\n');
    }
    let code = out.status.code().unwrap_or(-1);
    if code != 0 {
        s.push_str(&format!("[exit {code}]\n"));
    }
    s
}

fn run_file(path: &std::path::Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).unwrap();
    let (header, steps) = parse(&text);
    let name = path.file_stem().unwrap().to_string_lossy().to_string();
    let sim = Sim::new(&name);
    let mut actual = header.clone();
    let mut failures = Vec::new();
    for s in &steps {
        let (cmdline, stdin_file) = match s.cmd.split_once(" <<< ") {
            Some((c, f)) => (c.to_string(), Some(f.trim().to_string())),
            None => (s.cmd.clone(), None),
        };
        let args = split_args(&cmdline);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let stdin = stdin_file.map(|f| std::fs::read_to_string(repo_root().join(f)).unwrap());
        let got = render(&sim.run(&args, stdin.as_deref()));
        // Comments in the expected block are kept as they are.
        let comments: String = s
            .expected
            .lines()
            .filter(|l| l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        let want: String = s
            .expected
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        if got != want {
            failures.push(format!(
                "--- {}: `kubesim {}`\n{}",
                path.display(),
                s.cmd,
                similar_diff(&want, &got)
            ));
        }
        actual.push_str(&format!("$ kubesim {}\n{got}{comments}", s.cmd));
    }
    if std::env::var_os("KUBESIM_BLESS").is_some() {
        std::fs::write(path, actual).unwrap();
        return Ok(());
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

fn similar_diff(want: &str, got: &str) -> String {
    let mut s = String::new();
    for l in want.lines() {
        s.push_str(&format!("-{l}\n"));
    }
    for l in got.lines() {
        s.push_str(&format!("+{l}\n"));
    }
    s
}

#[test]
fn transcripts() {
    let dir = repo_root().join("tests/transcripts");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no transcripts in {}", dir.display());
    let errors: Vec<String> = files.iter().filter_map(|f| run_file(f).err()).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
}
