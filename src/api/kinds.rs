//! The kinds registry now lives in [`crate::kinds`], a module per kind; this path re-exports it.

pub use crate::kinds::{ALL_ORDER, KINDS, Kind, KindInfo, by_api_version_kind, by_kind, resolve};
