//! `kubesim events`: kubectl's `events` command (kubectl/pkg/cmd/events): the Events of a
//! namespace (or all), optionally only those about one object (`--for pod/web-1`) or of some
//! types (`--types=Warning`), oldest first, as `LAST SEEN  TYPE  REASON  OBJECT  MESSAGE` with
//! `Kind/name` objects.

use super::flags;
use super::{CliError, CliResult, Ctx, Out};
use crate::api::kinds;
use crate::print::age::{age, parse_timestamp};
use crate::print::output::{Format, print_structured};
use clap::Args;
use serde_json::{Value, json};
use std::io::Write;

#[derive(Args, Debug, Clone)]
pub struct EventsArgs {
    /// Filter events to only those pertaining to the specified resource.
    #[arg(long = "for", value_name = "TYPE/NAME")]
    pub for_: Option<String>,
    /// Output only events of given types.
    #[arg(long, value_delimiter = ',')]
    pub types: Vec<String>,
    /// If present, list the requested object(s) across all namespaces.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// When using the default output format, don't print headers.
    #[arg(long)]
    pub no_headers: bool,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    /// After listing the requested events, watch for more events (until the cluster settles).
    #[arg(short = 'w', long)]
    pub watch: bool,
    /// Return large lists in chunks rather than all at once (kubesim reads its state whole; accepted)
    #[arg(long, default_value_t = 500, value_name = "N")]
    pub chunk_size: i64,
}

