//! `-o` formats shared by every command that prints objects (get, create, apply, ...).

use super::{PrintError, custom_columns, gotemplate, jsonpath, tabwriter, yaml};
use crate::util::ptr::Ptr;
use serde_json::{Value, json};

/// What the printers need of an object's kind: its name form (`deployment.apps`), for
/// `-o name`. The kinds implement it; the printers know no kind.
pub trait NameForm {
    fn name_form(&self) -> String;
}

/// A parsed `-o` value.
#[derive(Debug, Clone, PartialEq)]
pub enum Format {
    Table,
    Wide,
    Yaml,
    Json,
    Name,
    /// `-o jsonpath=...`: the template, `--allow-missing-template-keys` and whether the
    /// results print as one indented JSON array (`-o jsonpath-as-json=...`).
    JsonPath(String, bool, bool),
    CustomColumns(String),
    /// `-o go-template=...` (and `template`, the `-file` forms): the template's text and
    /// `--allow-missing-template-keys`.
    GoTemplate {
        text: String,
        allow_missing: bool,
    },
}

impl Format {
    /// Parses kubectl's `-o` values (reading `jsonpath-file=` / `custom-columns-file=` files).
    pub fn parse(o: Option<&str>) -> Result<Format, PrintError> {
        let Some(o) = o else { return Ok(Format::Table) };
        let (k, v) = match o.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (o, None),
        };
        Ok(match (k, v) {
            ("", None) => Format::Table,
            ("wide", None) => Format::Wide,
            ("yaml", None) => Format::Yaml,
            ("json", None) => Format::Json,
            ("name", None) => Format::Name,
            ("jsonpath", Some(t)) => Format::JsonPath(t.to_string(), true, false),
            ("jsonpath-as-json", Some(t)) => Format::JsonPath(t.to_string(), true, true),
            ("jsonpath-file", Some(f)) => Format::JsonPath(read_file(f)?, true, false),
            ("custom-columns", Some(t)) => Format::CustomColumns(t.to_string()),
            ("custom-columns-file", Some(f)) => {
                let cols = custom_columns::parse_file(&read_file(f)?).map_err(PrintError::msg)?;
                Format::CustomColumns(
                    cols.iter()
                        .map(|c| format!("{}:{}", c.header, c.path))
                        .collect::<Vec<_>>()
                        .join(","),
                )
            }
            ("go-template" | "template", Some(t)) if !t.is_empty() => go_template(t)?,
            ("go-template-file" | "templatefile", Some(f)) if !f.is_empty() => {
                let t = std::fs::read_to_string(f).map_err(|e| {
                    PrintError::msg(format!(
                        "error reading --template {f}, {}",
                        go_os_error("open", f, &e)
                    ))
                })?;
                go_template(&t)?
            }
            ("go-template" | "go-template-file" | "template" | "templatefile", _) => {
                return Err(PrintError::msg(
                    "template format specified but no template given",
                ));
            }
            ("jsonpath" | "jsonpath-file" | "jsonpath-as-json", None) => {
                return Err(PrintError::msg(
                    "template format specified but no template given",
                ));
            }
            ("custom-columns", None) => {
                return Err(PrintError::msg(
                    "custom-columns format specified but no custom columns given",
                ));
            }
            _ => {
                return Err(PrintError::msg(format!(
                    "unable to match a printer suitable for the output format \"{o}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
                )));
            }
        })
    }

    /// Whether this format prints whole objects (not a human table).
    pub fn is_structured(&self) -> bool {
        !matches!(self, Format::Table | Format::Wide)
    }
}

/// A Go template `-o` value, checked as kubectl's printer checks it when built.
fn go_template(text: &str) -> Result<Format, PrintError> {
    gotemplate::check("output", text)
        .map_err(|e| PrintError::msg(format!("error parsing template {text}, {e}")))?;
    Ok(Format::GoTemplate {
        text: text.to_string(),
        allow_missing: true,
    })
}

