//! What a container instance wrote to its log, computed when it is read: from its program
//! (command, args, image), what it sees (environment, mounted files, hostname), the instant
//! it started and the instant it ended (or now). Nothing is stored: the same instance always
//! yields the same lines.
//!
//! - `sh -c` scripts and bare commands (`echo`, `date`, `env`, `sleep`, loops, …) run in
//!   [`super::shell`];
//! - `perl … 'print bpi(N)'` prints π to N significant digits ([`pi`]);
//! - the official nginx image prints its entrypoint's and nginx's start-up lines (1.19 and
//!   later; older images print nothing), one worker per CPU of the node;
//! - the Kubernetes Basics app (`kubernetes-bootcamp`) prints its start line;
//! - anything else prints nothing.

use std::collections::BTreeMap;

use base64::Engine as _;
use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Container, Pod};
use serde_json::Value;

use super::images::repo_base;
use super::shell::{self, End, Line, Sink, World};
use crate::api::Api;

/// Writes to `sink` what container `c` of `pod` printed in the run that started at `start`,
/// up to `until`. `cpus` is the node's CPU count (nginx starts one worker per CPU).
pub fn output(
    pod: &Pod,
    c: &Container,
    world: &World,
    start: Timestamp,
    until: Timestamp,
    cpus: u32,
    sink: &mut dyn Sink,
) {
    let image = c.image.as_deref().unwrap_or("");
    let base = repo_base(image);
    let entrypoint: Vec<String> = match base.as_str() {
        "nginx" => vec!["/docker-entrypoint.sh".into()],
        _ => Vec::new(),
    };
    let argv: Vec<String> = match (&c.command, &c.args) {
        (Some(cmd), args) => cmd.iter().chain(args.iter().flatten()).cloned().collect(),
        (None, Some(args)) => entrypoint.into_iter().chain(args.iter().cloned()).collect(),
        (None, None) => default_argv(&base),
    };
    // The kubelet expands `$(VAR)` in command and args with the container's environment.
    let argv: Vec<String> = argv.iter().map(|a| expand_refs(a, &world.env)).collect();
    let _ = pod;
    run(&argv, image, world, start, until, cpus, sink);
}

