//! The generator's error type: every failure names the file and, where it
//! applies, the shape, member or operation at fault.

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: invalid JSON: {source}")]
    Json {
        file: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("{file}: shape `{shape}`{}: refers to shape `{target}`, which does not exist", member_suffix(.member))]
    DanglingReference {
        file: String,
        shape: String,
        member: Option<String>,
        target: String,
    },
    #[error(
        "{file}: operation `{operation}` ({role}): refers to shape `{target}`, which does not exist"
    )]
    DanglingOperationReference {
        file: String,
        operation: String,
        role: &'static str,
        target: String,
    },
    #[error("{file}: shape `{shape}`: unknown shape type `{shape_type}`")]
    UnknownShapeType {
        file: String,
        shape: String,
        shape_type: String,
    },
    #[error("{file}: shape `{shape}`: {message}")]
    InvalidShape {
        file: String,
        shape: String,
        message: String,
    },
    #[error("{file}: operation `{operation}`: {role} shape `{shape}` is not a structure")]
    NotAStructure {
        file: String,
        operation: String,
        role: &'static str,
        shape: String,
    },
    #[error(
        "{file}: protocol `{protocol}` is not supported by this model (model lists: {available})"
    )]
    UnsupportedProtocol {
        file: String,
        protocol: String,
        available: String,
    },
    #[error(
        "{file}: --operations names `{operation}`, which the model does not define \
         (names are the model's operation names, as in its `operations` map){}",
        nearest_suffix(.nearest)
    )]
    UnknownOperation {
        file: String,
        operation: String,
        /// The model's operation names closest to `operation`.
        nearest: Vec<String>,
    },
    #[error("{file}: not a botocore model: {reason}")]
    NotAModel { file: String, reason: String },
    #[error("{file}: {count} unknown key(s) (--strict):\n  {}", .keys.join("\n  "))]
    UnknownKeys {
        file: String,
        count: usize,
        keys: Vec<String>,
    },
    #[error("{file}: internal error: generated code for `{item}` does not parse: {message}")]
    Internal {
        file: String,
        item: String,
        message: String,
    },
    #[error("{file}: endpoint rule set: {message}")]
    InvalidEndpointRules { file: String, message: String },
    #[error("{file}: operation `{operation}`, endpoint parameter `{param}`: {message}")]
    InvalidContextParam {
        file: String,
        operation: String,
        param: String,
        message: String,
    },
    #[error("{file}: operation `{operation}`, httpChecksum: {message}")]
    InvalidHttpChecksum {
        file: String,
        operation: String,
        message: String,
    },
    #[error("{0}")]
    Other(String),
}

fn member_suffix(member: &Option<String>) -> String {
    match member {
        Some(m) => format!(", member `{m}`"),
        None => String::new(),
    }
}

fn nearest_suffix(nearest: &[String]) -> String {
    if nearest.is_empty() {
        String::new()
    } else {
        format!("; nearest: {}", nearest.join(", "))
    }
}
