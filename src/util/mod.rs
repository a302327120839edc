//! Pure helpers every layer may use.

pub mod names;
