//! STUB (replaced by the selector module).
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct Selector(Vec<(String, String)>);
impl Selector {
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut v = Vec::new();
        for part in s.split(',').filter(|p| !p.is_empty()) {
            let (k, val) = part.split_once('=').ok_or("bad selector")?;
            v.push((k.to_string(), val.to_string()));
        }
        Ok(Selector(v))
    }
    pub fn from_label_selector(
        ls: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
    ) -> Result<Selector, String> {
        Ok(Selector(
            ls.match_labels
                .clone()
                .unwrap_or_default()
                .into_iter()
                .collect(),
        ))
    }
    pub fn from_map(m: &BTreeMap<String, String>) -> Selector {
        Selector(m.clone().into_iter().collect())
    }
    pub fn everything() -> Selector {
        Selector(vec![])
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|(k, v)| labels.get(k) == Some(v))
    }
    pub fn matches_value(&self, labels: Option<&Value>) -> bool {
        self.0
            .iter()
            .all(|(k, v)| labels.and_then(|l| l.get(k)).and_then(Value::as_str) == Some(v))
    }
}
#[derive(Debug, Clone, Default)]
pub struct FieldSelector(Vec<(String, String)>);
impl FieldSelector {
    pub fn parse(s: &str) -> Result<FieldSelector, String> {
        let mut v = Vec::new();
        for part in s.split(',').filter(|p| !p.is_empty()) {
            let (k, val) = part.split_once('=').ok_or("bad selector")?;
            v.push((k.to_string(), val.to_string()));
        }
        Ok(FieldSelector(v))
    }
    pub fn matches(&self, obj: &Value) -> bool {
        self.0.iter().all(|(k, v)| {
            let p = format!("/{}", k.replace('.', "/"));
            obj.pointer(&p).and_then(Value::as_str).unwrap_or_default() == v
        })
    }
    pub fn check_supported(&self, _kind: &str) -> Result<(), String> {
        Ok(())
    }
}
