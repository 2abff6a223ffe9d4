//! `aws.partition`: which AWS partition a region belongs to, from botocore
//! 1.44.5's `partitions.json` (vendored beside this file, Apache-2.0,
//! Copyright Amazon.com, Inc. or its affiliates).
//!
//! The file is parsed and its region patterns compiled once per process.

use regex::Regex;
use serde_json::Value as Json;
use std::sync::OnceLock;

const PARTITIONS_JSON: &str = include_str!("partitions.json");

/// One partition: its id, the outputs rule sets read with `getAttr`
/// (`dnsSuffix`, `dualStackDnsSuffix`, `supportsFIPS`, `supportsDualStack`,
/// `implicitGlobalRegion`, and `name` = the id), and how regions match it.
#[derive(Debug)]
pub struct Partition {
    pub id: String,
    /// The `outputs` object with `name` set to the id, in file order.
    pub outputs: Vec<(String, Json)>,
    region_regex: Regex,
    regions: Vec<String>,
}

impl Partition {
    /// An output by name (`dnsSuffix`, ...).
    pub fn output(&self, name: &str) -> Option<&Json> {
        self.outputs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    fn matches(&self, region: &str) -> bool {
        self.regions.iter().any(|r| r == region) || self.region_regex.is_match(region)
    }
}

/// Every partition in file order (the first, `aws`, is the default).
pub fn partitions() -> &'static [Partition] {
    static PARSED: OnceLock<Vec<Partition>> = OnceLock::new();
    PARSED.get_or_init(|| {
        // The vendored file is checked by this module's tests; a failure
        // here would be a build of a corrupted source tree.
        parse(PARTITIONS_JSON).expect("the vendored partitions.json is valid")
    })
}

/// The partition of `region`: the first whose region list names it or
/// whose `regionRegex` matches it; the first partition when none does (or
/// no region is given), as botocore does.
pub fn partition(region: Option<&str>) -> &'static Partition {
    let all = partitions();
    region
        .and_then(|r| all.iter().find(|p| p.matches(r)))
        .unwrap_or(&all[0])
}

fn parse(text: &str) -> Result<Vec<Partition>, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let list = json
        .get("partitions")
        .and_then(Json::as_array)
        .filter(|l| !l.is_empty())
        .ok_or("no `partitions` list")?;
    let mut out = Vec::with_capacity(list.len());
    for p in list {
        let id = p
            .get("id")
            .and_then(Json::as_str)
            .ok_or("a partition without `id`")?;
        let pattern = p
            .get("regionRegex")
            .and_then(Json::as_str)
            .ok_or_else(|| format!("partition {id}: no `regionRegex`"))?;
        let region_regex =
            Regex::new(pattern).map_err(|e| format!("partition {id}: regionRegex: {e}"))?;
        let mut outputs: Vec<(String, Json)> = p
            .get("outputs")
            .and_then(Json::as_object)
            .ok_or_else(|| format!("partition {id}: no `outputs`"))?
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        match outputs.iter_mut().find(|(k, _)| k == "name") {
            Some((_, v)) => *v = Json::String(id.to_owned()),
            None => outputs.push(("name".into(), Json::String(id.to_owned()))),
        }
        let regions = p
            .get("regions")
            .and_then(Json::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        out.push(Partition {
            id: id.to_owned(),
            outputs,
            region_regex,
            regions,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendored_file_parses() {
        let all = parse(PARTITIONS_JSON).unwrap();
        assert_eq!(all[0].id, "aws");
        assert!(all.len() >= 8);
    }

    #[test]
    fn regions_map_to_partitions() {
        let id = |r: Option<&str>| partition(r).id.as_str();
        assert_eq!(id(Some("us-west-2")), "aws");
        assert_eq!(id(Some("cn-north-1")), "aws-cn");
        assert_eq!(id(Some("us-gov-west-1")), "aws-us-gov");
        assert_eq!(id(Some("us-iso-east-1")), "aws-iso");
        assert_eq!(id(Some("us-isob-east-1")), "aws-iso-b");
        assert_eq!(id(Some("eu-isoe-west-1")), "aws-iso-e");
        assert_eq!(id(Some("us-isof-south-1")), "aws-iso-f");
        assert_eq!(id(Some("eusc-de-east-1")), "aws-eusc");
        // Listed pseudo-regions and unknown names.
        assert_eq!(id(Some("aws-cn-global")), "aws-cn");
        assert_eq!(id(Some("mars-east-1")), "aws");
        assert_eq!(id(None), "aws");
    }

    #[test]
    fn outputs_carry_the_name() {
        let cn = partition(Some("cn-north-1"));
        assert_eq!(cn.output("name"), Some(&Json::String("aws-cn".into())));
        assert_eq!(
            cn.output("dnsSuffix"),
            Some(&Json::String("amazonaws.com.cn".into()))
        );
        assert_eq!(cn.output("supportsFIPS"), Some(&Json::Bool(true)));
        assert_eq!(cn.output("nope"), None);
    }
}
