//! `kubectl explain`: the documentation of a resource or of a field path in it, from the 1.33
//! API schema kubesim carries (`kinds::schema`). `--output=plaintext` (the default) renders
//! as kubectl 1.33's OpenAPI v3 template does (staging/src/k8s.io/kubectl/pkg/explain/v2/
//! templates/plaintext.tmpl, ported here template by template); `plaintext-openapiv2` as its
//! older printer (pkg/explain: model_printer.go, fields_printer.go, formatter.go).

use std::collections::BTreeSet;
use std::io::Write;

use clap::Args;

use super::{CliError, CliResult, Ctx, Out};
use crate::kinds::{self, Kind, schema::Node, schema::Schema};
use crate::print::wordwrap::{indent, wrap_lines, wrap_string};

#[derive(Args, Debug, Clone)]
#[command(
    long_about = "Describe fields and structure of various resources.\n\n\
        This command describes the fields associated with each supported API resource. \
        Fields are identified via a simple JSONPath identifier:\n\n        \
        <type>.<fieldName>[.<fieldName>]\n\n\
        Information about each field is retrieved from the server in OpenAPI format.\n\n\
        Use \"kubesim api-resources\" for a complete list of supported resources.",
    after_help = "Examples:\n  \
        # Get the documentation of the resource and its fields\n  \
        kubesim explain pods\n\n  \
        # Get all the fields in the resource\n  \
        kubesim explain pods --recursive\n\n  \
        # Get the explanation for deployment in supported api versions\n  \
        kubesim explain deployments --api-version=apps/v1\n\n  \
        # Get the documentation of a specific field of a resource\n  \
        kubesim explain pods.spec.containers\n\n  \
        # Get the documentation of resources in different format\n  \
        kubesim explain deployment --output=plaintext-openapiv2"
)]
pub struct ExplainArgs {
    /// TYPE[.FIELD...]: the resource (plural, singular, short name or Kind, or
    /// RESOURCE.GROUP) and the field path in it
    #[arg(value_name = "TYPE", add = super::completion::explain_paths())]
    pub args: Vec<String>,
    /// Print the fields of fields (Currently only 1 level deep)
    #[arg(long)]
    pub recursive: bool,
    /// Get different explanations for particular API version (API group/version)
    #[arg(long, value_name = "string")]
    pub api_version: Option<String>,
    /// Format in which to render the schema (plaintext, plaintext-openapiv2)
    #[arg(long, value_name = "string", default_value = "plaintext")]
    pub output: String,
}

const SUGGEST: &str = "Use \"kubesim api-resources\" for a complete list of supported resources.";

pub fn run(_ctx: &Ctx, a: ExplainArgs, out: &mut Out) -> CliResult {
    let arg = match a.args.as_slice() {
        [] => {
            return Err(CliError::msg(format!(
                "You must specify the type of resource to explain. {SUGGEST}"
            )));
        }
        [one] => one.as_str(),
        _ => {
            return Err(CliError::msg(
                "We accept only this format: explain RESOURCE",
            ));
        }
    };
    let (kind, fields) = if a.api_version.is_none() {
        split_with_matching_prefix(arg)?
    } else {
        split_resource(arg)?
    };
    let (mut group, mut version) = (kind.group.to_string(), kind.version.to_string());
    if let Some(gv) = &a.api_version {
        (group, version) = parse_group_version(gv)?;
    }
    let schema = kinds::schema::builtin();
    if a.api_version.is_none() {
        has_schema(schema, kind)?;
    }
    let resource = Gvr {
        group: &group,
        version: &version,
        resource: kind.plural,
    };
    let mut text = String::new();
    let result = match a.output.as_str() {
        "plaintext" => v3::render(schema, kind, &resource, &fields, a.recursive, &mut text),
        "plaintext-openapiv2" => v2::render(
            schema,
            kind,
            &group,
            &version,
            &fields,
            a.recursive,
            &mut text,
        ),
        other => Err(format!("unrecognized format: {other}")),
    };
    out.out.write_all(text.as_bytes())?;
    result.map_err(CliError::msg)
}

