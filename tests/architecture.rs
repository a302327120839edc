//! The architecture, enforced: layers that point one way, and functions a person can hold.
//!
//! Every `src/<layer>/**.rs` file is read; each `crate::<module>` path (also inside
//! `use crate::{a, b::c}` groups) and each `super::` path that climbs out of the layer names
//! the layer it reaches. An edge the table below does not allow fails the test with
//! `file:line` and the edge. Comments, strings and character literals are skipped, so a doc
//! link is not an import.
//!
//! The same walk finds every `fn` with a body longer than [`MAX_FN_LINES`] lines; such a
//! function needs a `// Long because: <reason>` comment directly above it (among its doc
//! comments and attributes).
//!
//! Both checks have an explicit, commented allow-list of what is known and being fixed on
//! other branches. An entry that no longer occurs fails the test too, so the lists only
//! shrink: delete the entry when its fix lands.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers, bottom to top, and what each may import (besides itself). Written once; the
/// picture in ARCHITECTURE.md is this table.
const LAYERS: &[(&str, &[&str])] = &[
    ("util", &[]),
    ("store", &["util"]),
    ("print", &["util"]),
    ("kinds", &["print", "util"]),
    ("api", &["kinds", "store", "print", "util"]),
    ("engine", &["api", "kinds", "util"]),
    ("controllers", &["engine", "api", "kinds", "print", "util"]),
    ("sim", &["engine", "api", "kinds", "print", "util"]),
    (
        "cli",
        &[
            "sim",
            "controllers",
            "engine",
            "api",
            "kinds",
            "print",
            "store",
            "util",
        ],
    ),
];

/// Known upward or sideways imports, as `file -> layer`, each waiting for a branch that
/// removes it. Temporary: this list shrinks to empty.
const ALLOWED_EDGES: &[&str] = &[];

/// Longest function body without a written reason.
const MAX_FN_LINES: usize = 150;

/// Functions over [`MAX_FN_LINES`] lines without a `// Long because:` comment, as
/// `file::fn`, in files other branches are splitting. Temporary: this list shrinks to empty.
const ALLOWED_LONG_FNS: &[&str] = &[
    // Controllers (tables of upstream test cases, and the ReplicaSet sync).
    "src/controllers/deployment/sync.rs::test_scale",
    "src/controllers/podutil.rs::sorting_active_pods_with_ranks",
    "src/controllers/replication.rs::sync",
    // Branch `layers` (the verbs' run functions shrink with the shared flag groups).
    "src/api/mod.rs::record_event_at",
    "src/cli/create.rs::run_generator",
    "src/cli/events.rs::run",
    "src/cli/get.rs::run",
    "src/cli/label.rs::run",
    "src/cli/run.rs::run",
];

// ---------------------------------------------------------------------------------------------
// The checks.

#[test]
fn layers_point_one_way() {
    let mut found = Vec::new();
    for (path, text) in sources() {
        for v in layer_violations(&path, &text) {
            found.push(v);
        }
    }
    let seen: BTreeSet<String> = found.iter().map(|v| v.edge()).collect();
    let mut errors: Vec<String> = found
        .iter()
        .filter(|v| !ALLOWED_EDGES.contains(&v.edge().as_str()))
        .map(|v| v.to_string())
        .collect();
    for stale in ALLOWED_EDGES.iter().filter(|e| !seen.contains(**e)) {
        errors.push(format!(
            "allow-list entry {stale:?} no longer occurs: delete it from ALLOWED_EDGES"
        ));
    }
    assert!(
        errors.is_empty(),
        "imports that break the layering (tests/architecture.rs LAYERS):\n{}",
        errors.join("\n")
    );
}

