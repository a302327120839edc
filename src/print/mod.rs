//! kubectl's output formats: pure formatting machinery (tabwriter, age, YAML, JSON, JSONPath,
//! custom columns). The printers know no kind and no verb: what they need of a kind comes in
//! as an argument or through a small trait ([`output::NameForm`]), and their errors are
//! [`PrintError`]s the CLI turns into its own.

pub mod age;
pub mod cells;
pub mod custom_columns;
pub mod describe;
pub mod jsonpath;
pub mod output;
pub mod tabwriter;
pub mod wordwrap;
pub mod yaml;

/// A printing failure, worded as kubectl prints it (the whole text, `error: ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintError(pub String);

impl PrintError {
    /// `error: <msg>` (kubectl's prefix for client-side errors).
    pub fn msg(msg: impl std::fmt::Display) -> PrintError {
        let m = msg.to_string();
        if m.starts_with("error: ") {
            PrintError(m)
        } else {
            PrintError(format!("error: {m}"))
        }
    }

    /// Printed verbatim.
    pub fn raw(text: impl Into<String>) -> PrintError {
        PrintError(text.into())
    }
}

impl std::fmt::Display for PrintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PrintError {}