fn default_argv(base: &str) -> Vec<String> {
    let v: &[&str] = match base {
        "nginx" => &["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
        "kubernetes-bootcamp" => &["node", "server.js"],
        _ => &[],
    };
    v.iter().map(|s| s.to_string()).collect()
}

fn run(
    argv: &[String],
    image: &str,
    world: &World,
    start: Timestamp,
    until: Timestamp,
    cpus: u32,
    sink: &mut dyn Sink,
) {
    let Some(first) = argv.first() else {
        return;
    };
    let name = first.rsplit('/').next().unwrap_or(first);
    let line = |sink: &mut dyn Sink, text: String| {
        sink.line(Line {
            at: start,
            text,
            newline: true,
        })
    };
    match name {
        "docker-entrypoint.sh" => {
            let rest = &argv[1..];
            let nginx = rest
                .first()
                .is_some_and(|a| a == "nginx" || a == "nginx-debug");
            if nginx {
                for l in nginx_lines(image, start, cpus, true) {
                    line(sink, l);
                }
            } else {
                run(rest, image, world, start, until, cpus, sink);
            }
        }
        "nginx" | "nginx-debug" => {
            for l in nginx_lines(image, start, cpus, false) {
                line(sink, l);
            }
        }
        "perl" => {
            if let Some(n) = argv.iter().find_map(|a| bpi_arg(a)) {
                line(sink, pi(n));
            }
        }
        "node" if repo_base(image) == "kubernetes-bootcamp" => {
            let at = format!(
                "{}.{:03}Z",
                start.strftime("%Y-%m-%dT%H:%M:%S"),
                start.subsec_millisecond()
            );
            line(
                sink,
                format!(
                    "Kubernetes Bootcamp App Started At: {at} | Running On:  {} ",
                    world.hostname
                ),
            );
            line(sink, String::new());
        }
        _ => {
            let _: Option<End> = shell::run_argv(argv, world, start, until, sink);
        }
    }
}

/// `N` of a perl `print bpi(N)` argument.
fn bpi_arg(a: &str) -> Option<usize> {
    let i = a.find("bpi(")?;
    let rest = &a[i + 4..];
    let n: usize = rest[..rest.find(')')?].trim().parse().ok()?;
    Some(n.clamp(1, MAX_PI_DIGITS))
}

/// The most digits of π computed (the spigot is quadratic).
pub const MAX_PI_DIGITS: usize = 5000;

/// π to `n` significant digits, rounded, as Perl's `bpi(n)` prints it (`3.14159…`).
pub fn pi(n: usize) -> String {
    let n = n.clamp(1, MAX_PI_DIGITS);
    let mut d = pi_digits(n + 10);
    d.truncate(n + 1);
    let round_up = d.pop().is_some_and(|x| x >= 5);
    if round_up {
        for k in (0..d.len()).rev() {
            if d[k] == 9 {
                d[k] = 0;
            } else {
                d[k] += 1;
                break;
            }
        }
    }
    let mut s: String = d.iter().map(|x| char::from(b'0' + x)).collect();
    if s.len() > 1 {
        s.insert(1, '.');
    }
    s
}

/// The first `n` decimal digits of π (3, 1, 4, 1, 5, …): the Rabinowitz–Wagon spigot, with
/// its held digits for runs of nines.
fn pi_digits(n: usize) -> Vec<u8> {
    let len = n * 10 / 3 + 1;
    let mut a = vec![2u64; len];
    let mut out: Vec<u8> = Vec::with_capacity(n + 1);
    let mut nines = 0;
    let mut predigit = 0u8;
    for _ in 0..=n {
        let mut q = 0u64;
        for i in (1..=len as u64).rev() {
            let x = 10 * a[i as usize - 1] + q * i;
            a[i as usize - 1] = x % (2 * i - 1);
            q = x / (2 * i - 1);
        }
        a[0] = q % 10;
        q /= 10;
        match q {
            9 => nines += 1,
            10 => {
                out.push(predigit + 1);
                out.extend(std::iter::repeat_n(0, nines));
                predigit = 0;
                nines = 0;
            }
            _ => {
                out.push(predigit);
                predigit = q as u8;
                out.extend(std::iter::repeat_n(9, nines));
                nines = 0;
            }
        }
    }
    out.push(predigit);
    // The first digit pushed is the spigot's leading 0.
    out.remove(0);
    out.truncate(n);
    out
}

/// The version of an nginx image (`nginx:1.25.3` → [1, 25, 3]); untagged, `latest`,
/// `mainline`, `stable`, `alpine` and other words read as [`NGINX_LATEST`].
fn nginx_version(image: &str) -> Vec<u32> {
    let tag = crate::util::image::ImageRef::parse(image)
        .tag
        .unwrap_or("latest");
    let v: Vec<u32> = tag
        .split('-')
        .next()
        .unwrap_or("")
        .split('.')
        .map_while(|p| p.parse().ok())
        .collect();
    if v.is_empty() {
        NGINX_LATEST.to_vec()
    } else {
        v
    }
}

/// The version `nginx` / `nginx:latest` stands for.
pub const NGINX_LATEST: [u32; 3] = [1, 27, 3];

/// What the official nginx image prints as it starts: the entrypoint's configuration lines
/// (with `entrypoint`), then nginx's notices, one `start worker process` per CPU.
fn nginx_lines(image: &str, start: Timestamp, cpus: u32, entrypoint: bool) -> Vec<String> {
    let v = nginx_version(image);
    let at_least = |want: &[u32]| v.as_slice() >= want;
    if !at_least(&[1, 19]) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if entrypoint {
        let e = "/docker-entrypoint.sh";
        out.push(format!(
            "{e}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
        ));
        out.push(format!(
            "{e}: Looking for shell scripts in /docker-entrypoint.d/"
        ));
        out.push(format!(
            "{e}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh"
        ));
        out.push("10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf".into());
        out.push("10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf".into());
        if at_least(&[1, 25]) {
            out.push(format!(
                "{e}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh"
            ));
        }
        out.push(format!(
            "{e}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh"
        ));
        if at_least(&[1, 21]) {
            out.push(format!(
                "{e}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh"
            ));
        }
        out.push(format!("{e}: Configuration complete; ready for start up"));
    }
    let ts = start
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y/%m/%d %H:%M:%S")
        .to_string();
    let gcc = if at_least(&[1, 25]) {
        "gcc 12.2.0 (Debian 12.2.0-14)"
    } else {
        "gcc 10.2.1 20210110 (Debian 10.2.1-6)"
    };
    let version = v
        .iter()
        .chain(std::iter::repeat(&0))
        .take(3)
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".");
    let notice = |m: String| format!("{ts} [notice] 1#1: {m}");
    out.push(notice("using the \"epoll\" event method".into()));
    out.push(notice(format!("nginx/{version}")));
    out.push(notice(format!("built by {gcc} ")));
    out.push(notice(format!("OS: Linux {KERNEL}")));
    out.push(notice("getrlimit(RLIMIT_NOFILE): 1048576:1048576".into()));
    out.push(notice("start worker processes".into()));
    for k in 0..cpus.max(1) {
        out.push(notice(format!("start worker process {}", 29 + k)));
    }
    out
}

