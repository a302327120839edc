//! API-server defaulting lives with the kinds: [`crate::kinds::defaulting`] (shared parts) and
//! each kind's `Strategy::defaults` (`src/kinds/<kind>/strategy.rs`); this path re-exports it.

pub use crate::kinds::defaulting::{apply_defaults, mount_service_account_token, pull_policy_for};
