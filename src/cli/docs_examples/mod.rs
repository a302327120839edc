//! `-f URL` without a network. kubectl downloads an `-f` argument that starts with `http://`
//! or `https://` (cli-runtime's builder, `URLVisitor`), and the Kubernetes docs start most
//! pages with `kubectl apply -f https://k8s.io/examples/...`. kubesim carries the docs'
//! example manifests that its tutorials' pages apply (`files/`, listed by the generated
//! `index.rs`; `gen.sh` regenerates it; `SOURCES.tsv` says where each came from) and answers
//! them from there; every other URL is an error that says kubesim is offline and how to pass
//! a file instead. [`read`] is the one place a URL is read: `cli::read_source`, which every
//! verb's `-f` goes through, calls it.

mod index;

use super::{CliError, CliResult, Out};
use crate::util::go_quote;
use std::io::Write;

/// Every path under content/en/examples/ of kubernetes/website known to kubesim (whether
/// carried or not), one a line, sorted: a path not in it is answered as the site answers it
/// (404); one in it that kubesim does not carry, with the offline error.
const UPSTREAM: &str = include_str!("UPSTREAM.txt");

/// The docs' canonical form of an example's URL.
pub const BASE: &str = "https://k8s.io/examples/";

/// Whether kubectl reads a `-f` argument as a URL: cli-runtime's `FilenameParam` checks these
/// two prefixes, case-sensitively (`HTTPS://x` is a file name).
pub fn is_url(arg: &str) -> bool {
    arg.starts_with("http://") || arg.starts_with("https://")
}

/// What a URL names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A docs example, by its path under content/en/examples/ (`controllers/job.yaml`).
    Example(String),
    /// Any other URL.
    Other,
}

/// Parses `url` (one [`is_url`] accepted) as Go's `url.Parse` would, as far as its errors go
/// (control characters, a bad character in the host name, a bad port, a bad `%` escape in the
/// path), and says whether it names a docs example: `https://k8s.io/examples/PATH` (the docs'
/// form), `kubernetes.io/examples/PATH` (with or without `www.`), over http or https, and the
/// repository's own addresses of the file, `raw.githubusercontent.com/kubernetes/website/
/// BRANCH/content/en/examples/PATH` (the docs' pages link each example there, BRANCH their
/// release's `release-1.NN`) and `github.com/kubernetes/website/raw/BRANCH/content/en/
/// examples/PATH`, for BRANCH `main`, `master` or a `release-1.NN`. The query and fragment
/// are not part of the path. `Err` is Go's message after `parse "URL": `.
pub fn parse(url: &str) -> Result<Target, String> {
    if url.chars().any(|c| (c as u32) < 0x20 || c == '\x7f') {
        return Err("net/url: invalid control character in URL".into());
    }
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    let rest = rest.split('#').next().unwrap_or_default();
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let path = path.split('?').next().unwrap_or_default();
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = check_host(hostport)?;
    let path = unescape_path(path)?;
    let host = host.to_ascii_lowercase();
    let repo = match host.as_str() {
        "k8s.io" | "kubernetes.io" | "www.kubernetes.io" => {
            return Ok(path
                .strip_prefix("/examples/")
                .map_or(Target::Other, |p| Target::Example(p.to_string())));
        }
        "raw.githubusercontent.com" => "/kubernetes/website/",
        "github.com" => "/kubernetes/website/raw/",
        _ => return Ok(Target::Other),
    };
    let found = path
        .strip_prefix(repo)
        .and_then(|p| p.split_once('/'))
        .and_then(|(branch, p)| {
            let release = branch
                .strip_prefix("release-1.")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            (branch == "main" || branch == "master" || release)
                .then_some(p)?
                .strip_prefix("content/en/examples/")
        });
    Ok(found.map_or(Target::Other, |p| Target::Example(p.to_string())))
}