/// A served kind whose schema kubesim does not carry is a clear error (not kubectl's
/// "not found in OpenAPI schema", which would blame the server).
fn has_schema(schema: &Schema, kind: &Kind) -> Result<(), CliError> {
    if schema.kind(kind.group, kind.version, kind.kind).is_some() {
        return Ok(());
    }
    Err(CliError::msg(format!(
        "kubesim carries no API schema for {} ({}); tools/explain_schema.py lists the kinds it keeps",
        kind.kind,
        kind.api_version()
    )))
}

/// A GroupVersionResource, printed as Go's `schema.GroupVersionResource.String()`.
struct Gvr<'a> {
    group: &'a str,
    version: &'a str,
    resource: &'a str,
}

impl std::fmt::Display for Gvr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{}, Resource={}",
            self.group, self.version, self.resource
        )
    }
}

/// `schema.ParseGroupVersion`.
fn parse_group_version(gv: &str) -> Result<(String, String), CliError> {
    if gv.is_empty() || gv == "/" {
        return Ok((String::new(), String::new()));
    }
    match gv.matches('/').count() {
        0 => Ok((String::new(), gv.to_string())),
        1 => {
            let (g, v) = gv.split_once('/').unwrap_or_default();
            Ok((g.to_string(), v.to_string()))
        }
        _ => Err(CliError::msg(format!(
            "unexpected GroupVersion string: {gv}"
        ))),
    }
}

/// The field names of `{.<path>}` as client-go's jsonpath parses a dotted path: only field
/// nodes are accepted.
fn field_nodes(path: &str) -> Result<Vec<String>, CliError> {
    let path = path.strip_suffix('.').unwrap_or(path);
    let mut out = Vec::new();
    for part in path.split('.') {
        if part.is_empty() {
            continue;
        }
        if !part
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '/')
        {
            return Err(CliError::msg(
                "invalid jsonpath syntax, first node must be field node",
            ));
        }
        out.push(part.to_string());
    }
    if out.is_empty() {
        return Err(CliError::msg(
            "invalid jsonpath syntax, first node must be field node",
        ));
    }
    Ok(out)
}

fn lookup(resource: &str) -> Result<&'static Kind, CliError> {
    kinds::resolve(resource).ok_or_else(|| {
        CliError::msg(format!(
            "the server doesn't have a resource type \"{resource}\""
        ))
    })
}

/// explain.go's `SplitAndParseResourceRequestWithMatchingPrefix`: the first field is the
/// resource; when `resource.group` (the plural, as discovery names it) begins the argument,
/// the fields are what follows it, otherwise every field after the first.
fn split_with_matching_prefix(arg: &str) -> Result<(&'static Kind, Vec<String>), CliError> {
    let nodes = field_nodes(arg)?;
    let kind = lookup(&nodes[0])?;
    let group_resource = if kind.group.is_empty() {
        kind.plural.to_string()
    } else {
        format!("{}.{}", kind.plural, kind.group)
    };
    if let Some(rest) = arg.strip_prefix(&group_resource) {
        let fields = if rest.is_empty() {
            Vec::new()
        } else {
            field_nodes(rest)?
        };
        return Ok((kind, fields));
    }
    Ok((kind, nodes[1..].to_vec()))
}

/// explain.go's `SplitAndParseResourceRequest` (with `--api-version`).
fn split_resource(arg: &str) -> Result<(&'static Kind, Vec<String>), CliError> {
    let nodes = field_nodes(arg)?;
    let kind = lookup(&nodes[0])?;
    Ok((kind, nodes[1..].to_vec()))
}

/// The OpenAPI v3 template (plaintext.tmpl).
mod v3 {
    use super::*;

    type History = BTreeSet<String>;

