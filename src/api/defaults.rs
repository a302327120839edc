//! API-server defaulting lives with the kinds: [`crate::kinds::defaulting`] (shared parts) and
//! each kind's `Strategy::defaults` (`src/kinds/<kind>/strategy.rs`); this path re-exports it.

pub use crate::kinds::defaulting::{
    add_service_account_token_volume, apply_defaults, pull_policy_for,
};
