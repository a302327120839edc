//! `kubesim get`: kubectl's tables and output formats over the state.

use super::flags;
use super::resources::{self, Group};
use super::{CliError, CliResult, Ctx, Out};
use crate::api::kinds::KindInfo;
use crate::api::selector::{FieldSelector, Selector};
use crate::api::{Api, name_of, namespace_of};
use crate::print::output::{Format, print_structured};
use crate::print::{cells, jsonpath, tabwriter};
use clap::Args;
use serde_json::Value;
use std::io::Write;

#[derive(Args, Debug, Clone, Default)]
#[command(mut_arg(
    "output",
    flags::usage(
        "Output format: json|yaml|name|wide|jsonpath=...|jsonpath-file=...|custom-columns=...|custom-columns-file=..."
    )
))]
#[command(mut_arg(
    "selector",
    flags::usage("Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'")
))]
#[command(mut_arg(
    "field_selector",
    flags::usage("Selector (field query) to filter on, supports '=', '==', and '!='")
))]
#[command(mut_arg(
    "filename",
    flags::usage("Filename, directory, or URL to files identifying the resource to get")
))]
pub struct GetArgs {
    /// TYPE[.VERSION][.GROUP] [NAME ...] | TYPE[.VERSION][.GROUP]/NAME ...
    #[arg(value_name = "TYPE", add = super::completion::resource_args())]
    pub args: Vec<String>,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    #[command(flatten)]
    pub field_selector: flags::FieldSelectorFlags,
    /// List the requested object(s) across all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    #[command(flatten)]
    pub files: flags::FilenameFlags,
    /// When printing, show all labels as the last column
    #[arg(long)]
    pub show_labels: bool,
    /// Accepts a comma separated list of labels that are going to be presented as columns
    #[arg(short = 'L', long, value_delimiter = ',')]
    pub label_columns: Vec<String>,
    /// When using the default or custom-column output format, don't print headers
    #[arg(long)]
    pub no_headers: bool,
    /// If non-empty, sort list types using this field specification (a JSONPath expression)
    #[arg(long)]
    pub sort_by: Option<String>,
    /// If present, list the resource type for the requested object(s)
    #[arg(long)]
    pub show_kind: bool,
    /// If the requested object does not exist the command will return exit code 0
    #[arg(long)]
    pub ignore_not_found: bool,
    /// After listing/getting the requested object, watch for changes
    #[arg(short = 'w', long)]
    pub watch: bool,
    /// Watch for changes to the requested object(s), without listing/getting first
    #[arg(long)]
    pub watch_only: bool,
    /// Output watch event objects when --watch or --watch-only is used. Existing objects are output as initial ADDED events.
    #[arg(long)]
    pub output_watch_events: bool,
    /// If true, keep the managedFields when printing objects in JSON or YAML format (kubesim keeps none)
    #[arg(long)]
    pub show_managed_fields: bool,
    /// Return large lists in chunks rather than all at once (kubesim reads its state whole; accepted)
    #[arg(long, default_value_t = 500, value_name = "N")]
    pub chunk_size: i64,
    /// If true, have the server return the appropriate table output (the tables are the same either way here)
    #[arg(long, default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub server_print: bool,
}