/// Go's `*PathError` text: `open /x: no such file or directory`.
pub fn go_os_error(op: &str, path: &str, e: &std::io::Error) -> String {
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => return format!("read {path}: is a directory"),
        _ => e.to_string(),
    };
    format!("{op} {path}: {what}")
}

/// Runs a Go template on `doc` as kubectl's template printer does: on failure, the output
/// so far and kubectl's debugging block go to stdout and the error to stderr. `raw` is the
/// JSON kubectl marshalled the object to (`json.Marshal`: typed objects in Go field order).
pub fn run_go_template(
    text: &str,
    allow_missing: bool,
    doc: &Value,
    raw: impl FnOnce() -> String,
) -> Result<String, PrintError> {
    let result = gotemplate::render("output", text, doc, !allow_missing)
        .map_err(|e| PrintError::msg(format!("error parsing template {text}, {e}")))?;
    result.map_err(|e| {
        let stdout = format!(
            "{}Error executing template: {}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{text}\n\traw data was:\n\t\t{}\n\tobject given to template engine was:\n\t\t{}\n\n",
            e.partial,
            e.message,
            raw(),
            gotemplate::fmt::sprint_plus_v(doc)
        );
        PrintError::msg(format!(
            "error executing template {}: {}",
            gotemplate::fmt::quote(text),
            e.message
        ))
        .with_stdout(stdout)
    })
}

fn read_file(f: &str) -> Result<String, PrintError> {
    std::fs::read_to_string(f).map_err(|e| PrintError::msg(format!("error reading {f}: {e}")))
}

/// `deployment.apps/nginx`
pub fn name_form(info: &(impl NameForm + ?Sized), obj: &Value) -> String {
    let name = obj.ptr("/metadata/name").and_then(Value::as_str);
    format!("{}/{}", info.name_form(), name.unwrap_or(""))
}

/// The empty or multi-object wrapper kubectl prints with `-o yaml|json`.
pub fn list_of(items: Vec<Value>) -> Value {
    json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

/// Prints objects in a structured format: `single` says the user asked for exactly one named
/// object (printed bare); otherwise a `List` is printed.
pub fn print_structured<K: NameForm + ?Sized>(
    fmt: &Format,
    objs: &[(&K, Value)],
    single: bool,
) -> Result<String, PrintError> {
    let doc = || {
        if single && objs.len() == 1 {
            objs[0].1.clone()
        } else {
            list_of(objs.iter().map(|(_, o)| o.clone()).collect())
        }
    };
    match fmt {
        Format::Yaml => Ok(yaml::to_yaml(&doc())),
        Format::Json if single && objs.len() == 1 => Ok(json_text(&objs[0].1)),
        Format::Json => Ok(json_text(&ListRef(objs))),
        Format::Name => Ok(objs.iter().map(|(i, o)| name_form(*i, o) + "\n").collect()),
        Format::JsonPath(t, allow_missing, as_json) => {
            let doc = doc();
            let jp = jsonpath::JsonPath::parse(t)
                .map_err(|e| PrintError::msg(jsonpath::parse_error_message(t, &e)))?
                .allow_missing_keys(*allow_missing)
                .json_output(*as_json);
            jp.execute(&doc).map_err(|e| {
                let m = jsonpath::execute_error_message(t, &e, &doc, false);
                PrintError::raw(format!("error: {}", m.strip_suffix('\n').unwrap_or(&m)))
            })
        }
        Format::CustomColumns(spec) => {
            let cols = custom_columns::parse_spec(spec).map_err(PrintError::msg)?;
            let mut rows = vec![custom_columns::headers(&cols)];
            for (_, o) in objs {
                rows.push(custom_columns::render_row(&cols, o).map_err(PrintError::msg)?);
            }
            if objs.is_empty() {
                return Ok(String::new());
            }
            Ok(tabwriter::table(&rows))
        }
        Format::GoTemplate {
            text,
            allow_missing,
        } => {
            let doc = doc();
            run_go_template(text, *allow_missing, &doc, || json_compact(&doc))
        }
        Format::Table | Format::Wide => Ok(String::new()),
    }
}

/// [`list_of`] the objects, serialized from where they are (no copy of the items).
struct ListRef<'a, K: ?Sized>(&'a [(&'a K, Value)]);

impl<K: ?Sized> serde::Serialize for ListRef<'_, K> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Items<'a, K: ?Sized>(&'a [(&'a K, Value)]);
        impl<K: ?Sized> serde::Serialize for Items<'_, K> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map(|(_, o)| o))
            }
        }
        // The keys in the order `list_of`'s sorted map has them.
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("apiVersion", "v1")?;
        m.serialize_entry("items", &Items(self.0))?;
        m.serialize_entry("kind", "List")?;
        m.serialize_entry("metadata", &serde_json::json!({"resourceVersion": ""}))?;
        m.end()
    }
}