    pub(super) fn render(
        schema: &Schema,
        kind: &Kind,
        gvr: &Gvr,
        fields: &[String],
        recursive: bool,
        w: &mut String,
    ) -> Result<(), String> {
        if !schema.has_group_version(gvr.group, gvr.version) {
            return Err(format!("couldn't find resource for \"{gvr}\""));
        }
        let Some(top) = schema.kind(gvr.group, gvr.version, kind.kind) else {
            return Err(format!("error: GVR ({gvr}) not found in OpenAPI schema"));
        };
        if !gvr.group.is_empty() {
            w.push_str(&format!("GROUP:      {}\n", gvr.group));
        }
        w.push_str(&format!("KIND:       {}\n", kind.kind));
        w.push_str(&format!("VERSION:    {}\n", gvr.version));
        w.push('\n');
        let mut body = String::new();
        output(schema, top, &History::new(), fields, recursive, &mut body);
        if body.is_empty() {
            let field = fields.last().map(String::as_str).unwrap_or_default();
            return Err(format!("error: field \"{field}\" does not exist"));
        }
        w.push_str(&body);
        w.push('\n');
        Ok(())
    }

    /// `output`: follows the field path, then prints the description and the fields.
    fn output(
        schema: &Schema,
        node: &Node,
        history: &History,
        path: &[String],
        recursive: bool,
        w: &mut String,
    ) {
        let ref_string = node.reference.clone().unwrap_or_default();
        let mut next = history.clone();
        next.insert(ref_string.clone());
        let resolved = schema.resolve_ref(node).unwrap_or(node);
        let Some(first) = path.first() else {
            w.push_str("DESCRIPTION:\n");
            let mut d = String::new();
            description(schema, resolved, &mut d);
            if d.is_empty() {
                d.push_str("<empty>");
            }
            w.push_str(&indent(4, &wrap_string(&d, 76)));
            w.push('\n');
            let mut fl = String::new();
            field_list(schema, resolved, 1, &History::new(), recursive, &mut fl);
            if !fl.is_empty() {
                w.push_str("FIELDS:\n");
                w.push_str(&fl);
            }
            return;
        };
        if !ref_string.is_empty() && history.contains(&ref_string) {
            // A cycle.
        } else if let Some(sub) = resolved.properties.get(first) {
            if path.len() == 1 {
                w.push_str(&format!("FIELD: {first} <{}>\n", type_guess(schema, sub)));
                extract_enum(sub, true, -1, 0, w);
                w.push_str("\n\n");
            }
            output(schema, sub, &History::new(), &path[1..], recursive, w);
        } else if let Some(items) = &resolved.items {
            output(schema, items, &next, path, recursive, w);
        } else if let Some(ap) = &resolved.additional_properties {
            output(schema, ap, &next, path, recursive, w);
        } else {
            for sub in &resolved.all_of {
                let mut o = String::new();
                output(schema, sub, &next, path, recursive, &mut o);
                if !o.is_empty() {
                    w.push_str(&o);
                    break;
                }
            }
        }
    }

    /// `fieldList`: each field with its type (and description unless recursive), and with
    /// `--recursive` the fields of fields, cycles cut.
    pub(super) fn field_list(
        schema: &Schema,
        node: &Node,
        level: usize,
        history: &History,
        recursive: bool,
        w: &mut String,
    ) {
        let ref_string = node.reference.clone().unwrap_or_default();
        if !ref_string.is_empty() && history.contains(&ref_string) {
            return;
        }
        let mut next = history.clone();
        next.insert(ref_string);
        let resolved = schema.resolve_ref(node).unwrap_or(node);
        for (name, field) in &resolved.properties {
            field_detail(schema, resolved, name, recursive, level, w);
            if recursive {
                field_list(schema, field, level + 1, &next, recursive, w);
            }
        }
        for sub in &resolved.all_of {
            field_list(schema, sub, level, &next, recursive, w);
        }
        if let Some(items) = &resolved.items {
            field_list(schema, items, level, &next, recursive, w);
        }
        if let Some(ap) = &resolved.additional_properties {
            field_list(schema, ap, level, &next, recursive, w);
        }
    }

