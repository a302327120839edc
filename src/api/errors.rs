//! API errors as the API server returns them, and their rendering in kubectl's words.
//!
//! Every failure of the API layer is an [`ApiError`] with a [`Reason`] (NotFound, AlreadyExists,
//! Invalid, ...). `Display` gives the server's `message`; [`ApiError::kubectl_message`] gives the
//! line kubectl prints for it (`Error from server (NotFound): pods "x" not found`,
//! `The Deployment "x" is invalid: ...`).

use std::fmt;

/// Field errors are what a kind's validation produces; they live with the kinds (below the API)
/// and are re-exported here.
pub use crate::kinds::field::{BadValue, FieldError, FieldErrorType};
pub use crate::util::go_quote;

/// The `reason` of a Kubernetes `Status` (metav1.StatusReason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    NotFound,
    AlreadyExists,
    Invalid,
    Conflict,
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    InternalError,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotFound => "NotFound",
            Reason::AlreadyExists => "AlreadyExists",
            Reason::Invalid => "Invalid",
            Reason::Conflict => "Conflict",
            Reason::BadRequest => "BadRequest",
            Reason::Forbidden => "Forbidden",
            Reason::MethodNotAllowed => "MethodNotAllowed",
            Reason::InternalError => "InternalError",
        }
    }
}

/// Details of a Status: which object, and for Invalid the field causes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Details {
    /// The bare Kind (`Deployment`), as kubectl prints it in `The Deployment "x" is invalid`.
    pub kind: String,
    pub name: String,
    pub causes: Vec<FieldError>,
}

/// An error of the API layer, carrying what a Kubernetes `Status` carries.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub reason: Reason,
    /// The server's message (`deployments.apps "x" not found`).
    pub message: String,
    pub details: Option<Details>,
}

/// A stored or requested object of the wrong shape for a write (`metadata: expected an
/// object, found a string`): the object cannot be handled, as the server's decoding would fail.
impl From<crate::util::fields::ShapeError> for ApiError {
    fn from(e: crate::util::fields::ShapeError) -> Self {
        ApiError::new(
            Reason::InternalError,
            format!("Internal error occurred: {e}"),
        )
    }
}

impl ApiError {
    pub fn new(reason: Reason, message: impl Into<String>) -> Self {
        ApiError {
            reason,
            message: message.into(),
            details: None,
        }
    }

    /// `<resource> "<name>" not found`; `resource` is `plural[.group]`.
    pub fn not_found(resource: &str, name: &str) -> Self {
        Self::new(
            Reason::NotFound,
            format!("{resource} {} not found", go_quote(name)),
        )
    }

    /// `<resource> "<name>" already exists`.
    pub fn already_exists(resource: &str, name: &str) -> Self {
        Self::new(
            Reason::AlreadyExists,
            format!("{resource} {} already exists", go_quote(name)),
        )
    }

    /// `Operation cannot be fulfilled on <resource> "<name>": <why>`.
    pub fn conflict(resource: &str, name: &str, why: &str) -> Self {
        Self::new(
            Reason::Conflict,
            format!(
                "Operation cannot be fulfilled on {resource} {}: {why}",
                go_quote(name)
            ),
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(Reason::BadRequest, message)
    }

    /// An Invalid (422) error. `kind` is the bare Kind, `group` its API group ("" for core).
    pub fn invalid(kind: &str, group: &str, name: &str, causes: Vec<FieldError>) -> Self {
        let qualified = if group.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}.{group}")
        };
        let errs: Vec<String> = causes.iter().map(|c| c.to_string()).collect();
        let body = if errs.len() == 1 {
            errs[0].clone()
        } else {
            format!("[{}]", errs.join(", "))
        };
        ApiError {
            reason: Reason::Invalid,
            message: format!("{qualified} {} is invalid: {body}", go_quote(name)),
            details: Some(Details {
                kind: kind.to_string(),
                name: name.to_string(),
                causes,
            }),
        }
    }

    /// What kubectl prints for this error (without a trailing newline), following
    /// kubectl's `StandardErrorMessage`: Invalid errors as `The Kind "name" is invalid: ...`
    /// (multi-cause as a bulleted list), everything else as `Error from server (Reason): msg`.
    pub fn kubectl_message(&self) -> String {
        self.kubectl_message_in(None)
    }

    /// Like [`kubectl_message`](Self::kubectl_message), but with kubectl's
    /// `error when creating "<file>": ` wrapping (`context` is e.g. `error when creating "x.yaml"`),
    /// which kubectl leaves out for Invalid errors.
    pub fn kubectl_message_in(&self, context: Option<&str>) -> String {
        if self.reason == Reason::Invalid
            && let Some(d) = &self.details
        {
            let header = format!("The {} {} is invalid", d.kind, go_quote(&d.name));
            let mut seen: Vec<String> = Vec::new();
            for c in &d.causes {
                let s = c.to_string();
                if !seen.contains(&s) {
                    seen.push(s);
                }
            }
            return match seen.len() {
                0 => header,
                1 => format!("{header}: {}", seen[0]),
                _ => {
                    let mut out = format!("{header}: ");
                    for s in seen {
                        out.push_str("\n* ");
                        out.push_str(&s);
                    }
                    out
                }
            };
        }
        match context {
            Some(c) => format!(
                "Error from server ({}): {c}: {}",
                self.reason.as_str(),
                self.message
            ),
            None => format!(
                "Error from server ({}): {}",
                self.reason.as_str(),
                self.message
            ),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_in_kubectl_words() {
        let e = ApiError::not_found("replicationcontrollers", "nope");
        assert_eq!(
            e.kubectl_message(),
            "Error from server (NotFound): replicationcontrollers \"nope\" not found"
        );
    }

    #[test]
    fn invalid_one_and_many_causes() {
        let one = ApiError::invalid(
            "Deployment",
            "apps",
            "x",
            vec![FieldError::invalid(
                "spec.replicas",
                BadValue::Int(-1),
                "must be greater than or equal to 0",
            )],
        );
        assert_eq!(
            one.kubectl_message(),
            "The Deployment \"x\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
        assert_eq!(
            one.message,
            "Deployment.apps \"x\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
        let two = ApiError::invalid(
            "Pod",
            "",
            "p",
            vec![
                FieldError::required("spec.containers[0].image", ""),
                FieldError::required("spec.containers", ""),
            ],
        );
        assert_eq!(
            two.kubectl_message(),
            "The Pod \"p\" is invalid: \n* spec.containers[0].image: Required value\n* spec.containers: Required value"
        );
    }

    #[test]
    fn context_wraps_non_invalid_only() {
        let e = ApiError::already_exists("deployments.apps", "nginx");
        assert_eq!(
            e.kubectl_message_in(Some("error when creating \"x.yaml\"")),
            "Error from server (AlreadyExists): error when creating \"x.yaml\": deployments.apps \"nginx\" already exists"
        );
    }
}
