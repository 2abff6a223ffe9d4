//! Validation of values against the constraints their shapes state.
//!
//! (Being implemented: see ARCHITECTURE.md.) The entry point walks a value
//! through its [`crate::schema::Shape`] and reports every violation with its path.

use crate::value::Struct;
use std::fmt;

/// Checks `value` and everything it contains against the model's constraints.
pub fn validate(value: &dyn Struct) -> Result<(), ValidationErrors> {
    let _ = value;
    Ok(())
}

/// One broken constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Path from the validated value, e.g. `Attachments[0].AttachmentName`.
    pub path: String,
    pub kind: ViolationKind,
}

/// Which constraint was broken.
#[derive(Debug, Clone, PartialEq)]
pub enum ViolationKind {
    /// A required member is unset (or a union has no variant).
    Required,
    /// Length (characters, entries or bytes) below `min`.
    TooShort { min: u64, actual: u64 },
    /// Length above `max`.
    TooLong { max: u64, actual: u64 },
    /// Number below `min`.
    BelowMin { min: f64, actual: f64 },
    /// Number above `max`.
    AboveMax { max: f64, actual: f64 },
    /// Does not match `pattern`.
    Pattern { pattern: &'static str },
    /// Not one of the enum's values.
    NotInEnum { value: String },
}

/// All violations found in one value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ValidationErrors {
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {:?}", v.path, v.kind)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}