/// The kernel the simulated nodes report to their containers.
pub const KERNEL: &str = "6.8.0-1015-gcp";

/// The `PATH` of the images (Debian's and busybox's default).
pub const IMAGE_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// ---------------------------------------------------------------------------------------------
// What the container sees: environment and files, read through the Api
// ---------------------------------------------------------------------------------------------

/// The environment, files and hostname container `c` of `pod` sees, read from the state:
/// the image's `PATH`, `HOSTNAME`, the container's `envFrom` then `env` (ConfigMap and
/// Secret keys, the downward API's fields), the service variables of the namespace's services
/// (when `enableServiceLinks` is not false; `KUBERNETES_*` always), sorted, then `HOME`.
/// Files are the keys of the ConfigMap and Secret volumes it mounts.
pub fn world(api: &mut Api, pod: &Value, c: &Value) -> World {
    let s = |v: &Value, p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let ns = s(pod, "/metadata/namespace");
    let hostname = match s(pod, "/spec/hostname") {
        h if h.is_empty() => s(pod, "/metadata/name"),
        h => h,
    };
    let mut env: Vec<(String, String)> = vec![
        ("PATH".into(), IMAGE_PATH.into()),
        ("HOSTNAME".into(), hostname.clone()),
    ];
    let set = |env: &mut Vec<(String, String)>, k: String, v: String| match env
        .iter_mut()
        .find(|(n, _)| *n == k)
    {
        Some(e) => e.1 = v,
        None => env.push((k, v)),
    };
    for from in c
        .get("envFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let prefix = s(from, "/prefix");
        let data = if let Some(r) = from.get("configMapRef") {
            source_data(api, &crate::kinds::configmap::KIND, &ns, &s(r, "/name"))
        } else if let Some(r) = from.get("secretRef") {
            source_data(api, &crate::kinds::secret::KIND, &ns, &s(r, "/name"))
        } else {
            BTreeMap::new()
        };
        for (k, v) in data {
            set(&mut env, format!("{prefix}{k}"), v);
        }
    }
    for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
        let name = s(e, "/name");
        let value = if let Some(v) = e.get("value").and_then(Value::as_str) {
            expand_refs(v, &env)
        } else if let Some(r) = e.pointer("/valueFrom/configMapKeyRef") {
            source_data(api, &crate::kinds::configmap::KIND, &ns, &s(r, "/name"))
                .remove(&s(r, "/key"))
                .unwrap_or_default()
        } else if let Some(r) = e.pointer("/valueFrom/secretKeyRef") {
            source_data(api, &crate::kinds::secret::KIND, &ns, &s(r, "/name"))
                .remove(&s(r, "/key"))
                .unwrap_or_default()
        } else if let Some(r) = e.pointer("/valueFrom/fieldRef") {
            field_ref(pod, &s(r, "/fieldPath"))
        } else {
            String::new()
        };
        set(&mut env, name, value);
    }
    let links = pod
        .pointer("/spec/enableServiceLinks")
        .and_then(Value::as_bool)
        != Some(false);
    let mut svc_env = BTreeMap::new();
    let mut services: Vec<Value> = Vec::new();
    if let Ok(Some(k)) = api.try_get_ref(&crate::kinds::service::KIND, "default", "kubernetes") {
        services.push(k.clone());
    }
    if links && let Ok(list) = api.list_ref(&crate::kinds::service::KIND, Some(&ns)) {
        services.extend(
            list.into_iter()
                .filter(|v| !(ns == "default" && crate::api::name_of(v) == "kubernetes"))
                .cloned(),
        );
    }
    for svc in &services {
        service_env(svc, &mut svc_env);
    }
    for (k, v) in svc_env {
        if !env.iter().any(|(n, _)| *n == k) {
            env.push((k, v));
        }
    }
    if !env.iter().any(|(n, _)| n == "HOME") {
        env.push(("HOME".into(), "/root".into()));
    }
    let mut files = BTreeMap::new();
    let mut links = BTreeMap::new();
    files.insert("/etc/hostname".to_string(), format!("{hostname}\n"));
    // The kubelet writes the volumes as the pod starts.
    let written = [
        s(pod, "/status/startTime"),
        s(pod, "/metadata/creationTimestamp"),
    ]
    .iter()
    .find_map(|t| t.parse::<Timestamp>().ok())
    .unwrap_or(Timestamp::UNIX_EPOCH);
    let volumes = pod.pointer("/spec/volumes").and_then(Value::as_array);
    for m in c
        .get("volumeMounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let vname = s(m, "/name");
        let Some(vol) = volumes
            .into_iter()
            .flatten()
            .find(|v| s(v, "/name") == vname)
        else {
            continue;
        };
        let mount = s(m, "/mountPath");
        let sub = s(m, "/subPath");
        let root = mount.trim_end_matches('/').to_string();
        let data_dir =
            format!("..{}", written.strftime("%Y_%m_%d_%H_%M_%S.")) + &stamp(pod, &vname);
        let written_any = ["configMap", "secret", "downwardAPI", "projected"]
            .iter()
            .any(|k| vol.get(*k).is_some());
        if written_any && sub.is_empty() {
            links.insert(format!("{root}/..data"), data_dir.clone());
        }
        for (path, v) in volume_files(api, pod, &ns, vol) {
            if !sub.is_empty() {
                if sub == path {
                    files.insert(mount.clone(), v);
                }
                continue;
            }
            // The atomic writer's layout: the files in a timestamped directory, `..data` a
            // link to it, each top-level name a link into `..data`.
            let top = path.split('/').next().unwrap_or(&path).to_string();
            links.insert(format!("{root}/{top}"), format!("..data/{top}"));
            files.insert(format!("{root}/{data_dir}/{path}"), v.clone());
            files.insert(format!("{root}/{path}"), v);
        }
    }
    World {
        env,
        files,
        hostname,
        links,
        written: Some(written),
    }
}

