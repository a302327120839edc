//! A tiny harness: a fresh state directory per test and a way to run kubesim in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A fresh state directory with a fixed clock, removed when dropped.
pub struct Sim {
    pub dir: PathBuf,
}

impl Sim {
    pub fn new(name: &str) -> Sim {
        let dir = std::env::temp_dir().join(format!("kubesim-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Sim { dir }
    }

    pub fn state(&self) -> PathBuf {
        self.dir.join("state")
    }

    /// Runs kubesim with the given arguments (split on whitespace unless quoted with ').
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        self.run_env(args, stdin, &[])
    }

    /// [`Self::run`] with more environment (`KUBE_EDITOR` for `edit`).
    pub fn run_env(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_kubesim"));
        c.envs(env.iter().copied());
        c.args(args)
            .current_dir(repo_root())
            .env("KUBESIM_STATE_DIR", self.state())
            .env("KUBESIM_START_TIME", "2026-01-01T00:00:00Z")
            .env_remove("COMPLETE")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().expect("spawn kubesim");
        if let Some(s) = stdin {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
        }
        child.wait_with_output().unwrap()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}