/// Writes a `List` of objects exactly as `json_text(&list_of(items))` prints it, an item at
/// a time (a list of 10,000 pods is not built first).
#[derive(Default)]
pub struct JsonListWriter {
    items: usize,
}

impl JsonListWriter {
    pub fn item(&mut self, w: &mut impl std::io::Write, v: &Value) -> std::io::Result<()> {
        if self.items == 0 {
            w.write_all(b"{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n")?;
        } else {
            w.write_all(b",\n")?;
        }
        // Pretty JSON has newlines only between tokens (strings escape theirs): indenting
        // every line puts the item two levels in.
        let text = json_text(v);
        for (i, line) in text.trim_end_matches('\n').split('\n').enumerate() {
            if i > 0 {
                w.write_all(b"\n")?;
            }
            w.write_all(b"        ")?;
            w.write_all(line.as_bytes())?;
        }
        self.items += 1;
        Ok(())
    }

    pub fn finish(self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        if self.items == 0 {
            w.write_all(b"{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n")?;
        } else {
            w.write_all(b"\n    ],\n")?;
        }
        w.write_all(
            b"    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n",
        )
    }
}

/// JSON as Go's `json.Marshal` writes it: compact, keys sorted, Go's escapes.
pub fn json_compact(v: &impl serde::Serialize) -> String {
    go_json_escapes(serde_json::to_string(v).expect("serializable"))
}

/// JSON as kubectl prints it: 4-space indentation, keys sorted, trailing newline.
pub fn json_text(v: &impl serde::Serialize) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(v, &mut ser).expect("serializable");
    let mut s = String::from_utf8(buf).expect("utf8");
    s.push('\n');
    go_json_escapes(s)
}

/// Go's `encoding/json` escapes these even inside strings (HTML safety), and kubectl prints
/// what Go prints.
pub fn go_json_escapes(s: String) -> String {
    if !s.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return s;
    }
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Fields whose values are Go maps: their keys print sorted.
const MAP_FIELDS: &[&str] = &[
    "labels",
    "annotations",
    "data",
    "binaryData",
    "stringData",
    "matchLabels",
    "nodeSelector",
    "requests",
    "limits",
    "capacity",
    "allocatable",
    "hard",
    "used",
    "selector_map",
];

