//! kubectl's output formats: pure formatting machinery (tabwriter, age, YAML, JSON, JSONPath,
//! custom columns). The printers know no kind and no verb: what they need of a kind comes in
//! as an argument or through a small trait ([`output::NameForm`]), and their errors are
//! [`PrintError`]s the CLI turns into its own.

pub mod age;
pub mod cells;
pub mod custom_columns;
pub mod describe;
pub mod gotemplate;
pub mod jsonpath;
pub mod output;
pub mod tabwriter;
pub mod unified;
pub mod wordwrap;
pub mod yaml;

/// A printing failure, worded as kubectl prints it (the whole text, `error: ...`), and what
/// goes to stdout before it (most failures: nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintError(pub String, pub String);

impl PrintError {
    /// `error: <msg>` (kubectl's prefix for client-side errors).
    pub fn msg(msg: impl std::fmt::Display) -> PrintError {
        let m = msg.to_string();
        if m.starts_with("error: ") {
            PrintError(m, String::new())
        } else {
            PrintError(format!("error: {m}"), String::new())
        }
    }

    /// Printed verbatim.
    pub fn raw(text: impl Into<String>) -> PrintError {
        PrintError(text.into(), String::new())
    }

    /// The same error, after `stdout` was printed (kubectl's template printer writes its
    /// debugging help there before failing).
    pub fn with_stdout(mut self, stdout: String) -> PrintError {
        self.1 = stdout;
        self
    }
}

impl std::fmt::Display for PrintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PrintError {}