    /// `fieldDetail`: `name\t<type> -required-`, its enum, and (not `short`) its description
    /// wrapped to 80 columns.
    pub(super) fn field_detail(
        schema: &Schema,
        parent: &Node,
        name: &str,
        short: bool,
        level: usize,
        w: &mut String,
    ) {
        let amount = level * 2;
        let Some(field) = parent.properties.get(name) else {
            return;
        };
        w.push_str(&indent(amount, name));
        w.push_str(&format!("\t<{}>", type_guess(schema, field)));
        if parent.required.iter().any(|r| r == name) {
            w.push_str(" -required-");
        }
        extract_enum(field, false, 4, amount, w);
        w.push('\n');
        if !short {
            let d = field.description.as_deref().unwrap_or("<no description>");
            let d = if d.is_empty() { "<no description>" } else { d };
            w.push_str(&indent(amount + 2, &wrap_string(d, 78 - amount)));
            w.push_str("\n\n");
        }
    }

    /// `description`: the node's (or its reference's) description, then those of its
    /// `allOf`, items and map values, each followed by a newline.
    pub(super) fn description(schema: &Schema, node: &Node, w: &mut String) {
        let node = schema.resolve_ref(node).unwrap_or(node);
        if let Some(d) = node.description.as_deref().filter(|d| !d.is_empty()) {
            w.push_str(d);
            w.push('\n');
        }
        for sub in &node.all_of {
            description(schema, sub, w);
        }
        if let Some(items) = &node.items {
            description(schema, items, w);
        }
        if let Some(ap) = &node.additional_properties {
            description(schema, ap, w);
        }
    }

    /// `typeGuess`: `string`, `Object`, `[]Container`, `map[string]string`, `IntOrString`...
    pub(super) fn type_guess(schema: &Schema, node: &Node) -> String {
        if let Some(items) = &node.items {
            return format!("[]{}", type_guess(schema, items));
        }
        if let Some(ap) = &node.additional_properties {
            return format!("map[string]{}", type_guess(schema, ap));
        }
        if node.all_of.len() == 1 && node.properties.is_empty() {
            return type_guess(schema, &node.all_of[0]);
        }
        if let Some(r) = &node.reference {
            let target_type = schema.definition(r).and_then(|d| d.type_.as_deref());
            return match target_type {
                None | Some("object") | Some("") => {
                    let name = r.rsplit('/').next().unwrap_or(r);
                    match name.rsplit('.').next() {
                        Some(last) if !last.is_empty() => last.to_string(),
                        _ => "Object".to_string(),
                    }
                }
                Some(t) => t.to_string(),
            };
        }
        match node.type_.as_deref() {
            Some("object") | None | Some("") => "Object".to_string(),
            Some(t) => t.to_string(),
        }
    }

    /// `extractEnum`: `ENUM:` and one value a line (the long view of one field), or
    /// `enum: a, b, c, d, ....` under a field of a list.
    pub(super) fn extract_enum(
        node: &Node,
        long_view: bool,
        limit: i64,
        indent_amount: usize,
        w: &mut String,
    ) {
        if node.enum_.is_empty() {
            return;
        }
        if long_view {
            w.push_str("ENUM:");
        } else {
            w.push('\n');
            w.push_str(&" ".repeat(indent_amount));
            w.push_str("enum: ");
        }
        for (i, e) in node.enum_.iter().enumerate() {
            if limit > -1 && i as i64 >= limit {
                w.push_str(", ....");
                break;
            }
            if i > 0 && !long_view {
                w.push_str(", ");
            } else if long_view {
                w.push_str("\n    ");
            }
            match e {
                serde_json::Value::String(s) if s.is_empty() => w.push_str("\"\""),
                serde_json::Value::String(s) => w.push_str(s),
                other => w.push_str(&other.to_string()),
            }
        }
    }
}

/// kubectl's OpenAPI v2 printer (`--output=plaintext-openapiv2`), over the same definitions
/// read as kube-openapi's proto model reads a swagger document.
mod v2 {
    use super::*;

