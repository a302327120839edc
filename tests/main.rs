//! The one integration-test binary: CLI transcripts and scenario tests over real state
//! directories, running the real `kubesim` binary.

mod architecture;
mod common;
mod completion;
mod diff_verb;
mod differential;
mod hand_edited;
mod integrity;
mod names;
mod scenarios;
mod transcripts;