/// Go struct field order of the API types kubectl prints from typed objects, as one ranking
/// (the types involved never order two shared names differently).
const GO_FIELD_ORDER: &[&str] = &[
    "kind",
    "apiVersion",
    "metadata",
    "spec",
    "data",
    "binaryData",
    "stringData",
    "type",
    "immutable",
    "status",
    // ObjectMeta
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
    // DeploymentSpec / ReplicaSetSpec / JobSpec / CronJobSpec
    "replicas",
    "schedule",
    "timeZone",
    "startingDeadlineSeconds",
    "concurrencyPolicy",
    "suspend",
    "jobTemplate",
    "successfulJobsHistoryLimit",
    "failedJobsHistoryLimit",
    "parallelism",
    "completions",
    "activeDeadlineSeconds",
    "backoffLimit",
    "selector",
    "matchLabels",
    "matchExpressions",
    "manualSelector",
    "template",
    "strategy",
    "minReadySeconds",
    "revisionHistoryLimit",
    "paused",
    "progressDeadlineSeconds",
    // PodSpec
    "volumes",
    "initContainers",
    "containers",
    "restartPolicy",
    "terminationGracePeriodSeconds",
    "dnsPolicy",
    "nodeSelector",
    "serviceAccountName",
    "nodeName",
    "securityContext",
    "schedulerName",
    "tolerations",
    // Container
    "image",
    "command",
    "args",
    "workingDir",
    "ports",
    "envFrom",
    "env",
    "resources",
    "volumeMounts",
    "imagePullPolicy",
    // ContainerPort
    "hostPort",
    "containerPort",
    "protocol",
];

/// Go struct field order where a type orders its fields against [`GO_FIELD_ORDER`]: by the
/// field holding the object (`roleRef`), for a top-level object by its kind, and for a
/// top-level field by `Kind.field`. The fields
/// listed come first, in this order; the others follow as the global ranking has them.
const SCOPED_FIELD_ORDER: &[(&str, &[&str])] = &[
    (
        "PriorityClass",
        &[
            "kind",
            "apiVersion",
            "metadata",
            "value",
            "globalDefault",
            "description",
            "preemptionPolicy",
        ],
    ),
    ("Role", &["kind", "apiVersion", "metadata", "rules"]),
    (
        "ClusterRole",
        &["kind", "apiVersion", "metadata", "rules", "aggregationRule"],
    ),
    (
        "RoleBinding",
        &["kind", "apiVersion", "metadata", "subjects", "roleRef"],
    ),
    (
        "ClusterRoleBinding",
        &["kind", "apiVersion", "metadata", "subjects", "roleRef"],
    ),
    (
        "rules",
        &[
            "verbs",
            "apiGroups",
            "resources",
            "resourceNames",
            "nonResourceURLs",
            "host",
            "http",
        ],
    ),
    ("subjects", &["kind", "apiGroup", "name", "namespace"]),
    (
        "PodDisruptionBudget.spec",
        &[
            "minAvailable",
            "selector",
            "maxUnavailable",
            "unhealthyPodEvictionPolicy",
        ],
    ),
    (
        "PodDisruptionBudget.status",
        &[
            "observedGeneration",
            "disruptedPods",
            "disruptionsAllowed",
            "currentHealthy",
            "desiredHealthy",
            "expectedPods",
            "conditions",
        ],
    ),
    ("roleRef", &["apiGroup", "kind", "name"]),
    (
        "Ingress.spec",
        &["ingressClassName", "defaultBackend", "tls", "rules"],
    ),
    ("tls", &["hosts", "secretName"]),
    ("paths", &["path", "pathType", "backend"]),
    ("backend", &["service", "resource"]),
    ("defaultBackend", &["service", "resource"]),
    ("service", &["name", "port"]),
    ("port", &["name", "number"]),
    (
        "HorizontalPodAutoscaler.spec",
        &[
            "scaleTargetRef",
            "minReplicas",
            "maxReplicas",
            "metrics",
            "behavior",
        ],
    ),
    (
        "HorizontalPodAutoscaler.status",
        &[
            "observedGeneration",
            "lastScaleTime",
            "currentReplicas",
            "desiredReplicas",
            "currentMetrics",
            "conditions",
        ],
    ),
    ("scaleTargetRef", &["kind", "name", "apiVersion"]),
    (
        "Service.spec",
        &[
            "ports",
            "selector",
            "clusterIP",
            "clusterIPs",
            "type",
            "externalIPs",
            "sessionAffinity",
            "loadBalancerIP",
            "loadBalancerSourceRanges",
            "externalName",
            "externalTrafficPolicy",
            "healthCheckNodePort",
            "publishNotReadyAddresses",
            "sessionAffinityConfig",
            "ipFamilies",
            "ipFamilyPolicy",
            "allocateLoadBalancerNodePorts",
            "loadBalancerClass",
            "internalTrafficPolicy",
            "trafficDistribution",
        ],
    ),
];

