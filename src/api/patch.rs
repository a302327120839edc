//! The three patch types of `kubectl patch` as the API server applies them:
//! JSON merge patch (RFC 7386, `--type merge`), JSON patch (RFC 6902, `--type json`, with
//! evanphx/json-patch's messages) and strategic merge patch (`--type strategic`, the
//! default; k8s.io/apimachinery/pkg/util/strategicpatch) with the merge keys of the built-in
//! types and the `$patch`, `$deleteFromPrimitiveList`, `$setElementOrder` and `$retainKeys`
//! directives.

use serde_json::{Map, Value};

/// RFC 7386: objects merge, `null` removes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let t = target.as_object_mut().expect("object");
    for (k, v) in p {
        if v.is_null() {
            t.remove(k);
        } else {
            merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

/// A JSON patch failure: `decode` errors (not a list of operations) are the server's
/// BadRequest, the others its "request is invalid".
#[derive(Debug, PartialEq, Eq)]
pub struct JsonPatchError {
    pub decode: bool,
    pub message: String,
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn tokens(path: &str) -> Option<Vec<String>> {
    if path.is_empty() {
        return Some(vec![]);
    }
    let rest = path.strip_prefix('/')?;
    Some(rest.split('/').map(unescape).collect())
}

/// The container holding the last token of `path` (and that token).
fn parent_mut<'a>(doc: &'a mut Value, toks: &[String]) -> Option<&'a mut Value> {
    let mut cur = doc;
    for t in &toks[..toks.len().saturating_sub(1)] {
        cur = match cur {
            Value::Object(m) => m.get_mut(t)?,
            Value::Array(a) => a.get_mut(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn get<'a>(doc: &'a Value, toks: &[String]) -> Option<&'a Value> {
    let mut cur = doc;
    for t in toks {
        cur = match cur {
            Value::Object(m) => m.get(t)?,
            Value::Array(a) => a.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let toks = tokens(path).ok_or_else(|| {
        format!("add operation does not apply: doc is missing path: \"{path}\": missing value")
    })?;
    if toks.is_empty() {
        *doc = value;
        return Ok(());
    }
    let last = toks.last().expect("non-empty").clone();
    let missing =
        || format!("add operation does not apply: doc is missing path: \"{path}\": missing value");
    match parent_mut(doc, &toks).ok_or_else(missing)? {
        Value::Object(m) => {
            m.insert(last, value);
            Ok(())
        }
        Value::Array(a) => {
            let i = if last == "-" {
                a.len()
            } else {
                last.parse::<usize>()
                    .ok()
                    .filter(|i| *i <= a.len())
                    .ok_or_else(|| {
                        format!("Unable to access invalid index: {last}: invalid index referenced")
                    })?
            };
            a.insert(i, value);
            Ok(())
        }
        _ => Err(missing()),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let err = |t: &str| {
        format!(
            "error in remove for path: '{path}': Unable to remove nonexistent key: {t}: missing value"
        )
    };
    let toks = tokens(path).ok_or_else(|| err(path))?;
    let Some(last) = toks.last().cloned() else {
        return Err(err(path));
    };
    match parent_mut(doc, &toks).ok_or_else(|| err(&last))? {
        Value::Object(m) => m.remove(&last).ok_or_else(|| err(&last)),
        Value::Array(a) => {
            let i = last
                .parse::<usize>()
                .ok()
                .filter(|i| *i < a.len())
                .ok_or_else(|| format!("error in remove for path: '{path}': Unable to access invalid index: {last}: invalid index referenced"))?;
            Ok(a.remove(i))
        }
        _ => Err(err(&last)),
    }
}

/// RFC 6902, as evanphx/json-patch v4 applies it (its `replace` of a missing key adds it).
pub fn json_patch(doc: &mut Value, patch: &Value) -> Result<(), JsonPatchError> {
    let decode = |m: String| JsonPatchError {
        decode: true,
        message: m,
    };
    let fail = |m: String| JsonPatchError {
        decode: false,
        message: m,
    };
    let Value::Array(ops) = patch else {
        let what = match patch {
            Value::Object(_) => "object",
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Bool(_) => "bool",
            _ => "null",
        };
        return Err(decode(format!(
            "json: cannot unmarshal {what} into Go value of type jsonpatch.Patch"
        )));
    };
    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        let value = || op.get("value").cloned().unwrap_or(Value::Null);
        match kind {
            "add" => add(doc, path, value()).map_err(fail)?,
            "remove" => {
                remove(doc, path).map_err(fail)?;
            }
            "replace" => {
                let toks = tokens(path).unwrap_or_default();
                if get(doc, &toks).is_some() {
                    remove(doc, path).map_err(fail)?;
                }
                add(doc, path, value())
                    .map_err(|e| fail(e.replace("add operation", "replace operation")))?;
            }
            "move" | "copy" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or("");
                let v = if kind == "move" {
                    remove(doc, from).map_err(|_| {
                        // evanphx/json-patch names the source's last token twice.
                        let key = from.rsplit('/').next().unwrap_or(from);
                        fail(format!("error in move for path: '{key}': Unable to remove nonexistent key: {key}: missing value"))
                    })?
                } else {
                    get(doc, &tokens(from).unwrap_or_default())
                        .cloned()
                        .ok_or_else(|| fail(format!("copy operation does not apply: doc is missing from path: \"{from}\": missing value")))?
                };
                add(doc, path, v).map_err(fail)?;
            }
            "test" => {
                let toks = tokens(path).unwrap_or_default();
                if get(doc, &toks) != Some(&value()) {
                    return Err(fail(format!("testing value {path} failed: test failed")));
                }
            }
            other => return Err(fail(format!("Unexpected kind: {other}"))),
        }
    }
    Ok(())
}

/// The merge key of a list field in the built-in types (`patchMergeKey`), or `""` for a list
/// of primitives merged as a set (`finalizers`); `None`: the list is replaced whole.
fn merge_key(kind: &str, path: &[&str], field: &str) -> Option<&'static str> {
    let in_container = path
        .last()
        .is_some_and(|p| matches!(*p, "containers" | "initContainers" | "ephemeralContainers"));
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims"
        | "schedulingGates"
        | "env" => "name",
        "ports" if in_container => "containerPort",
        "ports" if kind == "Service" => "port",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        "conditions" | "addresses" => "type",
        "ownerReferences" => "uid",
        "finalizers" => "",
        _ => return None,
    })
}

/// A strategic merge patch failure, in the API server's words.
#[derive(Debug, PartialEq, Eq)]
pub struct StrategicError(pub String);

/// Applies a strategic merge patch to `obj` (of `kind`).
pub fn strategic_merge_patch(
    kind: &str,
    obj: &mut Value,
    patch: &Value,
) -> Result<(), StrategicError> {
    merge_map(kind, &mut Vec::new(), obj, patch)
}

fn go_map(m: &Map<String, Value>) -> String {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    let inner: Vec<String> = keys
        .iter()
        .map(|k| {
            let v = &m[k.as_str()];
            let s = match v {
                Value::String(s) => s.clone(),
                Value::Object(o) => go_map(o),
                other => other.to_string(),
            };
            format!("{k}:{s}")
        })
        .collect();
    format!("map[{}]", inner.join(" "))
}

fn merge_map<'a>(
    kind: &str,
    path: &mut Vec<&'a str>,
    target: &mut Value,
    patch: &'a Value,
) -> Result<(), StrategicError> {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return Ok(());
    };
    match p.get("$patch").and_then(Value::as_str) {
        Some("replace") => {
            let mut m = p.clone();
            m.remove("$patch");
            *target = Value::Object(m);
            return Ok(());
        }
        Some("delete") => {
            *target = Value::Object(Map::new());
            return Ok(());
        }
        _ => {}
    }
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    for (k, v) in p {
        if k == "$patch" || k == "$retainKeys" || k.starts_with("$setElementOrder/") {
            continue;
        }
        let t = target.as_object_mut().expect("object");
        if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(list)), Value::Array(del)) = (t.get_mut(field), v) {
                list.retain(|x| !del.contains(x));
            }
            continue;
        }
        if v.is_null() {
            t.remove(k);
            continue;
        }
        let order = p
            .get(&format!("$setElementOrder/{k}"))
            .and_then(Value::as_array);
        match (v, merge_key(kind, path, k)) {
            (Value::Array(items), Some(key)) => {
                let cur = t.entry(k.clone()).or_insert(Value::Array(vec![]));
                if !cur.is_array() {
                    *cur = Value::Array(vec![]);
                }
                path.push(k.as_str());
                let r = merge_list(kind, path, cur, items, key, order);
                path.pop();
                r?;
            }
            (Value::Object(_), _) => {
                let cur = t.entry(k.clone()).or_insert(Value::Null);
                path.push(k.as_str());
                let r = merge_map(kind, path, cur, v);
                path.pop();
                r?;
            }
            _ => {
                t.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(())
}

fn key_of<'a>(item: &'a Value, key: &str) -> Option<&'a Value> {
    if key.is_empty() {
        Some(item)
    } else {
        item.get(key)
    }
}

