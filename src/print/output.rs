//! `-o` formats shared by every command that prints objects (get, create, apply, ...).

use super::{custom_columns, jsonpath, tabwriter, yaml};
use crate::api::kinds::KindInfo;
use crate::cli::CliError;
use serde_json::{Value, json};

/// A parsed `-o` value.
#[derive(Debug, Clone, PartialEq)]
pub enum Format {
    Table,
    Wide,
    Yaml,
    Json,
    Name,
    JsonPath(String),
    CustomColumns(String),
}

impl Format {
    /// Parses kubectl's `-o` values (reading `jsonpath-file=` / `custom-columns-file=` files).
    pub fn parse(o: Option<&str>) -> Result<Format, CliError> {
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
            ("jsonpath", Some(t)) => Format::JsonPath(t.to_string()),
            ("jsonpath-file", Some(f)) => Format::JsonPath(read_file(f)?),
            ("custom-columns", Some(t)) => Format::CustomColumns(t.to_string()),
            ("custom-columns-file", Some(f)) => {
                let cols = custom_columns::parse_file(&read_file(f)?).map_err(CliError::msg)?;
                Format::CustomColumns(
                    cols.iter()
                        .map(|c| format!("{}:{}", c.header, c.path))
                        .collect::<Vec<_>>()
                        .join(","),
                )
            }
            ("jsonpath", None) | ("jsonpath-file", None) => {
                return Err(CliError::msg(
                    "template format specified but no template given",
                ));
            }
            ("custom-columns", None) => {
                return Err(CliError::msg(
                    "custom-columns format specified but no custom columns given",
                ));
            }
            _ => {
                return Err(CliError::msg(format!(
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

fn read_file(f: &str) -> Result<String, CliError> {
    std::fs::read_to_string(f).map_err(|e| CliError::msg(format!("error reading {f}: {e}")))
}

/// `deployment.apps/nginx`
pub fn name_form(info: &KindInfo, obj: &Value) -> String {
    format!("{}/{}", info.name_form(), crate::api::name_of(obj))
}

/// The empty or multi-object wrapper kubectl prints with `-o yaml|json`.
pub fn list_of(items: Vec<Value>) -> Value {
    json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

/// Prints objects in a structured format: `single` says the user asked for exactly one named
/// object (printed bare); otherwise a `List` is printed.
pub fn print_structured(
    fmt: &Format,
    objs: &[(&'static KindInfo, Value)],
    single: bool,
) -> Result<String, CliError> {
    let doc = if single && objs.len() == 1 {
        objs[0].1.clone()
    } else {
        list_of(objs.iter().map(|(_, o)| o.clone()).collect())
    };
    match fmt {
        Format::Yaml => Ok(yaml::to_yaml(&doc)),
        Format::Json => Ok(json_text(&doc)),
        Format::Name => Ok(objs.iter().map(|(i, o)| name_form(i, o) + "\n").collect()),
        Format::JsonPath(t) => {
            let jp = jsonpath::JsonPath::parse(t)
                .map_err(|e| CliError::msg(jsonpath::parse_error_message(t, &e)))?;
            jp.execute(&doc).map_err(|e| {
                let m = jsonpath::execute_error_message(t, &e, &doc, false);
                CliError::raw(format!("error: {}", m.strip_suffix('\n').unwrap_or(&m)))
            })
        }
        Format::CustomColumns(spec) => {
            let cols = custom_columns::parse_spec(spec).map_err(CliError::msg)?;
            let mut rows = vec![custom_columns::headers(&cols)];
            for (_, o) in objs {
                rows.push(custom_columns::render_row(&cols, o).map_err(CliError::msg)?);
            }
            if objs.is_empty() {
                return Ok(String::new());
            }
            Ok(tabwriter::table(&rows))
        }
        Format::Table | Format::Wide => Ok(String::new()),
    }
}

/// JSON as kubectl prints it: 4-space indentation, keys sorted, trailing newline.
pub fn json_text(v: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(v, &mut ser).expect("serializable");
    let mut s = String::from_utf8(buf).expect("utf8");
    s.push('\n');
    s
}

/// What Go's JSON encoder adds when kubectl prints an object it decoded into its typed struct
/// without a server round-trip (`--local`, `--dry-run=client`): struct-valued fields without
/// `omitempty` come out as `null` or `{}` (`creationTimestamp: null`, `resources: {}`,
/// `strategy: {}`, `status: {}`).
pub fn go_zero_fields(obj: &mut Value) {
    let kind = obj
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    fn meta(v: &mut Value) {
        if let Some(m) = v.as_object_mut() {
            let md = m.entry("metadata").or_insert_with(|| json!({}));
            if let Some(md) = md.as_object_mut() {
                md.entry("creationTimestamp").or_insert(Value::Null);
            }
        }
    }
    fn containers(spec: &mut Value) {
        for field in ["initContainers", "containers"] {
            if let Some(cs) = spec.get_mut(field).and_then(Value::as_array_mut) {
                for c in cs {
                    if let Some(c) = c.as_object_mut() {
                        c.entry("resources").or_insert_with(|| json!({}));
                    }
                }
            }
        }
    }
    fn template(t: Option<&mut Value>) {
        if let Some(t) = t {
            meta(t);
            if let Some(s) = t.get_mut("spec") {
                containers(s);
            }
        }
    }
    meta(obj);
    match kind.as_str() {
        "Pod" => {
            if let Some(s) = obj.get_mut("spec") {
                containers(s);
            }
        }
        "Deployment"
        | "ReplicaSet"
        | "ReplicationController"
        | "StatefulSet"
        | "DaemonSet"
        | "Job" => {
            if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
                match kind.as_str() {
                    "Deployment" => {
                        spec.entry("strategy").or_insert_with(|| json!({}));
                    }
                    "StatefulSet" | "DaemonSet" => {
                        spec.entry("updateStrategy").or_insert_with(|| json!({}));
                    }
                    _ => {}
                }
            }
            template(obj.pointer_mut("/spec/template"));
        }
        "CronJob" => {
            if let Some(jt) = obj.pointer_mut("/spec/jobTemplate") {
                meta(jt);
            }
            template(obj.pointer_mut("/spec/jobTemplate/spec/template"));
        }
        _ => {}
    }
    if matches!(
        kind.as_str(),
        "Pod"
            | "Deployment"
            | "ReplicaSet"
            | "ReplicationController"
            | "StatefulSet"
            | "DaemonSet"
            | "Job"
            | "CronJob"
            | "Service"
            | "Namespace"
            | "PersistentVolumeClaim"
            | "PersistentVolume"
            | "Node"
    ) && let Some(m) = obj.as_object_mut()
    {
        m.entry("status").or_insert_with(|| json!({}));
    }
}
