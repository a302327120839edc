//! STUB (replaced by the describe module).
pub fn rollout_history_template(_template: &serde_json::Value) -> String {
    String::new()
}