/// Merges a list with a merge key (`""`: primitives as a set), in the order
/// `normalizeElementOrder` gives: the patch's items (in `$setElementOrder`'s order if given)
/// interleaved with the server-only items by their places in the live list.
fn merge_list<'a>(
    kind: &str,
    path: &mut Vec<&'a str>,
    target: &mut Value,
    patch: &'a [Value],
    key: &str,
    order: Option<&Vec<Value>>,
) -> Result<(), StrategicError> {
    let server: Vec<Value> = target.as_array().cloned().unwrap_or_default();
    // `$patch: replace` anywhere: the list becomes the other items.
    if patch
        .iter()
        .any(|i| i.get("$patch").and_then(Value::as_str) == Some("replace"))
    {
        *target = Value::Array(
            patch
                .iter()
                .filter(|i| i.get("$patch").is_none())
                .cloned()
                .collect(),
        );
        return Ok(());
    }
    let mut deleted: Vec<Value> = Vec::new();
    let mut merged: Vec<Value> = Vec::new();
    for item in patch {
        let Some(k) = key_of(item, key) else {
            let m = item.as_object().cloned().unwrap_or_default();
            return Err(StrategicError(format!(
                "map: {} does not contain declared merge key: {key}",
                go_map(&m)
            )));
        };
        if item.get("$patch").and_then(Value::as_str) == Some("delete") {
            deleted.push(k.clone());
            continue;
        }
        if merged.iter().any(|m| key_of(m, key) == Some(k)) {
            continue;
        }
        let mut base = server
            .iter()
            .find(|s| key_of(s, key) == Some(k))
            .cloned()
            .unwrap_or(Value::Null);
        if key.is_empty() {
            base = item.clone();
        } else {
            merge_map(kind, path, &mut base, item)?;
        }
        merged.push(base);
    }
    // `$setElementOrder`: items it names that the patch left alone come along on the patch side.
    if let Some(order) = order {
        let mut ordered = Vec::new();
        for o in order {
            let Some(k) = key_of(o, key) else { continue };
            if let Some(m) = merged.iter().find(|m| key_of(m, key) == Some(k)) {
                ordered.push(m.clone());
            } else if let Some(s) = server.iter().find(|s| key_of(s, key) == Some(k)) {
                ordered.push(s.clone());
            }
        }
        for m in merged {
            if !ordered.iter().any(|o| key_of(o, key) == key_of(&m, key)) {
                ordered.push(m);
            }
        }
        merged = ordered;
    }
    let server_only: Vec<Value> = server
        .iter()
        .filter(|s| {
            let k = key_of(s, key);
            !merged.iter().any(|m| key_of(m, key) == k) && !deleted.iter().any(|d| Some(d) == k)
        })
        .cloned()
        .collect();
    let index = |v: &Value| {
        let k = key_of(v, key);
        server.iter().position(|s| key_of(s, key) == k)
    };
    // mergeSortedSlice(left = server-only, right = patch side, by the live order).
    let mut out = Vec::with_capacity(server_only.len() + merged.len());
    let (mut i, mut j) = (0, 0);
    while i < server_only.len() || j < merged.len() {
        if i >= server_only.len() {
            out.push(merged[j].clone());
            j += 1;
        } else if j >= merged.len() {
            out.push(server_only[i].clone());
            i += 1;
        } else {
            match (index(&server_only[i]), index(&merged[j])) {
                (Some(l), Some(r)) if l < r => {
                    out.push(server_only[i].clone());
                    i += 1;
                }
                _ => {
                    out.push(merged[j].clone());
                    j += 1;
                }
            }
        }
    }
    *target = Value::Array(out);
    Ok(())
}