/// One row of kubectl's EventPrinter.
fn row(e: &Value, now: jiff::Timestamp, all_namespaces: bool) -> Vec<String> {
    let s = |p: &str| {
        e.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let mut r = vec![];
    if all_namespaces {
        r.push(crate::api::namespace_of(e).to_string());
    }
    r.push(interval(e, now));
    r.push(s("/type"));
    r.push(s("/reason"));
    r.push(format!(
        "{}/{}",
        s("/involvedObject/kind"),
        s("/involvedObject/name")
    ));
    r.push(s("/message").trim().to_string());
    r
}

fn headings(all_namespaces: bool) -> Vec<String> {
    let mut h = vec![];
    if all_namespaces {
        h.push("NAMESPACE".to_string());
    }
    h.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"].map(String::from));
    h
}

/// `eventTime` in kubectl's sort: the series' last observation, else `lastTimestamp`, else
/// `eventTime`.
fn event_time(e: &Value) -> Option<jiff::Timestamp> {
    let s = |p: &str| e.pointer(p).and_then(Value::as_str);
    parse_timestamp(s("/series/lastObservedTime"))
        .or_else(|| parse_timestamp(s("/lastTimestamp")))
        .or_else(|| parse_timestamp(s("/eventTime")))
}

/// `getInterval`: `5s`, or `5s (x3 over 2m)` for a repeated event.
fn interval(e: &Value, now: jiff::Timestamp) -> String {
    let s = |p: &str| e.pointer(p).and_then(Value::as_str);
    let first = if parse_timestamp(s("/eventTime")).is_some() {
        age(s("/eventTime"), now)
    } else {
        age(s("/firstTimestamp"), now)
    };
    if let Some(series) = e.get("series") {
        let count = series.get("count").and_then(Value::as_i64).unwrap_or(0);
        return format!(
            "{} (x{count} over {first})",
            age(s("/series/lastObservedTime"), now)
        );
    }
    let count = e.get("count").and_then(Value::as_i64).unwrap_or(0);
    if count > 1 {
        format!("{} (x{count} over {first})", age(s("/lastTimestamp"), now))
    } else {
        first
    }
}

/// `-o` for events: a structured format or none (a table); tables of other shapes are refused
/// with kubectl's list of the formats it allows here.
fn events_format(o: Option<&str>) -> Result<Option<Format>, CliError> {
    Ok(match o {
        None | Some("") => None,
        Some(o) => match Format::parse(Some(o))? {
            Format::Table | Format::Wide | Format::CustomColumns(_) => {
                let name = o.split('=').next().unwrap_or(o);
                return Err(CliError::msg(format!(
                    "unable to match a printer suitable for the output format \"{name}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
                )));
            }
            f => Some(f),
        },
    })
}

/// `--for TYPE/NAME`: the involved object's kind, apiVersion and name.
fn involved(for_: Option<&str>) -> Result<Option<(&'static str, String, String)>, CliError> {
    Ok(match for_ {
        None => None,
        Some(f) => {
            let Some((t, name)) = f.split_once('/') else {
                return Err(CliError::msg("--for must be in resource/name form"));
            };
            if name.contains('/') {
                return Err(CliError::msg(
                    "arguments in resource/name form may not have more than one slash",
                ));
            }
            let info = kinds::resolve(&t.to_lowercase()).ok_or_else(|| {
                CliError::msg(format!("the server doesn't have a resource type \"{t}\""))
            })?;
            let api_version = if info.group.is_empty() {
                info.version.to_string()
            } else {
                format!("{}/{}", info.group, info.version)
            };
            Some((info.kind, api_version, name.to_string()))
        }
    })
}

pub fn run(ctx: &Ctx, a: EventsArgs, out: &mut Out) -> CliResult {
    for t in &a.types {
        if !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning") {
            return Err(CliError::msg("valid --types are Normal or Warning"));
        }
    }
    let fmt = events_format(a.output.as_deref())?;
    let want = involved(a.for_.as_deref())?;
    let mut api = if a.watch {
        ctx.open_write()?
    } else {
        ctx.open_read()?
    };
    let now = api.now();
    let ns = ctx.namespace()?;
    let list_ns = if a.all_namespaces {
        None
    } else {
        Some(ns.as_str())
    };
    let info = &crate::kinds::event::KIND;
    let wanted = |e: &Value| {
        let s = |p: &str| e.pointer(p).and_then(Value::as_str).unwrap_or("");
        if let Some((kind, api_version, name)) = &want
            && (s("/involvedObject/kind") != *kind
                || s("/involvedObject/apiVersion") != api_version
                || s("/involvedObject/name") != name)
        {
            return false;
        }
        a.types.is_empty() || a.types.iter().any(|t| t.eq_ignore_ascii_case(s("/type")))
    };
    let mut events: Vec<Value> = Vec::new();
    api.for_each_listed(info, list_ns, |e| {
        if wanted(e) {
            events.push(e.clone());
        }
    })?;
    if a.watch {
        // kubectl's runWatch: a watch from no resourceVersion, so the Events there now come
        // first (as the server lists them, by name), then each new or updated one, a row at
        // a time, while the controllers run; it ends when the cluster has settled.
        api.keep_changes = true;
        let mut headers = !a.no_headers;
        let mut print = |e: &Value, now: jiff::Timestamp, out: &mut Out| -> CliResult {
            match &fmt {
                Some(f) => {
                    let text = print_structured(f, &[(info, e.clone())], true)?;
                    out.out.write_all(text.as_bytes())?;
                }
                None => {
                    let mut rows = Vec::new();
                    if std::mem::take(&mut headers) {
                        rows.push(headings(a.all_namespaces));
                    }
                    rows.push(row(e, now, a.all_namespaces));
                    out.out
                        .write_all(crate::print::tabwriter::table(&rows).as_bytes())?;
                }
            }
            out.out.flush()?;
            Ok(())
        };
        for e in &events {
            print(e, now, out)?;
        }
        let limit = now + jiff::SignedDuration::from_hours(1);
        loop {
            let seen = api.changes.len();
            let moved =
                crate::engine::run_next(&mut api, &crate::cli::cluster::PLANE, limit, true)?;
            let fresh: Vec<Value> = api.changes[seen..]
                .iter()
                .filter(|c| c.info == info && c.op != crate::api::Op::Deleted)
                .filter(|c| a.all_namespaces || crate::api::namespace_of(&c.object) == ns)
                .filter(|c| wanted(&c.object))
                .map(|c| (*c.object).clone())
                .collect();
            for e in &fresh {
                print(e, api.now(), out)?;
            }
            if !moved {
                break;
            }
        }
        api.commit()?;
        return Ok(());
    }
    if events.is_empty() {
        let _ = out.out.flush();
        if a.all_namespaces {
            let _ = writeln!(out.err, "No events found.");
        } else {
            let _ = writeln!(out.err, "No events found in {ns} namespace.");
        }
        return Ok(());
    }
    // Oldest first; the list order (by name) breaks ties.
    events.sort_by_key(event_time);
    if let Some(fmt) = fmt {
        let list =
            json!({"apiVersion": "v1", "items": events, "kind": "EventList", "metadata": {}});
        let text = match fmt {
            Format::Name => events
                .iter()
                .map(|e| format!("event/{}\n", crate::api::name_of(e)))
                .collect(),
            Format::Yaml => crate::print::yaml::to_yaml(&list),
            Format::Json => crate::print::output::json_text(&list),
            f => print_structured(&f, &[(info, list)], true)?,
        };
        out.out.write_all(text.as_bytes())?;
        return Ok(());
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !a.no_headers {
        rows.push(headings(a.all_namespaces));
    }
    for e in &events {
        rows.push(row(e, now, a.all_namespaces));
    }
    out.out
        .write_all(crate::print::tabwriter::table(&rows).as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_as_kubectl_events_prints_them() {
        let now: jiff::Timestamp = "2026-01-01T00:10:00Z".parse().unwrap();
        let once = json!({"count": 1, "firstTimestamp": "2026-01-01T00:09:30Z", "lastTimestamp": "2026-01-01T00:09:30Z"});
        assert_eq!(interval(&once, now), "30s");
        let again = json!({"count": 3, "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:09:00Z"});
        assert_eq!(interval(&again, now), "60s (x3 over 10m)");
        let series = json!({"eventTime": "2026-01-01T00:05:00.000000Z",
                            "series": {"count": 2, "lastObservedTime": "2026-01-01T00:09:58.000000Z"}});
        assert_eq!(interval(&series, now), "2s (x2 over 5m)");
        assert_eq!(interval(&json!({}), now), "<unknown>");
    }
}