/// The host of `host[:port]`, checked as Go's `parseHost` checks it.
fn check_host(hostport: &str) -> Result<&str, String> {
    let (host, port) = if hostport.starts_with('[') {
        match hostport.find(']') {
            Some(i) => (&hostport[..=i], &hostport[i + 1..]),
            None => return Err("missing ']' in host".into()),
        }
    } else {
        match hostport.rfind(':') {
            Some(i) => (&hostport[..i], &hostport[i..]),
            None => (hostport, ""),
        }
    };
    if !port.is_empty()
        && (!port.starts_with(':') || !port[1..].bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!("invalid port {} after host", go_quote(port)));
    }
    if !host.starts_with('[') {
        // Go's `unescape` in host mode: a `%` escape only for a byte beyond ASCII (or `%25`),
        // and none of the characters a host name cannot hold.
        let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:[]<>\"".contains(&b);
        let b = host.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                let hex = |j: usize| b.get(j).and_then(|c| (*c as char).to_digit(16));
                let esc = &host[i..host.len().min(i + 3)];
                match (hex(i + 1), hex(i + 2)) {
                    (Some(h), Some(_)) if h >= 8 || esc == "%25" => {}
                    _ => return Err(format!("invalid URL escape {}", go_quote(esc))),
                }
                i += 3;
                continue;
            }
            if b[i] < 0x80 && !allowed(b[i]) {
                return Err(format!(
                    "invalid character {} in host name",
                    go_quote(&(b[i] as char).to_string())
                ));
            }
            i += 1;
        }
    }
    Ok(host)
}

/// The path with its `%XX` escapes decoded (Go's `unescape` in path mode).
fn unescape_path(path: &str) -> Result<String, String> {
    let b = path.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |j: usize| b.get(j).and_then(|c| (*c as char).to_digit(16));
            match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                _ => {
                    let bad = &path[i..path.len().min(i + 3)];
                    return Err(format!("invalid URL escape {}", go_quote(bad)));
                }
            }
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The carried example at `path` (under content/en/examples/).
pub fn example(path: &str) -> Option<&'static str> {
    index::FILES
        .binary_search_by(|(p, _)| (*p).cmp(path))
        .ok()
        .map(|i| index::FILES[i].1)
}

/// Whether the website has (or had) a file at `path`, carried or not.
fn upstream_has(path: &str) -> bool {
    UPSTREAM.lines().any(|l| l == path)
}

/// The text after `unable to read URL "URL", ` when kubesim cannot answer a URL; kubectl
/// says `server reported 404 Not Found, status code=404` there when a server answers 404.
const OFFLINE: &str = "kubesim is offline";
const HOW: &str = "download the file and pass it with -f FILE";

/// kubectl's refusal of a `-f` URL that does not parse (cli-runtime's `FilenameParam`, before
/// anything is read), without the `error: ` prefix.
pub fn invalid(url: &str) -> Option<String> {
    let q = go_quote(url);
    parse(url)
        .err()
        .map(|e| format!("the URL passed to filename {q} is not valid: parse {q}: {e}"))
}

/// What `url` holds, as kubectl would download it; or kubectl's error for a URL that does not
/// parse or whose server answers 404, and kubesim's for one it cannot answer offline.
pub fn read(url: &str) -> Result<Vec<u8>, CliError> {
    let q = go_quote(url);
    let unable = |why: String| CliError::msg(format!("unable to read URL {q}, {why}"));
    match parse(url) {
        Err(_) => Err(CliError::msg(invalid(url).unwrap_or_default())),
        Ok(Target::Example(path)) => match example(&path) {
            Some(text) => Ok(text.as_bytes().to_vec()),
            None if upstream_has(&path) => Err(unable(format!(
                "{OFFLINE} and does not carry this example of the Kubernetes docs \
                 ('kubesim examples' lists those it carries); {HOW}"
            ))),
            None => Err(unable(
                "server reported 404 Not Found, status code=404".to_string(),
            )),
        },
        Ok(Target::Other) => Err(unable(format!(
            "{OFFLINE}: only the Kubernetes docs' examples ({BASE}...) are carried \
             ('kubesim examples' lists them); {HOW}"
        ))),
    }
}

