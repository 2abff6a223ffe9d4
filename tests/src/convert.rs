//! Turns the compliance suites into botocore-style service models, one per
//! suite, so the normal generator can emit a Rust module for each.
//!
//! A suite has metadata and shapes but no `operations`: those come from the
//! cases' `given` definitions. Several cases usually share one operation;
//! identical definitions become one operation, and a name reused with a
//! different definition gets the key `<name>_2`, `<name>_3`, ... while its
//! `name` field (the wire name) stays as written.

use serde_json::value::RawValue;
use serde_json::{Map, Value as Json, json};
use std::path::Path;

/// Whether a suite file holds request (input) or response (output) cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    Input,
    Output,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Input => "input",
            Direction::Output => "output",
        }
    }

    pub const ALL: [Direction; 2] = [Direction::Input, Direction::Output];
}

/// One suite turned into a service model.
#[derive(Debug, Clone)]
pub struct SuiteModel {
    /// The suite file's stem, e.g. `rest-json` (the protocol label in reports).
    pub file: String,
    pub direction: Direction,
    /// Position of the suite in its file.
    pub index: usize,
    /// Rust module name, e.g. `rest_json_input_07`.
    pub module: String,
    /// The botocore-style model JSON (`metadata`, `operations`, `shapes`).
    pub model: String,
    /// For each case, the key of its operation in the model's `operations`.
    pub case_keys: Vec<String>,
}

/// A suite as read for conversion: shapes and operation definitions stay raw
/// text because member order is meaningful (it fixes member indices and the
/// order of XML elements and query parameters) and `serde_json::Value`
/// would sort keys.
#[derive(serde::Deserialize)]
struct RawSuite {
    metadata: Map<String, Json>,
    #[serde(default)]
    shapes: Option<Box<RawValue>>,
    cases: Vec<RawCase>,
}

#[derive(serde::Deserialize)]
struct RawCase {
    given: Box<RawValue>,
}

#[derive(serde::Deserialize)]
struct GivenName {
    name: String,
}

/// The directory with the vendored suites (`tests/protocol`).
pub fn protocol_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("protocol")
}

/// botocore behaviours outside its own suites, in the same layout
/// (`tests/behaviours/`, written by its `make_cases.py`).
pub fn behaviours_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("behaviours")
}

/// Suite file stems in `dir/<direction>/`, sorted.
pub fn suite_files(dir: &Path, direction: Direction) -> Result<Vec<String>, String> {
    let sub = dir.join(direction.as_str());
    let entries = std::fs::read_dir(&sub).map_err(|e| format!("{}: {e}", sub.display()))?;
    let mut stems = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", sub.display()))?.path();
        if path.extension().is_some_and(|e| e == "json")
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
        {
            stems.push(stem.to_owned());
        }
    }
    stems.sort();
    Ok(stems)
}

fn suite_path(dir: &Path, direction: Direction, file: &str) -> std::path::PathBuf {
    dir.join(direction.as_str()).join(format!("{file}.json"))
}