/// JSON as kubectl prints a typed object it built or decoded itself (`--dry-run=client`,
/// `--local`): fields in Go struct order, map keys sorted, 4-space indentation, Go's escapes.
pub fn json_text_typed(v: &Value) -> String {
    typed_json(v, true)
}

/// [`json_text_typed`] as Go's `json.Marshal` writes it: compact, no trailing newline.
pub fn json_compact_typed(v: &Value) -> String {
    typed_json(v, false)
}

fn typed_json(v: &Value, pretty: bool) -> String {
    fn rank(parent: &str, k: &str) -> (usize, usize) {
        let scoped = SCOPED_FIELD_ORDER
            .iter()
            .find(|(p, _)| *p == parent)
            .and_then(|(_, order)| order.iter().position(|x| *x == k));
        let global = GO_FIELD_ORDER
            .iter()
            .position(|x| *x == k)
            .unwrap_or(usize::MAX);
        (scoped.unwrap_or(usize::MAX), global)
    }
    fn write(v: &Value, parent: &str, indent: Option<usize>, out: &mut String) {
        // `indent` None: compact.
        let nl = |out: &mut String, n: usize| {
            if let Some(i) = indent {
                out.push('\n');
                out.push_str(&"    ".repeat(i + n));
            }
        };
        let inner = indent.map(|i| i + 1);
        match v {
            Value::Object(m) if m.is_empty() => out.push_str("{}"),
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                if !MAP_FIELDS.contains(&parent) {
                    keys.sort_by_key(|k| (rank(parent, k), (*k).clone()));
                }
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    nl(out, 1);
                    out.push_str(&serde_json::to_string(k).expect("string"));
                    out.push_str(if indent.is_some() { ": " } else { ":" });
                    // A kind's top-level field may have its own scope (`Kind.spec`).
                    let scoped = format!("{parent}.{k}");
                    let child = if SCOPED_FIELD_ORDER.iter().any(|(p, _)| *p == scoped) {
                        scoped.as_str()
                    } else {
                        k.as_str()
                    };
                    write(&m[k.as_str()], child, inner, out);
                    if i + 1 < keys.len() {
                        out.push(',');
                    }
                }
                nl(out, 0);
                out.push('}');
            }
            Value::Array(a) if a.is_empty() => out.push_str("[]"),
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    nl(out, 1);
                    write(x, parent, inner, out);
                    if i + 1 < a.len() {
                        out.push(',');
                    }
                }
                nl(out, 0);
                out.push(']');
            }
            other => out.push_str(&serde_json::to_string(other).expect("json")),
        }
    }
    let mut out = String::new();
    // The top level is ordered by its kind's scope, if it has one.
    let top = v.get("kind").and_then(Value::as_str).unwrap_or("");
    write(v, top, pretty.then_some(0), &mut out);
    if pretty {
        out.push('\n');
    }
    go_json_escapes(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_list_written_an_item_at_a_time_is_the_list_printed_whole() {
        let items = [
            json!({"kind": "Pod", "metadata": {"name": "a<b>&"},
                   "spec": {"x": [], "y": {}, "z": [1, {"k": "l\nm"}]}}),
            json!({"kind": "Pod", "metadata": {"name": "b"}, "data": {"s": "\u{2028}"}}),
            json!({}),
        ];
        for n in 0..=items.len() {
            let mut w = JsonListWriter::default();
            let mut out = Vec::new();
            for v in &items[..n] {
                w.item(&mut out, v).unwrap();
            }
            w.finish(&mut out).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                json_text(&list_of(items[..n].to_vec())),
                "{n} items"
            );
        }
    }
}