/// What was fetched: groups of objects in the order asked, and the errors met on the way.
pub struct Fetched {
    pub groups: Vec<(&'static KindInfo, Vec<Value>)>,
    pub errors: Vec<CliError>,
}

/// Reads the objects the arguments name, honouring namespaces and selectors.
#[allow(clippy::too_many_arguments)]
pub fn fetch(
    api: &mut Api,
    groups: &[Group],
    ns: &str,
    all_ns: bool,
    selector: Option<&Selector>,
    fields: Option<&FieldSelector>,
) -> Result<Fetched, CliError> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        let list_ns = if all_ns { None } else { Some(ns) };
        // A kind listed once is handed over by the store, not copied.
        let listed_again = groups[gi + 1..]
            .iter()
            .any(|o| o.info.plural == g.info.plural && o.names.is_none());
        let mut objs = Vec::new();
        match &g.names {
            Some(names) => {
                for n in names {
                    match api.get(g.info, ns, n) {
                        Ok(o) => objs.push(o),
                        Err(e) => errors.push(CliError::from(e)),
                    }
                }
            }
            None => {
                objs = if listed_again {
                    api.list(g.info, list_ns)?
                } else {
                    api.take_list(g.info, list_ns)?
                };
            }
        }
        if let Some(f) = fields {
            f.check_supported(g.info.kind)
                .map_err(|e| CliError::raw(format!("Error from server (BadRequest): {e}")))?;
        }
        objs.retain(|o| {
            selector.is_none_or(|s| s.matches_value(o.pointer("/metadata/labels")))
                && fields.is_none_or(|f| f.matches(o))
        });
        out.push((g.info, objs));
    }
    Ok(Fetched {
        groups: out,
        errors,
    })
}

