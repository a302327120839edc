//! The containers section of pods and pod templates (`describeContainers` and its helpers).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::print::describe::*;

/// `describeContainers`.
pub(crate) fn describe_containers(
    w: &mut Pw,
    label: &str,
    containers: &[Value],
    statuses: &[Value],
    pod: Option<&Value>,
    space: &str,
) {
    let mut by_name: BTreeMap<&str, &Value> = BTreeMap::new();
    for st in statuses {
        by_name.insert(s(st, &["name"]), st);
    }
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.w(0, &format!("{space}{label}:{none}\n"));
    for c in containers {
        let status = by_name.get(s(c, &["name"])).copied();
        container_basic_info(w, c, status, space);
        container_command(w, c);
        if let Some(st) = status {
            describe_status(w, "State", get(st, &["state"]));
            if get(st, &["lastState", "terminated"]).is_some() {
                describe_status(w, "Last State", get(st, &["lastState"]));
            }
            w.w(2, &format!("Ready:\t{}\n", print_bool(b(st, &["ready"]))));
            w.w(
                2,
                &format!("Restart Count:\t{}\n", i(st, &["restartCount"])),
            );
        }
        describe_resources(w, get(c, &["resources"]), 2);
        for (field, title) in [
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ] {
            if let Some(p) = get(c, &[field]) {
                w.w(2, &format!("{title}:\t{}\n", describe_probe(p)));
            }
        }
        if !arr(c, &["envFrom"]).is_empty() {
            container_env_from(w, c);
        }
        container_env(w, c, pod);
        container_volumes(w, c);
    }
}

pub(crate) fn container_basic_info(w: &mut Pw, c: &Value, status: Option<&Value>, space: &str) {
    let ni = if space.is_empty() { "" } else { " " };
    w.w(1, &format!("{ni}{}:\n", s(c, &["name"])));
    if let Some(st) = status {
        w.w(2, &format!("Container ID:\t{}\n", s(st, &["containerID"])));
    }
    w.w(2, &format!("Image:\t{}\n", s(c, &["image"])));
    if let Some(st) = status {
        w.w(2, &format!("Image ID:\t{}\n", s(st, &["imageID"])));
    }
    let ports = arr(c, &["ports"]);
    let proto = |p: &Value| opt_s(p, &["protocol"]).unwrap_or("TCP").to_string();
    let cports: Vec<String> = ports
        .iter()
        .map(|p| format!("{}/{}", i(p, &["containerPort"]), proto(p)))
        .collect();
    let hports: Vec<String> = ports
        .iter()
        .map(|p| format!("{}/{}", i(p, &["hostPort"]), proto(p)))
        .collect();
    let cp = cports.join(", ");
    if cp.contains(',') {
        w.w(2, &format!("Ports:\t{cp}\n"));
    } else {
        w.w(2, &format!("Port:\t{}\n", or_none(&cp)));
    }
    let hp = hports.join(", ");
    if hp.contains(',') {
        w.w(2, &format!("Host Ports:\t{hp}\n"));
    } else {
        w.w(2, &format!("Host Port:\t{}\n", or_none(&hp)));
    }
    if let Some(sp) = get(c, &["securityContext", "seccompProfile"]) {
        let t = s(sp, &["type"]);
        w.w(2, &format!("SeccompProfile:\t{t}\n"));
        if t == "Localhost" {
            w.w(
                3,
                &format!("LocalhostProfile:\t{}\n", s(sp, &["localhostProfile"])),
            );
        }
    }
}

pub(crate) fn or_none(v: &str) -> &str {
    if v.is_empty() { "<none>" } else { v }
}

pub(crate) fn container_command(w: &mut Pw, c: &Value) {
    for (field, title) in [("command", "Command"), ("args", "Args")] {
        let items = arr(c, &[field]);
        if !items.is_empty() {
            w.w(2, &format!("{title}:\n"));
            for item in items {
                for line in scalar(item).split('\n') {
                    w.w(3, &format!("{line}\n"));
                }
            }
        }
    }
}