/// Whether a field's patch strategy has `retainKeys` (DeploymentSpec.strategy; the
/// items of PodSpec.volumes).
fn retains_keys(kind: &str, path: &[&str], field: &str) -> bool {
    (kind == "Deployment" && path == ["spec"] && field == "strategy") || field == "volumes"
}

/// apimachinery's `CreateTwoWayMergePatch` (`SetElementOrder` on): the strategic merge
/// patch that turns `original` into `modified` — changed and added fields, `null` for removed
/// ones, lists with a merge key diffed item by item (`$patch: delete` for removed items,
/// `$setElementOrder/<list>` when anything in the list changed), primitive merge lists as
/// additions plus `$deleteFromPrimitiveList/<list>`, other lists replaced whole.
pub fn two_way_merge_patch(kind: &str, original: &Value, modified: &Value) -> Value {
    match (original, modified) {
        (Value::Object(o), Value::Object(m)) => {
            Value::Object(diff_maps(kind, &mut Vec::new(), o, m, false))
        }
        _ => modified.clone(),
    }
}

fn diff_maps<'a>(
    kind: &str,
    path: &mut Vec<&'a str>,
    original: &'a Map<String, Value>,
    modified: &'a Map<String, Value>,
    retain_keys: bool,
) -> Map<String, Value> {
    let mut patch = Map::new();
    for k in original.keys() {
        if !modified.contains_key(k) {
            patch.insert(k.clone(), Value::Null);
        }
    }
    for (k, mv) in modified {
        let Some(ov) = original.get(k) else {
            patch.insert(k.clone(), mv.clone());
            continue;
        };
        match (ov, mv) {
            (Value::Object(o), Value::Object(m)) => {
                let retain = retains_keys(kind, path, k) && k != "volumes";
                path.push(k.as_str());
                let sub = diff_maps(kind, path, o, m, retain);
                path.pop();
                if !sub.is_empty() {
                    patch.insert(k.clone(), Value::Object(sub));
                }
            }
            (Value::Array(o), Value::Array(m)) => match merge_key(kind, path, k) {
                Some(key) => {
                    let retain = retains_keys(kind, path, k);
                    path.push(k.as_str());
                    let (add, delete, order) = diff_lists(kind, path, o, m, key, retain);
                    path.pop();
                    if !add.is_empty() {
                        patch.insert(k.clone(), Value::Array(add));
                    }
                    if !delete.is_empty() {
                        patch.insert(
                            format!("$deleteFromPrimitiveList/{k}"),
                            Value::Array(delete),
                        );
                    }
                    if !order.is_empty() {
                        patch.insert(format!("$setElementOrder/{k}"), Value::Array(order));
                    }
                }
                None if ov != mv => {
                    patch.insert(k.clone(), mv.clone());
                }
                None => {}
            },
            _ if ov != mv => {
                patch.insert(k.clone(), mv.clone());
            }
            _ => {}
        }
    }
    if retain_keys && !patch.is_empty() {
        let mut keys: Vec<&String> = modified.keys().collect();
        keys.sort();
        patch.insert(
            "$retainKeys".into(),
            Value::Array(keys.into_iter().map(|k| Value::from(k.as_str())).collect()),
        );
    }
    patch
}