pub fn run(ctx: &Ctx, a: GetArgs, out: &mut Out) -> CliResult {
    let fmt = a.output.parse_all()?;
    if a.args.is_empty() && a.files.filename.is_empty() {
        return Err(CliError::raw(
            "You must specify the type of resource to get. Use \"kubesim api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubesim explain <resource>\" for a detailed description of that resource (e.g. kubesim explain pods).\nSee 'kubesim get -h' for help and examples",
        ));
    }
    let selector = super::resources::label_selector(a.selector.as_deref())?;
    let fields = super::resources::field_selector(a.field_selector.as_deref())?;
    let ns = ctx.namespace()?;
    if a.output_watch_events && !(a.watch || a.watch_only) {
        return Err(CliError::msg(
            "--output-watch-events option can only be used with --watch or --watch-only",
        ));
    }
    if a.watch || a.watch_only {
        return watch(ctx, &a, &fmt, selector.as_ref(), fields.as_ref(), out);
    }
    let mut api = ctx.open_read()?;
    let (groups, several) = if !a.files.filename.is_empty() {
        let ms = a.files.load()?;
        let mut gs: Vec<Group> = Vec::new();
        for m in ms {
            let d = crate::api::decode::strict_decode(m.object).map_err(CliError::msg)?;
            gs.push(Group {
                info: d.info,
                names: Some(vec![name_of(&d.object).to_string()]),
            });
        }
        let several = {
            let mut k: Vec<&str> = gs.iter().map(|g| g.info.kind).collect();
            k.sort();
            k.dedup();
            k.len() > 1
        };
        (gs, several)
    } else {
        let gs = resources::parse(&a.args)?;
        let several = resources::several_types(&a.args, &gs);
        (gs, several)
    };
    // The API server's deprecation warning for the v1 Endpoints API (1.33).
    if groups
        .iter()
        .any(|g| g.info == &crate::kinds::endpoints::KIND)
    {
        out.warn(crate::kinds::endpoints::DEPRECATION);
    }
    let single = groups.len() == 1
        && groups[0].names.as_ref().is_some_and(|n| n.len() == 1)
        && !a.args.first().is_some_and(|x| x.contains(','));
    let opts = TableOpts {
        wide: fmt == Format::Wide,
        all_ns: a.all_namespaces,
        prefix: several || a.show_kind,
        no_headers: a.no_headers,
        show_labels: a.show_labels,
        label_columns: a.label_columns.clone(),
    };
    if matches!(
        fmt,
        Format::Table
            | Format::Wide
            | Format::Json
            | Format::Yaml
            | Format::Name
            | Format::CustomColumns(_)
    ) && a.sort_by.is_none()
        && groups.iter().all(|g| g.names.is_none())
    {
        return stream_lists(
            &mut api,
            &groups,
            &ns,
            a.all_namespaces,
            selector.as_ref(),
            fields.as_ref(),
            &fmt,
            &opts,
            out,
        );
    }
    let fetched = fetch(
        &mut api,
        &groups,
        &ns,
        a.all_namespaces,
        selector.as_ref(),
        fields.as_ref(),
    )?;
    let now = api.now();
    let mut groups = fetched.groups;
    if let Some(sb) = &a.sort_by {
        for (_, objs) in groups.iter_mut() {
            sort_by(objs, sb)?;
        }
    }
    let kinds: Vec<&'static KindInfo> = groups.iter().map(|(i, _)| *i).collect();
    if fmt.is_structured() {
        let all: Vec<(&'static KindInfo, Value)> = groups
            .into_iter()
            .flat_map(|(i, objs)| objs.into_iter().map(move |o| (i, o)))
            .collect();
        if !(all.is_empty() && matches!(fmt, Format::Name)) {
            let text = if all.is_empty() && matches!(fmt, Format::CustomColumns(_)) {
                String::new()
            } else {
                match (&fmt, a.no_headers) {
                    (Format::CustomColumns(spec), true) => headerless_columns(spec, &all)?,
                    _ => print_structured(&fmt, &all, single)?,
                }
            };
            out.out.write_all(text.as_bytes())?;
        }
        if all.is_empty()
            && !single
            && fetched.errors.is_empty()
            && matches!(fmt, Format::CustomColumns(_))
        {
            no_resources(out, &kinds, a.all_namespaces, &ns)?;
        }
        exit_soon(all);
    } else {
        let mut printed = false;
        for (info, objs) in &groups {
            if objs.is_empty() {
                continue;
            }
            if printed && !a.no_headers {
                out.out.write_all(b"\n")?;
            }
            out.out
                .write_all(table(info, objs, now, &opts).as_bytes())?;
            printed = true;
        }
        if !printed && fetched.errors.is_empty() {
            no_resources(out, &kinds, a.all_namespaces, &ns)?;
        }
        exit_soon(groups);
    }
    for e in fetched.errors {
        if a.ignore_not_found && e.text.contains("(NotFound)") {
            continue;
        }
        out.error(e);
    }
    Ok(())
}

/// Whole kinds (no names, no `--sort-by`) as tables, `-o json|yaml|name|custom-columns`: each object is
/// printed (or becomes its row) as it is read, so listing 60,000 Events holds their rows, not
/// 60,000 trees of values. The output is the one [`run`]'s fetch-then-print path gives.
#[allow(clippy::too_many_arguments)]
fn stream_lists(
    api: &mut crate::api::Api,
    groups: &[Group],
    ns: &str,
    all_ns: bool,
    selector: Option<&Selector>,
    fields: Option<&FieldSelector>,
    fmt: &Format,
    opts: &TableOpts,
    out: &mut Out,
) -> CliResult {
    // An unsupported field selector fails before anything is printed.
    if let Some(f) = fields {
        for g in groups {
            f.check_supported(g.info.kind)
                .map_err(|e| CliError::raw(format!("Error from server (BadRequest): {e}")))?;
        }
    }
    let now = api.now();
    let list_ns = if all_ns { None } else { Some(ns) };
    let wanted = |o: &Value| {
        selector.is_none_or(|s| s.matches_value(o.pointer("/metadata/labels")))
            && fields.is_none_or(|f| f.matches(o))
    };
    if let Format::CustomColumns(spec) = fmt {
        // One table over every kind, as the whole-list path prints it.
        let cols = crate::print::custom_columns::parse_spec(spec).map_err(CliError::msg)?;
        let mut rows = vec![crate::print::custom_columns::headers(&cols)];
        let header_rows = if opts.no_headers { 1 } else { 0 };
        let mut failed: Option<String> = None;
        for g in groups {
            api.for_each_listed(g.info, list_ns, |o| {
                if failed.is_some() || !wanted(o) {
                    return;
                }
                match crate::print::custom_columns::render_row(&cols, o) {
                    Ok(r) => rows.push(r),
                    Err(e) => failed = Some(e),
                }
            })?;
        }
        if let Some(e) = failed {
            return Err(CliError::msg(e));
        }
        if rows.len() == 1 {
            let kinds: Vec<&KindInfo> = groups.iter().map(|g| g.info).collect();
            return no_resources(out, &kinds, all_ns, ns);
        }
        // --no-headers: no header row, so the columns are as wide as the values alone
        // (kubectl's printer writes no header line to its tabwriter).
        out.out
            .write_all(tabwriter::table(&rows[header_rows..]).as_bytes())?;
        return Ok(());
    }
    if fmt.is_structured() {
        let mut json = crate::print::output::JsonListWriter::default();
        let mut yaml = crate::print::yaml::YamlListWriter::default();
        let mut failed: Option<std::io::Error> = None;
        for g in groups {
            api.for_each_listed(g.info, list_ns, |o| {
                if failed.is_some() || !wanted(o) {
                    return;
                }
                let r = match fmt {
                    Format::Json => json.item(&mut out.out, o),
                    Format::Yaml => yaml.item(&mut out.out, o),
                    _ => writeln!(out.out, "{}", crate::print::output::name_form(g.info, o)),
                };
                failed = r.err();
            })?;
        }
        if let Some(e) = failed {
            return Err(e.into());
        }
        match fmt {
            Format::Json => json.finish(&mut out.out)?,
            Format::Yaml => yaml.finish(&mut out.out)?,
            _ => {}
        }
        return Ok(());
    }
    let mut printed = false;
    for g in groups {
        let mut rows = table_rows(g.info, &[], now, opts, !opts.no_headers);
        let mut n = 0usize;
        api.for_each_listed(g.info, list_ns, |o| {
            if wanted(o) {
                rows.extend(table_rows(
                    g.info,
                    std::slice::from_ref(o),
                    now,
                    opts,
                    false,
                ));
                n += 1;
            }
        })?;
        if n == 0 {
            continue;
        }
        if printed && !opts.no_headers {
            out.out.write_all(b"\n")?;
        }
        out.out.write_all(tabwriter::table(&rows).as_bytes())?;
        printed = true;
    }
    if !printed {
        let kinds: Vec<&KindInfo> = groups.iter().map(|g| g.info).collect();
        no_resources(out, &kinds, all_ns, ns)?;
    }
    Ok(())
}

/// Lets go of what was printed without freeing it: the process exits right after, and
/// freeing 10,000 pods node by node took a sixth of a `get pods`.
fn exit_soon<T>(printed: T) {
    std::mem::forget(printed);
}

/// `No resources found in default namespace.` (stderr) — namespaced form only when every type
/// asked for is namespaced and `-A` is not set.
pub fn no_resources(out: &mut Out, kinds: &[&KindInfo], all_ns: bool, ns: &str) -> CliResult {
    out.out.flush()?;
    if !all_ns && kinds.iter().all(|k| k.namespaced) {
        writeln!(out.err, "No resources found in {ns} namespace.")?;
    } else {
        writeln!(out.err, "No resources found")?;
    }
    Ok(())
}

/// Table decoration options (kubectl's client-side additions to the server's table).
#[derive(Debug, Clone, Default)]
pub struct TableOpts {
    pub wide: bool,
    pub all_ns: bool,
    pub prefix: bool,
    pub no_headers: bool,
    pub show_labels: bool,
    pub label_columns: Vec<String>,
}

/// The rows of one kind's table (no header), decorated.
pub fn table_rows(
    info: &KindInfo,
    objs: &[Value],
    now: jiff::Timestamp,
    o: &TableOpts,
    header: bool,
) -> Vec<Vec<String>> {
    let cols = info.table.columns;
    let mut rows = Vec::new();
    let ns_col = o.all_ns && info.namespaced;
    if header {
        let mut h: Vec<String> = Vec::new();
        if ns_col {
            h.push("NAMESPACE".into());
        }
        for c in cols {
            if !c.wide || o.wide {
                h.push(c.header.to_string());
            }
        }
        for l in &o.label_columns {
            h.push(l.rsplit('/').next().unwrap_or(l).to_uppercase());
        }
        if o.show_labels {
            h.push("LABELS".into());
        }
        rows.push(h);
    }
    for obj in objs {
        let cells = (info.table.row)(obj, now, o.wide);
        let name_col = info.table.name_column;
        let mut r: Vec<String> = Vec::new();
        if ns_col {
            r.push(namespace_of(obj).to_string());
        }
        for (i, c) in cols.iter().enumerate() {
            if !c.wide || o.wide {
                let mut cell =
                    tabwriter::sanitize_cell(cells.get(i).map(String::as_str).unwrap_or(""));
                if i == name_col && o.prefix {
                    cell = format!("{}/{cell}", info.name_form());
                }
                r.push(cell);
            }
        }
        let labels = obj.pointer("/metadata/labels");
        for l in &o.label_columns {
            r.push(
                labels
                    .and_then(|m| m.get(l))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            );
        }
        if o.show_labels {
            r.push(cells::format_labels(labels));
        }
        rows.push(r);
    }
    rows
}

/// One kind's table, laid out as kubectl does.
pub fn table(info: &KindInfo, objs: &[Value], now: jiff::Timestamp, o: &TableOpts) -> String {
    tabwriter::table(&table_rows(info, objs, now, o, !o.no_headers))
}

fn sort_by(objs: &mut [Value], spec: &str) -> Result<(), CliError> {
    let t = if spec.starts_with('{') {
        spec.to_string()
    } else {
        format!("{{{spec}}}")
    };
    let jp = jsonpath::JsonPath::parse(&t).map_err(CliError::msg)?;
    let mut keyed: Vec<(Value, Value)> = objs
        .iter()
        .map(|o| {
            let s = jp.execute(o).unwrap_or_default();
            let key = match s.parse::<f64>() {
                Ok(f) => serde_json::json!(f),
                Err(_) => Value::String(s),
            };
            (key, o.clone())
        })
        .collect();
    keyed.sort_by(|(a, _), (b, _)| match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(std::cmp::Ordering::Equal),
        (Value::Number(_), _) => std::cmp::Ordering::Less,
        (_, Value::Number(_)) => std::cmp::Ordering::Greater,
        (x, y) => x.as_str().cmp(&y.as_str()),
    });
    for (slot, (_, o)) in objs.iter_mut().zip(keyed) {
        *slot = o;
    }
    Ok(())
}

