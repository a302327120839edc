//! `kubectl create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2]`:
//! the ResourceQuota kubectl's create_quota.go builds, with its errors.

use serde_json::{Map, Value, json};

use super::CliError;
use crate::util::quantity::Quantity;

/// The quota `create quota` builds (`createQuota`): `spec.hard` from `--hard` (each value
/// as `ParseQuantity` then `String()` write it; a repeated name keeps the last), and
/// `spec.scopes` from `--scopes`, in the order given (the API server checks the names).
pub fn quota_object(names: &[String], hard: &str, scopes: &str) -> Result<Value, CliError> {
    let [name] = names else {
        return Err(super::cobra::usage_error(
            "create quota",
            &format!("exactly one NAME is required, got {}", names.len()),
        ));
    };
    let mut spec = Map::new();
    if !hard.is_empty() {
        let mut list = Map::new();
        for statement in hard.split(',') {
            let parts: Vec<&str> = statement.split('=').collect();
            let [resource, value] = parts[..] else {
                return Err(CliError::msg(format!(
                    "Invalid argument syntax {statement}, expected <resource>=<value>"
                )));
            };
            let q = Quantity::parse(value).map_err(CliError::msg)?;
            list.insert(resource.to_string(), json!(q.to_string()));
        }
        spec.insert("hard".into(), Value::Object(list));
    }
    if !scopes.is_empty() {
        let mut list = Vec::new();
        for scope in scopes.split(',') {
            if scope.is_empty() {
                return Err(CliError::msg("invalid resource quota scope \"\""));
            }
            list.push(json!(scope));
        }
        spec.insert("scopes".into(), Value::Array(list));
    }
    Ok(json!({"apiVersion": "v1", "kind": "ResourceQuota",
              "metadata": {"creationTimestamp": null, "name": name},
              "spec": spec, "status": {}}))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hard(h: &str) -> Result<Value, String> {
        quota_object(&["q".into()], h, "")
            .map(|v| v.pointer("/spec").cloned().unwrap_or_default())
            .map_err(|e| e.text)
    }

    /// What kubectl 1.33 prints for the same flags (`--dry-run=client -o yaml`).
    #[test]
    fn values_as_kubectl_writes_them() {
        assert_eq!(
            hard("memory=1024Mi,cpu=0.5,pods=+2,x=1e3,y=1000m,requests.storage=1.5Gi"),
            Ok(
                json!({"hard": {"cpu": "500m", "memory": "1Gi", "pods": "+2",
                               "requests.storage": "1536Mi", "x": "1e3", "y": "1"}})
            )
        );
        assert_eq!(hard("a=1,a=2"), Ok(json!({"hard": {"a": "2"}})));
        assert_eq!(hard(""), Ok(json!({})));
    }

    #[test]
    fn errors_as_kubectl_words_them() {
        assert_eq!(
            hard("cpu"),
            Err("error: Invalid argument syntax cpu, expected <resource>=<value>".into())
        );
        assert_eq!(
            hard("a=1,"),
            Err("error: Invalid argument syntax , expected <resource>=<value>".into())
        );
        assert_eq!(
            hard("cpu=abc"),
            Err("error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".into())
        );
        assert_eq!(
            quota_object(&["q".into()], "", "a,,b").map_err(|e| e.text),
            Err("error: invalid resource quota scope \"\"".into())
        );
        assert_eq!(
            quota_object(&[], "", "").map_err(|e| e.text),
            Err("error: exactly one NAME is required, got 0\nSee 'kubesim create quota -h' for help and examples".into())
        );
    }
}