/// `describeResources`.
pub(crate) fn describe_resources(w: &mut Pw, resources: Option<&Value>, level: usize) {
    let Some(r) = resources else {
        return;
    };
    for (field, title) in [("limits", "Limits"), ("requests", "Requests")] {
        let Some(m) = obj(r, &[field]) else {
            continue;
        };
        if m.is_empty() {
            continue;
        }
        w.w(level, &format!("{title}:\n"));
        let mut names: Vec<&String> = m.keys().collect();
        names.sort();
        for n in names {
            w.w(level + 1, &format!("{n}:\t{}\n", quantity_string(m.get(n))));
        }
    }
}

/// `describeStatus`.
pub(crate) fn describe_status(w: &mut Pw, name: &str, state: Option<&Value>) {
    let st = state.unwrap_or(&Value::Null);
    if let Some(r) = get(st, &["running"]) {
        w.w(2, &format!("{name}:\tRunning\n"));
        w.w(3, &format!("Started:\t{}\n", time_at(r, &["startedAt"])));
    } else if let Some(wt) = get(st, &["waiting"]) {
        w.w(2, &format!("{name}:\tWaiting\n"));
        let reason = s(wt, &["reason"]);
        if !reason.is_empty() {
            w.w(3, &format!("Reason:\t{reason}\n"));
        }
    } else if let Some(t) = get(st, &["terminated"]) {
        w.w(2, &format!("{name}:\tTerminated\n"));
        let reason = s(t, &["reason"]);
        if !reason.is_empty() {
            w.w(3, &format!("Reason:\t{reason}\n"));
        }
        let message = s(t, &["message"]);
        if !message.is_empty() {
            w.w(3, &format!("Message:\t{message}\n"));
        }
        w.w(3, &format!("Exit Code:\t{}\n", i(t, &["exitCode"])));
        let signal = i(t, &["signal"]);
        if signal > 0 {
            w.w(3, &format!("Signal:\t{signal}\n"));
        }
        w.w(3, &format!("Started:\t{}\n", time_at(t, &["startedAt"])));
        w.w(3, &format!("Finished:\t{}\n", time_at(t, &["finishedAt"])));
    } else {
        w.w(2, &format!("{name}:\tWaiting\n"));
    }
}

/// `DescribeProbe`: `http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3`.
pub fn describe_probe(p: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        i(p, &["initialDelaySeconds"]),
        i(p, &["timeoutSeconds"]),
        i(p, &["periodSeconds"]),
        i(p, &["successThreshold"]),
        i(p, &["failureThreshold"])
    );
    if let Some(e) = get(p, &["exec"]) {
        return format!("exec {} {attrs}", go_slice(arr(e, &["command"])));
    }
    if let Some(h) = get(p, &["httpGet"]) {
        let scheme = s(h, &["scheme"]).to_lowercase();
        let port = get(h, &["port"]).map(scalar).unwrap_or_default();
        let host = s(h, &["host"]);
        let hostport = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        return format!(
            "http-get {} {attrs}",
            go_url(&scheme, &hostport, s(h, &["path"]))
        );
    }
    if let Some(t) = get(p, &["tcpSocket"]) {
        let port = get(t, &["port"]).map(scalar).unwrap_or_default();
        return format!("tcp-socket {}:{port} {attrs}", s(t, &["host"]));
    }
    if let Some(g) = get(p, &["grpc"]) {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            i(g, &["port"]),
            s(g, &["service"])
        );
    }
    format!("unknown {attrs}")
}

/// Go's `(&url.URL{Scheme, Host, Path}).String()`.
pub(crate) fn go_url(scheme: &str, host: &str, path: &str) -> String {
    let mut out = String::new();
    if !scheme.is_empty() {
        out.push_str(scheme);
        out.push(':');
    }
    if !scheme.is_empty() || !host.is_empty() {
        if !host.is_empty() || !path.is_empty() {
            out.push_str("//");
        }
        out.push_str(&escape_url(host, true));
    }
    if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
        out.push('/');
    }
    out.push_str(&escape_url(path, false));
    out
}