/// The digits the atomic writer's temporary directory ends with (Go's `os.MkdirTemp`: a
/// random number), drawn from the pod's uid and the volume's name.
fn stamp(pod: &Value, volume: &str) -> String {
    let key = format!("{}/{volume}", str_at(pod, "/metadata/uid"));
    let n = crate::util::names::Rng::keyed(0, &key, 0).next_u64() % 4_294_967_296;
    n.to_string()
}

/// The files of one volume (path in the volume → content), as the kubelet writes them: a
/// ConfigMap's or Secret's keys (or its `items`), a downward API volume's fields, and a
/// projected volume's sources (ConfigMaps, Secrets, downward API, the ServiceAccount token).
/// Other volume types hold no files kubesim knows of.
fn volume_files(api: &mut Api, pod: &Value, ns: &str, vol: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(cm) = vol.get("configMap") {
        let data = source_data(api, &crate::kinds::configmap::KIND, ns, str_at(cm, "/name"));
        keyed_files(&data, cm.get("items"), &mut out);
    } else if let Some(sec) = vol.get("secret") {
        let data = source_data(
            api,
            &crate::kinds::secret::KIND,
            ns,
            str_at(sec, "/secretName"),
        );
        keyed_files(&data, sec.get("items"), &mut out);
    } else if let Some(d) = vol.get("downwardAPI") {
        downward_files(pod, d.get("items"), &mut out);
    } else if let Some(p) = vol.get("projected") {
        for src in p
            .get("sources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(cm) = src.get("configMap") {
                let data =
                    source_data(api, &crate::kinds::configmap::KIND, ns, str_at(cm, "/name"));
                keyed_files(&data, cm.get("items"), &mut out);
            } else if let Some(sec) = src.get("secret") {
                let data = source_data(api, &crate::kinds::secret::KIND, ns, str_at(sec, "/name"));
                keyed_files(&data, sec.get("items"), &mut out);
            } else if let Some(d) = src.get("downwardAPI") {
                downward_files(pod, d.get("items"), &mut out);
            } else if let Some(t) = src.get("serviceAccountToken") {
                let secs = t.get("expirationSeconds").and_then(Value::as_i64);
                out.push((
                    str_at(t, "/path").to_string(),
                    service_account_token(pod, secs.unwrap_or(3600)),
                ));
            }
        }
    }
    out
}