/// `kubesim examples [PATH|URL]`.
#[derive(clap::Args, Debug, Clone)]
pub struct ExamplesArgs {
    /// An example's path under https://k8s.io/examples/ (or its URL): print the manifest
    pub example: Option<String>,
}

/// `kubesim examples`: the URLs of the carried examples, one a line; with an argument, that
/// example's manifest (as `curl` would print it).
pub fn run(a: ExamplesArgs, out: &mut Out) -> CliResult {
    let Some(arg) = a.example else {
        for (path, _) in index::FILES {
            writeln!(out.out, "{BASE}{path}")?;
        }
        return Ok(());
    };
    let text = if is_url(&arg) {
        read(&arg)?
    } else {
        let path = arg.trim_start_matches('/');
        match example(path) {
            Some(t) => t.as_bytes().to_vec(),
            None => {
                return Err(CliError::msg(format!(
                    "kubesim carries no example {} ('kubesim examples' lists those it carries)",
                    go_quote(&arg)
                )));
            }
        }
    };
    out.out.write_all(&text)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(p: &str) -> Result<Target, String> {
        Ok(Target::Example(p.to_string()))
    }

    #[test]
    fn docs_urls_name_examples() {
        let p = "application/deployment.yaml";
        for url in [
            "https://k8s.io/examples/application/deployment.yaml",
            "http://k8s.io/examples/application/deployment.yaml",
            "https://kubernetes.io/examples/application/deployment.yaml",
            "https://www.kubernetes.io/examples/application/deployment.yaml",
            "https://K8S.IO/examples/application/deployment.yaml",
            "https://k8s.io:443/examples/application/deployment.yaml",
            "https://k8s.io/examples/application/deployment.yaml?x=1#top",
            "https://k8s.io/examples/application/deployment%2Eyaml",
            "https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/application/deployment.yaml",
            "https://raw.githubusercontent.com/kubernetes/website/master/content/en/examples/application/deployment.yaml",
            "https://github.com/kubernetes/website/raw/main/content/en/examples/application/deployment.yaml",
            "https://raw.githubusercontent.com/kubernetes/website/release-1.33/content/en/examples/application/deployment.yaml",
        ] {
            assert_eq!(parse(url), ex(p), "{url}");
        }
    }

    #[test]
    fn other_urls_are_not_examples() {
        for url in [
            "https://example.com/x.yaml",
            "https://k8s.io/docs/application/deployment.yaml",
            "https://k8s.io/Examples/application/deployment.yaml",
            "https://kubernetes.io/zh-cn/examples/application/deployment.yaml",
            "https://github.com/kubernetes/website/blob/main/content/en/examples/application/deployment.yaml",
            "https://raw.githubusercontent.com/kubernetes/website/dev-1.34/content/en/examples/a.yaml",
            "https://raw.githubusercontent.com/kubernetes/website/release-1./content/en/examples/a.yaml",
            "https://raw.githubusercontent.com/kubernetes/website/main/content/zh-cn/examples/a.yaml",
            "https://raw.githubusercontent.com/someone/website/main/content/en/examples/a.yaml",
            "https://k8s.io",
        ] {
            assert_eq!(parse(url), Ok(Target::Other), "{url}");
        }
    }

    #[test]
    fn go_url_errors() {
        // kubectl 1.33: `the URL passed to filename "https://exa mple.com/%zz" is not valid:
        // parse "https://exa mple.com/%zz": invalid character " " in host name`.
        assert_eq!(
            parse("https://exa mple.com/%zz"),
            Err("invalid character \" \" in host name".into())
        );
        assert_eq!(
            parse("https://k8s.io/examples/%zz"),
            Err("invalid URL escape \"%zz\"".into())
        );
        assert_eq!(
            parse("https://k8s.io:web/x"),
            Err("invalid port \":web\" after host".into())
        );
        assert_eq!(
            parse("https://k8s.io/x\ty"),
            Err("net/url: invalid control character in URL".into())
        );
        assert_eq!(parse("https://user@k8s.io/examples/a.yaml"), ex("a.yaml"));
        // A `%` escape in the host only for bytes beyond ASCII, or `%25` (kubectl 1.33:
        // `parse "https://k8s%20io/x": invalid URL escape "%20"`).
        assert_eq!(
            parse("https://k8s%20io/x"),
            Err("invalid URL escape \"%20\"".into())
        );
        assert_eq!(
            parse("https://k8s%zio/x"),
            Err("invalid URL escape \"%zi\"".into())
        );
        assert_eq!(parse("https://k8s%c3%a9.io/x"), Ok(Target::Other));
        assert_eq!(
            invalid("https://k8s io/x").as_deref(),
            Some(
                "the URL passed to filename \"https://k8s io/x\" is not valid: parse \"https://k8s io/x\": invalid character \" \" in host name"
            )
        );
        assert_eq!(invalid("https://k8s.io/x"), None);
    }

    #[test]
    fn only_the_two_prefixes_are_urls() {
        assert!(is_url("https://k8s.io/examples/a.yaml"));
        assert!(is_url("http://k8s.io/examples/a.yaml"));
        assert!(!is_url("HTTPS://k8s.io/examples/a.yaml"));
        assert!(!is_url("ftp://k8s.io/a.yaml"));
        assert!(!is_url("k8s.io/examples/a.yaml"));
    }

    #[test]
    fn read_answers_carried_missing_and_foreign_urls() {
        let job = read("https://kubernetes.io/examples/controllers/job.yaml").unwrap();
        assert!(String::from_utf8(job).unwrap().contains("name: pi"));
        let e = read("https://k8s.io/examples/nope.yaml").unwrap_err();
        assert_eq!(
            e.text,
            "error: unable to read URL \"https://k8s.io/examples/nope.yaml\", server reported 404 Not Found, status code=404"
        );
        let e = read("https://k8s.io/examples/access/simple-role.yaml").unwrap_err();
        assert!(
            e.text.contains("kubesim is offline and does not carry"),
            "{}",
            e.text
        );
        let e = read("https://example.com/x.yaml").unwrap_err();
        assert!(e.text.starts_with(
            "error: unable to read URL \"https://example.com/x.yaml\", kubesim is offline: only"
        ));
        assert_eq!(e.code, 1);
    }

    /// index.rs lists exactly the files under files/ (run gen.sh after changing them), each a
    /// path the website has, sorted (the lookup is a binary search); SOURCES.tsv names the
    /// source of each and of nothing else.
    #[test]
    fn index_matches_files_and_sources() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli/docs_examples");
        fn walk(d: &std::path::Path, base: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, base, out);
                } else {
                    out.push(p.strip_prefix(base).unwrap().to_string_lossy().into_owned());
                }
            }
        }
        let mut on_disk = Vec::new();
        walk(&dir.join("files"), &dir.join("files"), &mut on_disk);
        on_disk.sort();
        let indexed: Vec<String> = index::FILES.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(
            indexed, on_disk,
            "index.rs is stale: run src/cli/docs_examples/gen.sh"
        );
        for p in &indexed {
            assert!(upstream_has(p), "{p} is not in UPSTREAM.txt");
        }
        let sources = std::fs::read_to_string(dir.join("SOURCES.tsv")).unwrap();
        let mut named: Vec<String> = sources
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect();
        named.sort();
        assert_eq!(
            named, indexed,
            "SOURCES.tsv names other files than files/ holds"
        );
        let mut sorted: Vec<&str> = UPSTREAM.lines().collect();
        sorted.sort();
        assert_eq!(sorted, UPSTREAM.lines().collect::<Vec<_>>());
    }

    /// Every carried example decodes (kubesim's strict decoding, as `apply -f` reads it).
    #[test]
    fn every_example_decodes() {
        for (path, text) in index::FILES {
            let docs = crate::api::decode::parse_documents(text.as_bytes(), path)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(!docs.is_empty(), "{path}");
        }
    }
}