pub(crate) fn escape_url(s: &str, host: bool) -> String {
    let mut out = String::new();
    for byte in s.bytes() {
        let c = byte as char;
        let keep = c.is_ascii_alphanumeric()
            || matches!(c, '-' | '_' | '.' | '~')
            || if host {
                matches!(
                    c,
                    '!' | '$'
                        | '&'
                        | '\''
                        | '('
                        | ')'
                        | '*'
                        | '+'
                        | ','
                        | ';'
                        | '='
                        | ':'
                        | '['
                        | ']'
                        | '<'
                        | '>'
                        | '"'
                )
            } else {
                matches!(c, '$' | '&' | '+' | ',' | '/' | ':' | ';' | '=' | '@')
            };
        if keep {
            out.push(c);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub(crate) fn container_env_from(w: &mut Pw, c: &Value) {
    w.w(2, "Environment Variables from:\n");
    for e in arr(c, &["envFrom"]) {
        let (from, r) = if let Some(r) = get(e, &["configMapRef"]) {
            ("ConfigMap", Some(r))
        } else if let Some(r) = get(e, &["secretRef"]) {
            ("Secret", Some(r))
        } else {
            ("", None)
        };
        let name = r.map(|r| s(r, &["name"])).unwrap_or("");
        let optional = r.map(|r| b(r, &["optional"])).unwrap_or(false);
        let prefix = s(e, &["prefix"]);
        if prefix.is_empty() {
            w.w(
                3,
                &format!("{name}\t{from}\tOptional: {}\n", go_bool(optional)),
            );
        } else {
            w.w(
                3,
                &format!(
                    "{name}\t{from} with prefix '{prefix}'\tOptional: {}\n",
                    go_bool(optional)
                ),
            );
        }
    }
}

/// `EnvValueRetriever`: kubectl's scheme only converts `metadata.name` and
/// `metadata.namespace` field labels, so every other field path resolves to "".
pub(crate) fn resolve_field_ref(pod: Option<&Value>, fr: &Value) -> String {
    let Some(pod) = pod else {
        return String::new();
    };
    if s(fr, &["apiVersion"]).matches('/').count() > 1 {
        return String::new();
    }
    match s(fr, &["fieldPath"]) {
        "metadata.name" => s(pod, &["metadata", "name"]).to_string(),
        "metadata.namespace" => s(pod, &["metadata", "namespace"]).to_string(),
        _ => String::new(),
    }
}

/// `resourcehelper.ExtractContainerResourceValue`.
pub(crate) fn container_resource_value(rf: &Value, c: &Value) -> Option<String> {
    let mut divisor = Qty::of(get(rf, &["divisor"]));
    if divisor.nano == 0 {
        divisor = Qty {
            nano: NANO,
            fmt: QFmt::Decimal,
        };
    }
    let res = s(rf, &["resource"]);
    let (section, name) = res.split_once('.')?;
    let section = match section {
        "limits" => "limits",
        "requests" => "requests",
        _ => return None,
    };
    let standard = matches!(name, "cpu" | "memory" | "ephemeral-storage");
    if !standard && !name.starts_with("hugepages-") {
        return None;
    }
    let q = Qty::of(get(c, &["resources", section, name]));
    let v = if name == "cpu" {
        (q.milli() as f64 / divisor.milli() as f64).ceil()
    } else {
        (q.value() as f64 / divisor.value() as f64).ceil()
    };
    Some(if v.is_finite() {
        (v as i64).to_string()
    } else {
        i64::MIN.to_string()
    })
}

pub(crate) fn container_env(w: &mut Pw, c: &Value, pod: Option<&Value>) {
    let env = arr(c, &["env"]);
    let none = if env.is_empty() { "\t<none>" } else { "" };
    w.w(2, &format!("Environment:{none}\n"));
    for e in env {
        let name = s(e, &["name"]);
        let Some(vf) = get(e, &["valueFrom"]) else {
            for (n, line) in s(e, &["value"]).split('\n').enumerate() {
                if n == 0 {
                    w.w(3, &format!("{name}:\t{line}\n"));
                } else {
                    w.w(3, &format!("\t{line}\n"));
                }
            }
            continue;
        };
        if let Some(fr) = get(vf, &["fieldRef"]) {
            let value = resolve_field_ref(pod, fr);
            w.w(
                3,
                &format!(
                    "{name}:\t{value} ({}:{})\n",
                    s(fr, &["apiVersion"]),
                    s(fr, &["fieldPath"])
                ),
            );
        } else if let Some(rf) = get(vf, &["resourceFieldRef"]) {
            let mut value = container_resource_value(rf, c).unwrap_or_default();
            let res = s(rf, &["resource"]);
            if value == "0" && (res == "limits.cpu" || res == "limits.memory") {
                value = "node allocatable".to_string();
            }
            w.w(3, &format!("{name}:\t{value} ({res})\n"));
        } else if let Some(r) = get(vf, &["secretKeyRef"]) {
            w.w(
                3,
                &format!(
                    "{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    s(r, &["key"]),
                    s(r, &["name"]),
                    go_bool(b(r, &["optional"]))
                ),
            );
        } else if let Some(r) = get(vf, &["configMapKeyRef"]) {
            w.w(
                3,
                &format!(
                    "{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    s(r, &["key"]),
                    s(r, &["name"]),
                    go_bool(b(r, &["optional"]))
                ),
            );
        }
    }
}

pub(crate) fn container_volumes(w: &mut Pw, c: &Value) {
    let mounts = arr(c, &["volumeMounts"]);
    let none = if mounts.is_empty() { "\t<none>" } else { "" };
    w.w(2, &format!("Mounts:{none}\n"));
    let mut mounts: Vec<&Value> = mounts.iter().collect();
    go_sort(&mut mounts, |a, b| {
        s(a, &["mountPath"]) < s(b, &["mountPath"])
    });
    for m in mounts {
        let mut flags = vec![if b(m, &["readOnly"]) { "ro" } else { "rw" }.to_string()];
        let sub = s(m, &["subPath"]);
        if !sub.is_empty() {
            flags.push(format!("path={}", go_quote(sub)));
        }
        w.w(
            3,
            &format!(
                "{} from {} ({})\n",
                s(m, &["mountPath"]),
                s(m, &["name"]),
                flags.join(",")
            ),
        );
    }
    let devices = arr(c, &["volumeDevices"]);
    if !devices.is_empty() {
        w.w(2, &format!("Devices:{none}\n"));
        let mut devices: Vec<&Value> = devices.iter().collect();
        go_sort(&mut devices, |a, b| {
            s(a, &["devicePath"]) < s(b, &["devicePath"])
        });
        for d in devices {
            w.w(
                3,
                &format!("{} from {}\n", s(d, &["devicePath"]), s(d, &["name"])),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn probe_summaries() {
        let cases = [
            (
                json!({"httpGet": {"path": "/", "port": 80, "scheme": "HTTP"}, "timeoutSeconds": 1,
                       "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}),
                "http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3",
            ),
            (
                json!({"httpGet": {"host": "::1", "path": "a b", "port": "web", "scheme": "HTTPS"}}),
                "http-get https://[::1]:web/a%20b delay=0s timeout=0s period=0s #success=0 #failure=0",
            ),
            (
                json!({"exec": {"command": ["cat", "/tmp/x"]}, "initialDelaySeconds": 5}),
                "exec [cat /tmp/x] delay=5s timeout=0s period=0s #success=0 #failure=0",
            ),
            (
                json!({"tcpSocket": {"port": 5432}}),
                "tcp-socket :5432 delay=0s timeout=0s period=0s #success=0 #failure=0",
            ),
            (
                json!({"grpc": {"port": 9000, "service": "health"}}),
                "grpc <pod>:9000 health delay=0s timeout=0s period=0s #success=0 #failure=0",
            ),
        ];
        for (probe, want) in cases {
            assert_eq!(describe_probe(&probe), want);
        }
    }
}