/// Go's `fmt.Sprintf("%v")` order key of a list item, as `sortMergeListsByName` and
/// `sortScalars` sort (by the merge key's value, or the scalar itself).
fn sort_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `diffLists`: (the patch list, the primitive deletions, the `$setElementOrder` list).
fn diff_lists<'a>(
    kind: &str,
    path: &mut Vec<&'a str>,
    original: &'a [Value],
    modified: &'a [Value],
    key: &str,
    retain_keys: bool,
) -> (Vec<Value>, Vec<Value>, Vec<Value>) {
    let of_maps = original.iter().chain(modified).any(Value::is_object) && !key.is_empty();
    if !of_maps {
        // diffListsOfScalars: additions in the modified order, deletions sorted.
        let add: Vec<Value> = modified
            .iter()
            .filter(|m| !original.contains(m))
            .cloned()
            .collect();
        let mut delete: Vec<Value> = original
            .iter()
            .filter(|o| !modified.contains(o))
            .cloned()
            .collect();
        delete.sort_by_key(sort_key);
        let order = if !delete.is_empty() || original != modified {
            modified.to_vec()
        } else {
            Vec::new()
        };
        return (add, delete, order);
    }
    let k_of = |v: &'a Value| v.get(key);
    let mut patch_list: Vec<Value> = Vec::new();
    for m in modified {
        let Some(mk) = k_of(m) else { continue };
        match original.iter().find(|o| k_of(o) == Some(mk)) {
            Some(o) => {
                let (Some(om), Some(mm)) = (o.as_object(), m.as_object()) else {
                    continue;
                };
                let mut sub = diff_maps(kind, path, om, mm, retain_keys);
                if !sub.is_empty() {
                    sub.insert(key.to_string(), mk.clone());
                    patch_list.push(Value::Object(sub));
                }
            }
            None => patch_list.push(m.clone()),
        }
    }
    let mut deletions: Vec<&Value> = original
        .iter()
        .filter(|o| k_of(o).is_some_and(|ok| !modified.iter().any(|m| k_of(m) == Some(ok))))
        .collect();
    deletions.sort_by_key(|o| k_of(o).map(sort_key));
    for d in deletions {
        let mut m = Map::new();
        m.insert(key.to_string(), d.get(key).cloned().unwrap_or(Value::Null));
        m.insert("$patch".into(), Value::from("delete"));
        patch_list.push(Value::Object(m));
    }
    let order_same = {
        let ok: Vec<_> = original.iter().filter_map(&k_of).collect();
        let mk: Vec<_> = modified.iter().filter_map(k_of).collect();
        ok == mk
    };
    let order = if !patch_list.is_empty() || !order_same {
        modified
            .iter()
            .map(|m| {
                let mut o = Map::new();
                o.insert(key.to_string(), m.get(key).cloned().unwrap_or(Value::Null));
                Value::Object(o)
            })
            .collect()
    } else {
        Vec::new()
    };
    (patch_list, Vec::new(), order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn two() -> Value {
        json!({"kind": "Deployment", "spec": {"template": {"spec": {
        "tolerations": [{"key": "a", "operator": "Exists"}],
        "containers": [
            {"name": "a", "image": "a:1", "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}],
             "ports": [{"containerPort": 80}, {"containerPort": 81}]},
            {"name": "b", "image": "b:1"}
        ]}}}})
    }

    fn containers(v: &Value) -> Vec<String> {
        v["spec"]["template"]["spec"]["containers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "{}={}",
                    c["name"].as_str().unwrap(),
                    c["image"].as_str().unwrap_or("")
                )
            })
            .collect()
    }

    fn smp(patch: Value) -> Result<Value, StrategicError> {
        let mut d = two();
        strategic_merge_patch("Deployment", &mut d, &patch)?;
        Ok(d)
    }

    fn cs(list: Value) -> Value {
        json!({"spec": {"template": {"spec": {"containers": list}}}})
    }

    // Expected results below are what kubectl 1.33 `patch --local` prints for the same input.
    #[test]
    fn lists_with_merge_keys_merge_in_kubectl_order() {
        let d = smp(cs(
            json!([{"name": "b", "image": "b:2"}, {"name": "c", "image": "c:1"}]),
        ))
        .unwrap();
        assert_eq!(containers(&d), ["a=a:1", "b=b:2", "c=c:1"]);
        let d = smp(cs(
            json!([{"name": "c", "image": "c:1"}, {"name": "a", "image": "a:2"}]),
        ))
        .unwrap();
        assert_eq!(containers(&d), ["c=c:1", "a=a:2", "b=b:1"]);
        let d = smp(cs(json!([{"name": "a", "env": [{"name": "Z", "value": "3"}, {"name": "X", "value": "9"}]}]))).unwrap();
        let env = &d["spec"]["template"]["spec"]["containers"][0]["env"];
        assert_eq!(
            env,
            &json!([{"name": "Z", "value": "3"}, {"name": "X", "value": "9"}, {"name": "Y", "value": "2"}])
        );
        let d = smp(cs(json!([{"name": "a", "ports": [{"containerPort": 82}]}]))).unwrap();
        let ports = &d["spec"]["template"]["spec"]["containers"][0]["ports"];
        assert_eq!(
            ports,
            &json!([{"containerPort": 82}, {"containerPort": 80}, {"containerPort": 81}])
        );
        // No merge key: replaced whole.
        let d = smp(json!({"spec": {"template": {"spec": {"tolerations": [{"key": "b", "operator": "Exists"}]}}}})).unwrap();
        assert_eq!(
            d["spec"]["template"]["spec"]["tolerations"],
            json!([{"key": "b", "operator": "Exists"}])
        );
    }

    #[test]
    fn directives_and_nulls() {
        let d = smp(cs(json!([{"name": "a", "$patch": "delete"}]))).unwrap();
        assert_eq!(containers(&d), ["b=b:1"]);
        let d = smp(cs(
            json!([{"$patch": "replace", "name": "z", "image": "z"}]),
        ))
        .unwrap();
        assert_eq!(containers(&d), Vec::<String>::new());
        let d = smp(cs(json!([{"name": "b", "image": null}]))).unwrap();
        assert_eq!(containers(&d), ["a=a:1", "b="]);
        let d = smp(json!({"spec": {"template": {"spec": {
            "$setElementOrder/containers": [{"name": "b"}, {"name": "a"}],
            "containers": [{"name": "a", "image": "a:3"}]}}}}))
        .unwrap();
        assert_eq!(containers(&d), ["b=b:1", "a=a:3"]);
        assert_eq!(
            smp(cs(json!([{"image": "z"}]))).unwrap_err(),
            StrategicError("map: map[image:z] does not contain declared merge key: name".into())
        );
        let mut cm = json!({"metadata": {"name": "c", "finalizers": ["b.io/x", "a.io/y"], "labels": {"a": "1", "b": "2"}}, "data": {"k": "v"}});
        strategic_merge_patch("ConfigMap", &mut cm, &json!({"metadata": {"finalizers": ["c.io/z", "a.io/y"], "labels": {"a": null, "c": "3"}}, "data": {"$patch": "replace", "z": "1"}})).unwrap();
        assert_eq!(
            cm,
            json!({"metadata": {"name": "c", "finalizers": ["c.io/z", "b.io/x", "a.io/y"], "labels": {"b": "2", "c": "3"}}, "data": {"z": "1"}})
        );
        let mut cm2 = json!({"metadata": {"finalizers": ["b.io/x", "a.io/y"]}});
        strategic_merge_patch(
            "ConfigMap",
            &mut cm2,
            &json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["b.io/x"]}}),
        )
        .unwrap();
        assert_eq!(cm2, json!({"metadata": {"finalizers": ["a.io/y"]}}));
    }

    #[test]
    fn json_merge_patch_replaces_lists_and_removes_nulls() {
        let mut d = two();
        merge_patch(
            &mut d,
            &cs(json!([{"name": "sidecar", "image": "busybox"}])),
        );
        assert_eq!(containers(&d), ["sidecar=busybox"]);
        merge_patch(&mut d, &json!({"spec": {"template": null}, "x": 1}));
        assert_eq!(d, json!({"kind": "Deployment", "spec": {}, "x": 1}));
    }

    #[test]
    fn json_patch_operations_and_their_errors() {
        let mut d = json!({"spec": {"replicas": 3, "list": [1, 2]}});
        json_patch(
            &mut d,
            &json!([
                {"op": "replace", "path": "/spec/replicas", "value": 4},
                {"op": "add", "path": "/spec/list/-", "value": 3},
                {"op": "add", "path": "/spec/list/0", "value": 0},
                {"op": "remove", "path": "/spec/list/1"},
                {"op": "copy", "from": "/spec/replicas", "path": "/spec/copy"},
                {"op": "move", "from": "/spec/copy", "path": "/spec/moved"},
                {"op": "test", "path": "/spec/moved", "value": 4},
                {"op": "replace", "path": "/spec/new", "value": "x"}
            ]),
        )
        .unwrap();
        assert_eq!(
            d,
            json!({"spec": {"replicas": 4, "list": [0, 2, 3], "moved": 4, "new": "x"}})
        );
        let err = |p: Value| json_patch(&mut d.clone(), &p).unwrap_err();
        assert_eq!(
            err(json!([{"op": "remove", "path": "/spec/nope"}])).message,
            "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value"
        );
        assert_eq!(
            err(json!([{"op": "test", "path": "/spec/replicas", "value": 9}])).message,
            "testing value /spec/replicas failed: test failed"
        );
        assert_eq!(
            err(json!([{"op": "bogus", "path": "/a"}])).message,
            "Unexpected kind: bogus"
        );
        let e = err(json!({"op": "x"}));
        assert!(e.decode);
        assert_eq!(
            e.message,
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
        );
    }

    #[test]
    fn two_way_patch_as_create_two_way_merge_patch() {
        let original = json!({"metadata": {"name": "web", "labels": {"app": "web", "old": "x"}},
            "spec": {"replicas": 1, "template": {"spec": {"containers": [
                {"name": "nginx", "image": "nginx:1.14.2"}, {"name": "side", "image": "busybox"}]}}}});
        let modified = json!({"metadata": {"name": "web", "labels": {"app": "web", "tier": "fe"}},
            "spec": {"replicas": 3, "template": {"spec": {"containers": [
                {"name": "nginx", "image": "nginx:1.16.1"}]}}}});
        let p = two_way_merge_patch("Deployment", &original, &modified);
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"metadata":{"labels":{"old":null,"tier":"fe"}},"spec":{"replicas":3,"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.16.1","name":"nginx"},{"$patch":"delete","name":"side"}]}}}}"#
        );
        // Applying it to the original gives the modified object.
        let mut o = original.clone();
        strategic_merge_patch("Deployment", &mut o, &p).unwrap();
        assert_eq!(o, modified);
    }

    #[test]
    fn two_way_patch_of_primitive_merge_lists_and_strategy() {
        let original = json!({"metadata": {"finalizers": ["a", "b"]},
            "spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}});
        let modified = json!({"metadata": {"finalizers": ["b", "c"]},
            "spec": {"strategy": {"type": "Recreate"}}});
        let p = two_way_merge_patch("Deployment", &original, &modified);
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"$setElementOrder/finalizers":["b","c"],"finalizers":["c"]},"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}}"#
        );
        assert_eq!(
            two_way_merge_patch("Deployment", &original, &original),
            json!({})
        );
    }
}