#[test]
fn functions_a_person_can_hold() {
    let mut found = Vec::new();
    for (path, text) in sources() {
        found.extend(long_functions(&path, &text, MAX_FN_LINES));
    }
    let seen: BTreeSet<String> = found.iter().map(|f| f.key()).collect();
    let mut errors: Vec<String> = found
        .iter()
        .filter(|f| !ALLOWED_LONG_FNS.contains(&f.key().as_str()))
        .map(|f| {
            format!(
                "{}:{}: fn {} is {} lines (over {MAX_FN_LINES}): split it, or write \
                 `// Long because: <reason>` above it",
                f.file, f.line, f.name, f.lines
            )
        })
        .collect();
    for stale in ALLOWED_LONG_FNS.iter().filter(|e| !seen.contains(**e)) {
        errors.push(format!(
            "allow-list entry {stale:?} no longer occurs: delete it from ALLOWED_LONG_FNS"
        ));
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// Every `.rs` file under `src/`, as (`src/...` path, text).
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("dir entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    files
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(root).expect("under the crate").to_path_buf();
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(&p).expect("readable source"))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The layer checker.

/// One import that leaves the layer for one it may not use.
#[derive(Debug, PartialEq, Eq)]
struct Violation {
    file: String,
    line: usize,
    from: String,
    to: String,
    path: String,
}

impl Violation {
    /// The allow-list form: `file -> layer`.
    fn edge(&self) -> String {
        format!("{} -> {}", self.file, self.to)
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {} imports {} ({}), which the layering forbids",
            self.file, self.line, self.from, self.to, self.path
        )
    }
}

/// The layer a `src/...` file belongs to, and its module path (`src/cli/get.rs` →
/// `cli`, [`cli`, `get`]). Top-level files (`lib.rs`, `main.rs`) belong to no layer.
fn module_of(file: &str) -> Option<(String, Vec<String>)> {
    let rest = file.strip_prefix("src/")?;
    let mut segs: Vec<String> = rest.split('/').map(str::to_string).collect();
    if segs.len() < 2 {
        return None;
    }
    let last = segs.pop()?;
    let stem = last.strip_suffix(".rs")?;
    if stem != "mod" {
        segs.push(stem.to_string());
    }
    Some((segs[0].clone(), segs))
}

fn allowed(from: &str, to: &str) -> bool {
    from == to
        || LAYERS
            .iter()
            .find(|(l, _)| *l == from)
            .is_some_and(|(_, deps)| deps.contains(&to))
}

fn is_layer(name: &str) -> bool {
    LAYERS.iter().any(|(l, _)| *l == name)
}

/// Source with comments, strings and character literals blanked (newlines kept, so line
/// numbers stay).
fn code_only(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && (i == 0 || !(b[i - 1].is_alphanumeric() || b[i - 1] == '_'))
        {
            // Raw string r"..." / r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (1..=hashes).all(|k| b.get(j + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            for &ch in &b[i..j.min(b.len())] {
                out.push(blank(ch));
            }
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < b.len() {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if next == Some('\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                for _ in i..=j.min(b.len() - 1) {
                    out.push(' ');
                }
                i = j + 1;
            } else if b.get(i + 2) == Some(&'\'') {
                out.push_str("   ");
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The first segments a `crate::` path names: `crate::api::X` → [api];
/// `crate::{api::{A, B}, engine}` → [api, engine].
fn group_heads(after: &str) -> Vec<String> {
    let after = after.trim_start();
    if let Some(inner) = after.strip_prefix('{') {
        let mut heads = Vec::new();
        let mut depth = 0;
        let mut item = String::new();
        for c in inner.chars() {
            match c {
                '{' => {
                    depth += 1;
                    item.push(c);
                }
                '}' if depth == 0 => {
                    heads.push(item.clone());
                    break;
                }
                '}' => {
                    depth -= 1;
                    item.push(c);
                }
                ',' if depth == 0 => {
                    heads.push(std::mem::take(&mut item));
                }
                _ => item.push(c),
            }
        }
        heads
            .iter()
            .map(|h| ident_at(h.trim_start()))
            .filter(|h| !h.is_empty())
            .collect()
    } else {
        vec![ident_at(after)]
    }
}

fn ident_at(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The imports of one file that its layer may not make.
fn layer_violations(file: &str, text: &str) -> Vec<Violation> {
    let Some((layer, module)) = module_of(file) else {
        return Vec::new();
    };
    let code = code_only(text);
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    // Inline `mod name {` blocks: (name, brace depth inside it).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut pending_mod: Option<String> = None;
    let mut i = 0;
    let word_at = |i: usize, w: &str| -> bool {
        let wc: Vec<char> = w.chars().collect();
        chars.len() >= i + wc.len()
            && chars[i..i + wc.len()] == wc[..]
            && (i == 0 || !is_ident_char(chars[i - 1]))
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => line += 1,
            '{' => {
                depth += 1;
                if let Some(name) = pending_mod.take() {
                    inline.push((name, depth));
                }
            }
            '}' => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            ';' => pending_mod = None,
            _ => {}
        }
        if word_at(i, "mod") && chars.get(i + 3).is_some_and(|c| c.is_whitespace()) {
            let rest: String = chars[i + 3..].iter().take(80).collect();
            pending_mod = Some(ident_at(rest.trim_start()));
            i += 3;
            continue;
        }
        let rest = || -> String { chars[i..].iter().take(400).collect() };
        if word_at(i, "crate::") {
            let r = rest();
            for head in group_heads(&r["crate::".len()..]) {
                if is_layer(&head) && !allowed(&layer, &head) {
                    out.push(Violation {
                        file: file.to_string(),
                        line,
                        from: layer.clone(),
                        to: head.clone(),
                        path: path_text(&r),
                    });
                }
            }
            i += "crate::".len();
            continue;
        }
        if word_at(i, "super::") {
            let r = rest();
            let mut ups = 0;
            let mut tail = r.as_str();
            while let Some(t) = tail.strip_prefix("super::") {
                ups += 1;
                tail = t.trim_start();
            }
            // The module this code is in: the file's, plus the inline modules around it.
            let mut here = module.clone();
            here.extend(inline.iter().map(|(n, _)| n.clone()));
            if ups >= here.len() {
                // Climbed to the crate root: the next segment names a layer.
                let above = ups - here.len();
                if above == 0 {
                    for head in group_heads(tail) {
                        if is_layer(&head) && !allowed(&layer, &head) {
                            out.push(Violation {
                                file: file.to_string(),
                                line,
                                from: layer.clone(),
                                to: head.clone(),
                                path: path_text(&r),
                            });
                        }
                    }
                }
            }
            i += "super::".len() * ups;
            continue;
        }
        i += 1;
    }
    out
}

/// The path as written, up to the end of the statement or line (for messages).
fn path_text(r: &str) -> String {
    let end = r.find([';', '\n']).unwrap_or(r.len());
    r[..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// The function-length checker.

/// A function longer than the limit with no reason written above it.
#[derive(Debug, PartialEq, Eq)]
struct LongFn {
    file: String,
    line: usize,
    name: String,
    lines: usize,
}

impl LongFn {
    /// The allow-list form: `file::fn`.
    fn key(&self) -> String {
        format!("{}::{}", self.file, self.name)
    }
}

fn long_functions(file: &str, text: &str, max: usize) -> Vec<LongFn> {
    let code = code_only(text);
    let chars: Vec<char> = code.chars().collect();
    let lines: Vec<&str> = text.lines().collect();
    // The line (1-based) of every char index.
    let mut line_of = Vec::with_capacity(chars.len() + 1);
    let mut l = 1;
    for &c in &chars {
        line_of.push(l);
        if c == '\n' {
            l += 1;
        }
    }
    line_of.push(l);
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 < chars.len() {
        let is_fn = chars[i] == 'f'
            && chars[i + 1] == 'n'
            && chars[i + 2].is_whitespace()
            && (i == 0 || !is_ident_char(chars[i - 1]));
        if !is_fn {
            i += 1;
            continue;
        }
        let head: String = chars[i + 2..].iter().take(100).collect();
        let name = ident_at(head.trim_start());
        // The body: the first `{` outside parentheses before any `;`.
        let mut j = i + 2;
        let mut parens = 0i32;
        let mut body = None;
        while j < chars.len() {
            match chars[j] {
                '(' | '[' => parens += 1,
                ')' | ']' => parens -= 1,
                ';' if parens == 0 => break,
                '{' if parens == 0 => {
                    body = Some(j);
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        let Some(open) = body else {
            i += 2;
            continue;
        };
        let mut depth = 0;
        let mut close = open;
        for (k, &c) in chars.iter().enumerate().skip(open) {
            if c == '{' {
                depth += 1;
            } else if c == '}' {
                depth -= 1;
                if depth == 0 {
                    close = k;
                    break;
                }
            }
        }
        let start = line_of[i];
        let count = line_of[close] - start + 1;
        if count > max && !has_reason(&lines, start) {
            out.push(LongFn {
                file: file.to_string(),
                line: start,
                name,
                lines: count,
            });
        }
        i += 2;
    }
    out
}

/// Whether the lines directly above line `start` (its doc comments, attributes and comments)
/// carry `// Long because: <reason>`.
fn has_reason(lines: &[&str], start: usize) -> bool {
    let mut k = start.saturating_sub(1); // 0-based index of the fn line
    while k > 0 {
        k -= 1;
        let t = lines[k].trim_start();
        if t.starts_with("// Long because:") && t.len() > "// Long because:".len() + 1 {
            return true;
        }
        if !(t.starts_with("//") || t.starts_with("#[") || t.starts_with("#![")) {
            return false;
        }
    }
    false
}

// ---------------------------------------------------------------------------------------------
// The checkers, checked.

#[test]
fn an_upward_import_is_caught() {
    let src = "use crate::util::ptr::Ptr;\nuse crate::api::Api;\nfn f() {}\n";
    let v = layer_violations("src/store/mod.rs", src);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].line, 2);
    assert_eq!(v[0].edge(), "src/store/mod.rs -> api");
    assert!(
        v[0].to_string()
            .starts_with("src/store/mod.rs:2: store imports api (crate::api::Api)"),
        "{}",
        v[0]
    );
}

#[test]
fn groups_super_paths_and_inline_paths_are_caught() {
    let src = "use crate::{util::ptr::Ptr, cli::{CliError, Ctx}};\n\
               fn f() { let _ = crate::engine::settle; }\n";
    let v = layer_violations("src/print/output.rs", src);
    let edges: Vec<String> = v.iter().map(|v| format!("{}:{}", v.to, v.line)).collect();
    assert_eq!(edges, ["cli:1", "engine:2"]);
    // `super::` from a layer's mod.rs reaches the crate root.
    let v = layer_violations("src/store/mod.rs", "use super::api::Api;\n");
    assert_eq!(v.len(), 1);
    // ... but from a module inside the layer, or an inline `mod tests`, it stays inside.
    assert!(layer_violations("src/store/lock.rs", "use super::api::Api;\n").is_empty());
    let tests = "mod tests {\n    use super::*;\n    use super::api::X;\n}\n";
    assert!(layer_violations("src/store/mod.rs", tests).is_empty());
}

#[test]
fn comments_and_strings_are_not_imports() {
    let src = "//! See [`crate::cli`].\n/* crate::cli */\nfn f() -> &'static str {\n    \
               let _c = '\"';\n    \"crate::cli::X\"\n}\n";
    assert!(layer_violations("src/util/mod.rs", src).is_empty());
    // Downward and same-layer imports are fine.
    let ok = "use crate::api::Api;\nuse crate::kinds::Kind;\nuse crate::cli::x;\n";
    assert!(layer_violations("src/cli/get.rs", ok).is_empty());
    assert!(layer_violations("src/main.rs", "use crate::cli::x;\n").is_empty());
}

#[test]
fn long_functions_need_a_reason() {
    let body = |n: usize| "    let x = 1;\n".repeat(n);
    let long = format!("fn big() {{\n{}}}\nfn small() {{\n}}\n", body(10));
    let found = long_functions("src/x.rs", &long, 5);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].name.as_str(), found[0].lines), ("big", 12));
    let reasoned = format!(
        "// Long because: one table, read top to bottom.\n#[allow(x)]\nfn big() {{\n{}}}\n",
        body(10)
    );
    assert!(long_functions("src/x.rs", &reasoned, 5).is_empty());
    // A declaration without a body is not a function to measure.
    assert!(long_functions("src/x.rs", "trait T {\n    fn f(&self);\n}\n", 0).is_empty());
}
