//! Fuzzing support for botogen's response parsers; see `targets`.
pub mod targets;