/// Reads one suite file (a JSON list of suites) for running its cases.
pub fn read_suites(dir: &Path, direction: Direction, file: &str) -> Result<Vec<Json>, String> {
    let path = suite_path(dir, direction, file);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Every suite of every file under `dir`, in a stable order.
pub fn all_suite_models(dir: &Path) -> Result<Vec<SuiteModel>, String> {
    let mut out = Vec::new();
    for direction in Direction::ALL {
        for file in suite_files(dir, direction)? {
            let path = suite_path(dir, direction, &file);
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let suites: Vec<RawSuite> =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            for (index, suite) in suites.iter().enumerate() {
                let (model, case_keys) = suite_model(suite)
                    .map_err(|e| format!("{} suite {index}: {e}", path.display()))?;
                out.push(SuiteModel {
                    module: module_name(&file, direction, index),
                    file: file.clone(),
                    direction,
                    index,
                    model,
                    case_keys,
                });
            }
        }
    }
    Ok(out)
}

/// `rest-json`, input, 7 → `rest_json_input_07`.
pub fn module_name(file: &str, direction: Direction, index: usize) -> String {
    let stem: String = file
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{stem}_{}_{index:02}", direction.as_str())
}

/// Builds the service model text of one suite and the operation key of each case.
fn suite_model(suite: &RawSuite) -> Result<(String, Vec<String>), String> {
    // (key, definition) in first-use order.
    let mut operations: Vec<(String, &RawValue)> = Vec::new();
    let mut case_keys = Vec::with_capacity(suite.cases.len());
    for (i, case) in suite.cases.iter().enumerate() {
        let given: GivenName = serde_json::from_str(case.given.get())
            .map_err(|e| format!("case {i}: operation definition: {e}"))?;
        case_keys.push(operation_key(&mut operations, &given.name, &case.given));
    }

    let mut text = String::from("{\"version\":\"2.0\",\"metadata\":");
    text.push_str(&full_metadata(&suite.metadata).to_string());
    text.push_str(",\"operations\":{");
    for (n, (key, given)) in operations.iter().enumerate() {
        if n > 0 {
            text.push(',');
        }
        text.push_str(&Json::String(key.clone()).to_string());
        text.push(':');
        text.push_str(given.get());
    }
    text.push_str("},\"shapes\":");
    text.push_str(suite.shapes.as_deref().map_or("{}", RawValue::get));
    text.push('}');
    Ok((text, case_keys))
}

/// The key for `given`: the existing key of an identical definition, else
/// the first free one of `name`, `name_2`, `name_3`, ...
fn operation_key<'a>(
    operations: &mut Vec<(String, &'a RawValue)>,
    name: &str,
    given: &'a RawValue,
) -> String {
    let mut n = 1;
    loop {
        let key = if n == 1 {
            name.to_owned()
        } else {
            format!("{name}_{n}")
        };
        match operations.iter().find(|(k, _)| *k == key) {
            Some((_, existing)) if same_json(existing, given) => return key,
            Some(_) => n += 1,
            None => {
                operations.push((key.clone(), given));
                return key;
            }
        }
    }
}

fn same_json(a: &RawValue, b: &RawValue) -> bool {
    a.get() == b.get()
        || serde_json::from_str::<Json>(a.get()).ok() == serde_json::from_str::<Json>(b.get()).ok()
}

/// The suite's metadata plus the fields every service model has, where missing.
fn full_metadata(metadata: &Map<String, Json>) -> Json {
    let mut m = metadata.clone();
    let protocol = m
        .get("protocol")
        .and_then(Json::as_str)
        .unwrap_or("json")
        .to_owned();
    let defaults = [
        ("apiVersion", json!("2014-01-01")),
        ("endpointPrefix", json!("protocoltest")),
        ("serviceId", json!("Protocol Test")),
        ("serviceFullName", json!("Protocol Test Service")),
        ("signatureVersion", json!("v4")),
        ("uid", json!("protocoltest-2014-01-01")),
        ("protocols", json!([protocol])),
    ];
    for (key, value) in defaults {
        m.entry(key).or_insert(value);
    }
    Json::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_operations_share_a_key_and_different_ones_get_suffixes() {
        let suite = json!({
            "metadata": {"protocol": "json"},
            "shapes": {},
            "cases": [
                {"given": {"name": "Op", "http": {"method": "POST", "requestUri": "/"}}},
                {"given": {"name": "Op", "http": {"method": "POST", "requestUri": "/"}}},
                {"given": {"name": "Op", "http": {"method": "GET", "requestUri": "/"}}},
            ]
        });
        let suite: RawSuite = serde_json::from_value(suite).unwrap();
        let (model, keys) = suite_model(&suite).unwrap();
        let model: Json = serde_json::from_str(&model).unwrap();
        assert_eq!(keys, ["Op", "Op", "Op_2"]);
        assert_eq!(model["operations"]["Op_2"]["name"], "Op");
        assert_eq!(model["operations"]["Op_2"]["http"]["method"], "GET");
        assert_eq!(model["metadata"]["serviceId"], "Protocol Test");
        assert_eq!(model["metadata"]["protocols"], json!(["json"]));
    }

    #[test]
    fn shape_member_order_is_kept() {
        let suite = r#"{"metadata": {"protocol": "query"}, "cases": [],
            "shapes": {"S": {"type": "structure", "members": {"Z": {"shape": "T"}, "A": {"shape": "T"}}}}}"#;
        let suite: RawSuite = serde_json::from_str(suite).unwrap();
        let (model, _) = suite_model(&suite).unwrap();
        assert!(
            model.find("\"Z\"").unwrap() < model.find("\"A\"").unwrap(),
            "{model}"
        );
    }

    #[test]
    fn module_names_are_identifiers() {
        assert_eq!(
            module_name("json_1_0-query-compatible", Direction::Output, 3),
            "json_1_0_query_compatible_output_03"
        );
    }
}
