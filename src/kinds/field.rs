//! Field errors (apimachinery's `field.Error`): what a kind's validation returns, rendered as
//! the API server renders them. The API wraps them in an Invalid `ApiError`.

use crate::util::go_quote;
use std::fmt;

/// The type of one field error (apimachinery `field.ErrorType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldErrorType {
    Required,
    Invalid,
    Unsupported,
    Duplicate,
    NotFound,
    Forbidden,
    TooLong,
    TooMany,
    Internal,
}

/// The offending value of a field error, rendered as apimachinery renders it:
/// strings double-quoted, numbers and booleans plain, nil `null`, anything else in Go `%#v` form
/// (`map[string]string{"app":"web"}`), which the caller supplies pre-rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum BadValue {
    Str(String),
    Int(i64),
    Bool(bool),
    Null,
    /// Already rendered, printed verbatim (e.g. `map[string]string{"app":"web"}`).
    Raw(String),
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadValue::Str(s) => write!(f, "{}", go_quote(s)),
            BadValue::Int(i) => write!(f, "{i}"),
            BadValue::Bool(b) => write!(f, "{b}"),
            BadValue::Null => write!(f, "null"),
            BadValue::Raw(s) => write!(f, "{s}"),
        }
    }
}

/// One validation failure (apimachinery `field.Error`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// Dotted path with `[i]` indices: `spec.template.spec.containers[0].image`.
    pub field: String,
    pub kind: FieldErrorType,
    pub value: Option<BadValue>,
    pub detail: String,
}

impl FieldError {
    pub fn required(field: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            kind: FieldErrorType::Required,
            value: None,
            detail: detail.into(),
        }
    }
    pub fn invalid(field: impl Into<String>, value: BadValue, detail: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            kind: FieldErrorType::Invalid,
            value: Some(value),
            detail: detail.into(),
        }
    }
    pub fn unsupported(field: impl Into<String>, value: BadValue, supported: &[&str]) -> Self {
        let list: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
        FieldError {
            field: field.into(),
            kind: FieldErrorType::Unsupported,
            value: Some(value),
            detail: format!("supported values: {}", list.join(", ")),
        }
    }
    pub fn forbidden(field: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            kind: FieldErrorType::Forbidden,
            value: None,
            detail: detail.into(),
        }
    }
    pub fn duplicate(field: impl Into<String>, value: BadValue) -> Self {
        FieldError {
            field: field.into(),
            kind: FieldErrorType::Duplicate,
            value: Some(value),
            detail: String::new(),
        }
    }
    pub fn too_long(field: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            kind: FieldErrorType::TooLong,
            value: None,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for FieldError {
    /// `<field>: <body>` as apimachinery's `field.Error.Error()` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ty = match self.kind {
            FieldErrorType::Required => "Required value",
            FieldErrorType::Invalid => "Invalid value",
            FieldErrorType::Unsupported => "Unsupported value",
            FieldErrorType::Duplicate => "Duplicate value",
            FieldErrorType::NotFound => "Not found",
            FieldErrorType::Forbidden => "Forbidden",
            FieldErrorType::TooLong => "Too long",
            FieldErrorType::TooMany => "Too many",
            FieldErrorType::Internal => "Internal error",
        };
        write!(f, "{}: {ty}", self.field)?;
        let shows_value = !matches!(
            self.kind,
            FieldErrorType::Required
                | FieldErrorType::Forbidden
                | FieldErrorType::TooLong
                | FieldErrorType::Internal
        );
        if shows_value && let Some(v) = &self.value {
            write!(f, ": {v}")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}