/// `get -w`: prints the list, then one row per change while the cluster moves, driving the
/// engine tick by tick; it stops when the cluster has settled (so scripts end).
fn watch(
    ctx: &Ctx,
    a: &GetArgs,
    fmt: &Format,
    selector: Option<&Selector>,
    fields: Option<&FieldSelector>,
    out: &mut Out,
) -> CliResult {
    let groups = resources::parse(&a.args)?;
    if groups.len() != 1 {
        return Err(CliError::msg(format!(
            "watch is only supported on individual resources and resource collections, but {} resources were found",
            groups.len()
        )));
    }
    let g = groups[0].clone();
    let ns = ctx.namespace()?;
    let mut api = ctx.open_write()?;
    api.keep_changes = true;
    let opts = TableOpts {
        wide: *fmt == Format::Wide,
        all_ns: a.all_namespaces,
        prefix: a.show_kind,
        no_headers: a.no_headers,
        show_labels: a.show_labels,
        label_columns: a.label_columns.clone(),
    };
    let matches = |o: &Value| {
        (a.all_namespaces || !g.info.namespaced || namespace_of(o) == ns)
            && g.names
                .as_ref()
                .is_none_or(|n| n.iter().any(|x| x == name_of(o)))
            && selector.is_none_or(|s| s.matches_value(o.pointer("/metadata/labels")))
            && fields.is_none_or(|f| f.matches(o))
    };
    let mut w = tabwriter::Writer::new(tabwriter::KUBECTL_GET);
    let mut header = !a.no_headers;
    // With --output-watch-events every object is printed as the watch event that carried it
    // (cli-runtime's printers: an EVENT column, or `{"type":...,"object":...}`).
    let events = a.output_watch_events;
    let mut emit = |objs: &[(&str, Value)],
                    now: jiff::Timestamp,
                    out: &mut Out,
                    header: &mut bool|
     -> CliResult {
        if objs.is_empty() {
            return Ok(());
        }
        if fmt.is_structured() {
            for (ty, o) in objs {
                let text = match fmt {
                    Format::Json if events => {
                        // json.Marshal of a WatchEvent: one compact line, `type` first.
                        format!(
                            "{{\"type\":\"{ty}\",\"object\":{}}}\n",
                            crate::print::output::json_compact(o)
                        )
                    }
                    Format::Yaml if events => {
                        if out.yaml_docs > 0 {
                            out.out.write_all(b"---\n")?;
                        }
                        out.yaml_docs += 1;
                        crate::print::yaml::to_yaml(&serde_json::json!({"type": ty, "object": o}))
                    }
                    Format::JsonPath(..) if events => print_structured(
                        fmt,
                        &[(g.info, serde_json::json!({"type": ty, "object": o}))],
                        true,
                    )?,
                    _ => print_structured(fmt, &[(g.info, o.clone())], true)?,
                };
                out.out.write_all(text.as_bytes())?;
            }
        } else {
            let plain: Vec<Value> = objs.iter().map(|(_, o)| o.clone()).collect();
            let mut rows = table_rows(g.info, &plain, now, &opts, *header);
            if events {
                let skip = usize::from(*header);
                if *header && let Some(h) = rows.first_mut() {
                    h.insert(0, "EVENT".into());
                }
                for (r, (ty, _)) in rows.iter_mut().skip(skip).zip(objs) {
                    r.insert(0, format!("{ty:<8}"));
                }
            }
            *header = false;
            for r in rows {
                w.write(&(r.join("\t") + "\n"));
            }
            w.flush();
            out.out.write_all(w.take_output().as_bytes())?;
        }
        out.out.flush()?;
        Ok(())
    };
    if !a.watch_only {
        let list_ns = if a.all_namespaces {
            None
        } else {
            Some(ns.as_str())
        };
        let initial: Vec<(&str, Value)> = api
            .list(g.info, list_ns)?
            .into_iter()
            .filter(|o| matches(o))
            .map(|o| ("ADDED", o))
            .collect();
        if initial.is_empty() {
            let kinds = [g.info];
            no_resources(out, &kinds, a.all_namespaces, &ns)?;
        }
        emit(&initial, api.now(), out, &mut header)?;
    }
    let limit = api.now() + jiff::SignedDuration::from_hours(1);
    loop {
        let seen = api.changes.len();
        let moved = crate::engine::run_next(&mut api, &crate::cli::cluster::PLANE, limit, true)?;
        let changed: Vec<(&str, Value)> = api.changes[seen..]
            .iter()
            .filter(|c| c.info == g.info && matches(&c.object))
            .map(|c| {
                let ty = match c.op {
                    crate::api::Op::Added => "ADDED",
                    crate::api::Op::Modified => "MODIFIED",
                    crate::api::Op::Deleted => "DELETED",
                };
                (ty, (*c.object).clone())
            })
            .collect();
        emit(&changed, api.now(), out, &mut header)?;
        if !moved {
            break;
        }
    }
    api.commit()?;
    Ok(())
}

/// `-o custom-columns=... --no-headers`: the rows alone, the columns as wide as the values.
fn headerless_columns(spec: &str, objs: &[(&KindInfo, Value)]) -> Result<String, CliError> {
    let cols = crate::print::custom_columns::parse_spec(spec).map_err(CliError::msg)?;
    let mut rows = Vec::new();
    for (_, o) in objs {
        rows.push(crate::print::custom_columns::render_row(&cols, o).map_err(CliError::msg)?);
    }
    Ok(tabwriter::table(&rows))
}