    /// The proto model of a node: what `GetTypeName` and the visitors see.
    enum Proto<'a> {
        /// An object with properties (`proto.Kind`).
        Kind(&'a Node),
        Array(&'a Node),
        Map(&'a Node),
        Primitive(String),
        /// A reference: its own description, then the target.
        Reference(&'a Node, &'a Node),
        Arbitrary,
    }

    fn proto<'a>(schema: &'a Schema, node: &'a Node) -> Proto<'a> {
        let target = node
            .all_of
            .first()
            .and_then(|r| schema.resolve_ref(r))
            .or_else(|| schema.resolve_ref(node));
        if let Some(t) = target {
            return Proto::Reference(node, t);
        }
        // The swagger document types IntOrString and Quantity as strings (`format:
        // int-or-string`); the v3 one leaves them untyped.
        let string_like = [
            "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
            "io.k8s.apimachinery.pkg.api.resource.Quantity",
        ];
        if string_like
            .iter()
            .any(|n| schema.definition(n).is_some_and(|d| std::ptr::eq(d, node)))
        {
            return Proto::Primitive("string".into());
        }
        match node.type_.as_deref() {
            None if !node.properties.is_empty() => Proto::Kind(node),
            None => Proto::Arbitrary,
            Some("object") if !node.properties.is_empty() => Proto::Kind(node),
            Some("object") => Proto::Map(node),
            Some("array") => Proto::Array(node),
            Some(t) => Proto::Primitive(t.to_string()),
        }
    }

    /// typename.go's `GetTypeName`.
    pub(super) fn type_name(schema: &Schema, node: &Node) -> String {
        let inner = |n: Option<&Node>| n.map(|i| type_name(schema, i)).unwrap_or_default();
        match proto(schema, node) {
            Proto::Kind(_) => "Object".into(),
            Proto::Array(n) => format!("[]{}", inner(n.items.as_deref())),
            Proto::Map(n) => format!("map[string]{}", inner(n.additional_properties.as_deref())),
            Proto::Primitive(t) => t,
            Proto::Reference(_, t) => type_name(schema, t),
            Proto::Arbitrary => String::new(),
        }
    }

    fn write_wrapped(indent_level: usize, text: &str, w: &mut String) {
        for line in wrap_lines(text, 80 - indent_level) {
            if line.is_empty() {
                w.push('\n');
            } else {
                w.push_str(&" ".repeat(indent_level));
                w.push_str(&line);
                w.push('\n');
            }
        }
    }

    // Long because: model_printer.go's visitor (field lookup, the kind/field headers, the
    // collected descriptions and both field printers) reads best as one walk.
    pub(super) fn render(
        schema: &Schema,
        kind: &Kind,
        group: &str,
        version: &str,
        fields: &[String],
        recursive: bool,
        w: &mut String,
    ) -> Result<(), String> {
        let gvk = format!("{}, Kind={}", gv(group, version), kind.kind);
        let Some(top) = schema.kind(group, version, kind.kind) else {
            return Err(format!("couldn't find resource for \"{gvk}\""));
        };
        // field_lookup.go: walk the path through references, arrays and maps.
        let mut node = top;
        let mut rest = fields;
        loop {
            match proto(schema, node) {
                Proto::Kind(k) => {
                    let Some(first) = rest.first() else { break };
                    let Some(sub) = k.properties.get(first) else {
                        return Err(format!("field \"{first}\" does not exist"));
                    };
                    node = sub;
                    rest = &rest[1..];
                }
                _ if rest.is_empty() => break,
                Proto::Array(a) => match a.items.as_deref() {
                    Some(i) => node = i,
                    None => break,
                },
                Proto::Map(m) => match m.additional_properties.as_deref() {
                    Some(i) => node = i,
                    None => break,
                },
                Proto::Reference(_, t) => node = t,
                Proto::Primitive(_) | Proto::Arbitrary => break,
            }
        }
        let name = fields.last().map(String::as_str).unwrap_or_default();
        // model_printer.go
        let mut descriptions: Vec<String> = Vec::new();
        let mut type_: Option<String> = None;
        let header = |w: &mut String| {
            w.push_str(&format!("KIND:     {}\n", kind.kind));
            w.push_str(&format!("VERSION:  {}\n\n", gv(group, version)));
        };
        let print_description = |descriptions: &[String], last: &str, w: &mut String| {
            w.push_str("DESCRIPTION:\n");
            let mut empty = true;
            let all = descriptions.iter().map(String::as_str).chain([last]);
            for (i, d) in all.enumerate() {
                if d.is_empty() {
                    continue;
                }
                empty = false;
                if i != 0 {
                    w.push('\n');
                }
                write_wrapped(5, d, w);
            }
            if empty {
                write_wrapped(5, "<empty>", w);
            }
        };
        let desc_of = |n: &Node| n.description.clone().unwrap_or_default();
        loop {
            match proto(schema, node) {
                // An array's items, a map's values.
                Proto::Array(c) | Proto::Map(c) => {
                    descriptions.push(desc_of(c));
                    type_.get_or_insert_with(|| type_name(schema, c));
                    match c.items.as_deref().or(c.additional_properties.as_deref()) {
                        Some(i) => node = i,
                        None => return Ok(()),
                    }
                }
                Proto::Reference(r, t) => {
                    descriptions.push(desc_of(r));
                    node = t;
                }
                Proto::Kind(k) => {
                    header(w);
                    let t = type_.unwrap_or_else(|| "Object".into());
                    if !name.is_empty() {
                        w.push_str(&format!("RESOURCE: {name} <{t}>\n\n"));
                    }
                    print_description(&descriptions, &desc_of(k), w);
                    w.push_str("\nFIELDS:\n");
                    if recursive {
                        recursive_fields(schema, k, 3, &mut BTreeSet::new(), w);
                    } else {
                        regular_fields(schema, k, w);
                    }
                    return Ok(());
                }
                Proto::Primitive(p) => {
                    header(w);
                    let t = type_.unwrap_or(p);
                    w.push_str(&format!("FIELD:    {name} <{t}>\n\n"));
                    print_description(&descriptions, &desc_of(node), w);
                    return Ok(());
                }
                Proto::Arbitrary => {
                    header(w);
                    print_description(&descriptions, &desc_of(node), w);
                    return Ok(());
                }
            }
        }
    }

    fn gv(group: &str, version: &str) -> String {
        if group.is_empty() {
            version.to_string()
        } else {
            format!("{group}/{version}")
        }
    }

    /// fields_printer.go: each field, its type, `-required-`, its description.
    fn regular_fields(schema: &Schema, k: &Node, w: &mut String) {
        for (name, field) in &k.properties {
            let required = if k.required.iter().any(|r| r == name) {
                " -required-"
            } else {
                ""
            };
            w.push_str(&format!(
                "   {name}\t<{}>{required}\n",
                type_name(schema, field)
            ));
            write_wrapped(5, &field.description.clone().unwrap_or_default(), w);
            w.push('\n');
        }
    }

    /// recursive_fields_printer.go: names and types, three more spaces a level.
    fn recursive_fields(
        schema: &Schema,
        k: &Node,
        level: usize,
        visited: &mut BTreeSet<String>,
        w: &mut String,
    ) {
        for (name, field) in &k.properties {
            w.push_str(&format!(
                "{}{name}\t<{}>\n",
                " ".repeat(level),
                type_name(schema, field)
            ));
            sub_fields(schema, field, level + 3, visited, w);
        }
    }

    fn sub_fields(
        schema: &Schema,
        node: &Node,
        level: usize,
        visited: &mut BTreeSet<String>,
        w: &mut String,
    ) {
        match proto(schema, node) {
            Proto::Kind(k) => recursive_fields(schema, k, level, visited, w),
            Proto::Array(a) => {
                if let Some(i) = a.items.as_deref() {
                    sub_fields(schema, i, level, visited, w)
                }
            }
            Proto::Map(m) => {
                if let Some(i) = m.additional_properties.as_deref() {
                    sub_fields(schema, i, level, visited, w)
                }
            }
            Proto::Reference(r, t) => {
                let name = r
                    .all_of
                    .first()
                    .and_then(|x| x.reference.clone())
                    .or_else(|| r.reference.clone())
                    .unwrap_or_default();
                if !visited.insert(name.clone()) {
                    return;
                }
                sub_fields(schema, t, level, visited, w);
                visited.remove(&name);
            }
            Proto::Primitive(_) | Proto::Arbitrary => {}
        }
    }
}

#[cfg(test)]
mod tests;
