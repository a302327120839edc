//! Go's text/template, as kubectl's template printer runs it (cli-runtime
//! printers/template.go): a port of text/template/parse's lexer and parser and of
//! text/template's executor over the object kubectl hands it — the JSON decoded into
//! `map[string]interface{}` (apimachinery's json: integers int64, other numbers float64) —
//! with Go's builtins (`and or not len index slice print printf println html js urlquery
//! eq ne lt le gt ge call`, `fmt`'s verbs) and kubectl's `exists` and `base64decode`.
//! Errors are worded as Go words them. Not ported: methods and struct fields (the data
//! holds none), complex numbers, channels and iterator functions.

mod exec;
pub mod fmt;
mod lex;
mod parse;

use serde_json::Value;

/// The stack a template's execution runs on.
const STACK_BYTES: usize = 4 << 30;

/// Runs `f` on a thread with a [`STACK_BYTES`] stack (on this one if no such thread can be
/// made).
fn on_big_stack<T: Send>(f: impl Fn() -> T + Send + Sync) -> T {
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, &f)
        {
            Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(_) => f(),
        }
    })
}

/// A parsed template: kubectl names it `output`.
#[derive(Debug, Clone)]
pub struct Template {
    name: String,
    text: String,
    trees: parse::Trees,
}

/// A failed execution: what was written before the error, and Go's error text.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecError {
    pub partial: String,
    pub message: String,
}

/// Parses `text` as the template `name` (Go's parse error on failure), all on a big stack
/// (a tree nested a hundred thousand deep is built and dropped there).
pub fn check(name: &str, text: &str) -> Result<(), String> {
    on_big_stack(|| Template::parse_here(name, text).map(drop))
}

/// Parses and executes `text` on `data`: the parse error, or the execution's result.
pub fn render(
    name: &str,
    text: &str,
    data: &Value,
    missing_error: bool,
) -> Result<Result<String, ExecError>, String> {
    on_big_stack(|| {
        let t = Template::parse_here(name, text)?;
        Ok(t.execute_here(data, missing_error))
    })
}

impl Template {
    /// `template.New(name).Funcs(kubectl's).Parse(text)`; the error as Go prints it
    /// (`template: output:1: function "upper" not defined`).
    pub fn parse(name: &str, text: &str) -> Result<Template, String> {
        on_big_stack(|| Template::parse_here(name, text))
    }

    fn parse_here(name: &str, text: &str) -> Result<Template, String> {
        let trees = parse::parse(name, text, &exec::has_function)?;
        Ok(Template {
            name: name.to_string(),
            text: text.to_string(),
            trees,
        })
    }

    /// Executes the template on `data` (`missingkey=error` when `missing_error`).
    pub fn execute(&self, data: &Value, missing_error: bool) -> Result<String, ExecError> {
        // Go's stacks grow to reach its template depth limit (100,000 nested `template`
        // calls, then an error); here the walk runs on a thread whose stack is reserved big
        // enough for it (only the pages used are ever touched). So does the parser (Go's
        // has no limit on nested parentheses).
        on_big_stack(|| self.execute_here(data, missing_error))
    }

    fn execute_here(&self, data: &Value, missing_error: bool) -> Result<String, ExecError> {
        let dot = fmt::Val::json(data, false);
        let mut s = exec::State::new(
            &self.trees,
            &self.text,
            &self.name,
            missing_error,
            dot.clone(),
        );
        let root = self.trees.get(&self.name).map(Vec::as_slice).unwrap_or(&[]);
        match s.walk_list(&dot, root) {
            Ok(()) => Ok(s.out),
            Err(exec::Flow::Err(message)) => Err(ExecError {
                partial: s.out,
                message,
            }),
            Err(_) => Ok(s.out),
        }
    }
}

#[cfg(test)]
mod tests;