fn str_at<'a>(v: &'a Value, p: &str) -> &'a str {
    v.pointer(p).and_then(Value::as_str).unwrap_or("")
}

/// A ConfigMap's or Secret's keys as files: every key, or the `items` (key → path) that exist.
fn keyed_files(
    data: &BTreeMap<String, String>,
    items: Option<&Value>,
    out: &mut Vec<(String, String)>,
) {
    match items.and_then(Value::as_array) {
        Some(items) => {
            for i in items {
                if let Some(v) = data.get(str_at(i, "/key")) {
                    out.push((str_at(i, "/path").to_string(), v.clone()));
                }
            }
        }
        None => out.extend(data.iter().map(|(k, v)| (k.clone(), v.clone()))),
    }
}

/// The downward API's files: a field per item (`metadata.labels` and `metadata.annotations`
/// whole as `key="value"` lines, sorted, as the kubelet formats them).
fn downward_files(pod: &Value, items: Option<&Value>, out: &mut Vec<(String, String)>) {
    for i in items.and_then(Value::as_array).into_iter().flatten() {
        let path = str_at(i, "/path").to_string();
        let field = str_at(i, "/fieldRef/fieldPath");
        let text = match field {
            "metadata.labels" | "metadata.annotations" => {
                let map = pod
                    .pointer(&format!("/metadata/{}", &field[9..]))
                    .and_then(Value::as_object);
                map.into_iter()
                    .flatten()
                    .map(|(k, v)| {
                        format!("{k}={}", crate::util::go_quote(v.as_str().unwrap_or("")))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            "" => continue,
            f => field_ref(pod, f),
        };
        out.push((path, text));
    }
}

/// The pod's ServiceAccount token as the kubelet mounts it: a JWT of the claims a real one
/// carries (audience, expiry, issuer, the pod and ServiceAccount bound to it), with a
/// signature that says it is simulated.
fn service_account_token(pod: &Value, expiration_seconds: i64) -> String {
    let issued = str_at(pod, "/status/startTime");
    let issued = match issued {
        "" => str_at(pod, "/metadata/creationTimestamp"),
        t => t,
    };
    let iat = issued
        .parse::<Timestamp>()
        .map(|t| t.as_second())
        .unwrap_or(0);
    let ns = str_at(pod, "/metadata/namespace");
    let sa = str_at(pod, "/spec/serviceAccountName");
    let header = serde_json::json!({"alg": "RS256", "kid": "kubesim"});
    let claims = serde_json::json!({
        "aud": [crate::kinds::serviceaccount::token::ISSUER],
        "exp": iat + expiration_seconds,
        "iat": iat,
        "iss": crate::kinds::serviceaccount::token::ISSUER,
        "kubernetes.io": {
            "namespace": ns,
            "node": {"name": str_at(pod, "/spec/nodeName")},
            "pod": {"name": str_at(pod, "/metadata/name"), "uid": str_at(pod, "/metadata/uid")},
            "serviceaccount": {"name": sa}
        },
        "nbf": iat,
        "sub": format!("system:serviceaccount:{ns}:{sa}")
    });
    crate::kinds::serviceaccount::token::encode(&header, &claims, b"kubesim-simulated-signature")
}

/// The pod's failing ConfigMap and Secret references, read through the Api (what the
/// kubelet checks before it starts the pod's containers; see [`super::config_refs`]).
pub fn pod_refs(api: &mut Api, pod: &Value) -> super::config_refs::RefErrors {
    use super::config_refs::Source;
    let ns = pod
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("default")
        .to_string();
    super::config_refs::check(pod, |src, name| {
        let kind = match src {
            Source::ConfigMap => &crate::kinds::configmap::KIND,
            Source::Secret => &crate::kinds::secret::KIND,
        };
        find_source(api, kind, &ns, name)
    })
}

/// A ConfigMap's `data` (and `binaryData`) or a Secret's decoded `data`; empty when missing.
fn source_data(
    api: &mut Api,
    kind: &'static crate::kinds::Kind,
    ns: &str,
    name: &str,
) -> BTreeMap<String, String> {
    find_source(api, kind, ns, name).unwrap_or_default()
}

/// A ConfigMap's `data` (and `binaryData`) or a Secret's decoded `data`; `None` when missing.
fn find_source(
    api: &mut Api,
    kind: &'static crate::kinds::Kind,
    ns: &str,
    name: &str,
) -> Option<BTreeMap<String, String>> {
    let Ok(Some(obj)) = api.try_get_ref(kind, ns, name) else {
        return None;
    };
    let mut out = BTreeMap::new();
    let secret = obj.get("kind").and_then(Value::as_str) == Some("Secret");
    for (k, v) in obj
        .get("data")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let text = v.as_str().unwrap_or("");
        let text = if secret {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        } else {
            text.to_string()
        };
        out.insert(k.clone(), text);
    }
    Some(out)
}

/// `$(VAR)` references to variables defined earlier, as the kubelet expands them.
fn expand_refs(v: &str, env: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(stripped) = after.strip_prefix('$') {
            out.push('$');
            rest = stripped;
        } else if let Some(inner) = after.strip_prefix('(')
            && let Some(end) = inner.find(')')
        {
            let name = &inner[..end];
            match env.iter().find(|(n, _)| n == name) {
                Some((_, val)) => out.push_str(val),
                None => out.push_str(&format!("$({name})")),
            }
            rest = &inner[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The downward API's `fieldRef` values.
fn field_ref(pod: &Value, path: &str) -> String {
    let s = |p: &str| {
        pod.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let key = |p: &str| {
        path.strip_prefix(p)
            .and_then(|r| r.strip_prefix("['"))
            .and_then(|r| r.strip_suffix("']"))
            .map(str::to_string)
    };
    match path {
        "metadata.name" => s("/metadata/name"),
        "metadata.namespace" => s("/metadata/namespace"),
        "metadata.uid" => s("/metadata/uid"),
        "spec.nodeName" => s("/spec/nodeName"),
        "spec.serviceAccountName" => s("/spec/serviceAccountName"),
        "status.podIP" => s("/status/podIP"),
        "status.hostIP" => s("/status/hostIP"),
        _ => {
            if let Some(k) = key("metadata.labels") {
                pod.pointer("/metadata/labels")
                    .and_then(|l| l.get(&k))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            } else if let Some(k) = key("metadata.annotations") {
                pod.pointer("/metadata/annotations")
                    .and_then(|l| l.get(&k))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            } else {
                String::new()
            }
        }
    }
}

/// The Docker-links variables of a service with a cluster IP (`envvars.FromServices`).
fn service_env(svc: &Value, out: &mut BTreeMap<String, String>) {
    let ip = svc
        .pointer("/spec/clusterIP")
        .and_then(Value::as_str)
        .unwrap_or("");
    if ip.is_empty() || ip == "None" {
        return;
    }
    let name = crate::api::name_of(svc).to_uppercase().replace('-', "_");
    let ports = svc
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some(first) = ports.first() else {
        return;
    };
    let port = |p: &Value| p.get("port").and_then(Value::as_i64).unwrap_or(0);
    let proto = |p: &Value| {
        p.get("protocol")
            .and_then(Value::as_str)
            .unwrap_or("TCP")
            .to_string()
    };
    out.insert(format!("{name}_SERVICE_HOST"), ip.to_string());
    out.insert(format!("{name}_SERVICE_PORT"), port(first).to_string());
    for p in &ports {
        if let Some(pn) = p
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
        {
            out.insert(
                format!(
                    "{name}_SERVICE_PORT_{}",
                    pn.to_uppercase().replace('-', "_")
                ),
                port(p).to_string(),
            );
        }
    }
    out.insert(
        format!("{name}_PORT"),
        format!("{}://{ip}:{}", proto(first).to_lowercase(), port(first)),
    );
    for p in &ports {
        let (n, pr) = (port(p), proto(p));
        let prefix = format!("{name}_PORT_{n}_{pr}");
        out.insert(prefix.clone(), format!("{}://{ip}:{n}", pr.to_lowercase()));
        out.insert(format!("{prefix}_PROTO"), pr.to_lowercase());
        out.insert(format!("{prefix}_PORT"), n.to_string());
        out.insert(format!("{prefix}_ADDR"), ip.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Perl's `Math::BigFloat->bpi(2000)` (what the docs' Job prints), kept in testdata.
    #[test]
    fn pi_to_2000_digits_as_perl_prints_it() {
        let want = include_str!("../../../testdata/pi2000.txt").trim_end();
        assert_eq!(pi(2000), want);
        assert_eq!(pi(20), "3.1415926535897932385");
        assert_eq!(pi(1), "3");
        assert_eq!(pi(3), "3.14");
    }

    #[test]
    fn bpi_arguments() {
        assert_eq!(bpi_arg("print bpi(2000)"), Some(2000));
        assert_eq!(bpi_arg("-Mbignum=bpi"), None);
        assert_eq!(bpi_arg("print bpi(999999)"), Some(MAX_PI_DIGITS));
    }

    #[test]
    fn nginx_versions_and_lines() {
        let t: Timestamp = "2026-01-01T00:00:02Z".parse().unwrap();
        assert_eq!(nginx_version("nginx:1.14.2"), [1, 14, 2]);
        assert_eq!(nginx_version("nginx"), NGINX_LATEST);
        assert_eq!(nginx_version("nginx:1.25-alpine"), [1, 25]);
        assert!(nginx_lines("nginx:1.14.2", t, 4, true).is_empty());
        let l = nginx_lines("nginx:1.25.3", t, 2, true);
        assert_eq!(l.len(), 9 + 8);
        assert_eq!(l[10], "2026/01/01 00:00:02 [notice] 1#1: nginx/1.25.3");
        assert_eq!(
            l[16],
            "2026/01/01 00:00:02 [notice] 1#1: start worker process 30"
        );
    }

    #[test]
    fn service_variables() {
        let svc = serde_json::json!({"metadata": {"name": "my-svc"}, "spec": {"clusterIP": "10.96.0.9",
            "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]}});
        let mut out = BTreeMap::new();
        service_env(&svc, &mut out);
        assert_eq!(out["MY_SVC_SERVICE_HOST"], "10.96.0.9");
        assert_eq!(out["MY_SVC_SERVICE_PORT_HTTP"], "80");
        assert_eq!(out["MY_SVC_PORT"], "tcp://10.96.0.9:80");
        assert_eq!(out["MY_SVC_PORT_80_TCP_ADDR"], "10.96.0.9");
        assert_eq!(out.len(), 8);
        assert_eq!(
            expand_refs("$(A)-$$(A)-$(B)", &[("A".into(), "x".into())]),
            "x-$(A)-$(B)"
        );
    }
}
