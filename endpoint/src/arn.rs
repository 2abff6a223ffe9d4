//! `aws.parseArn`: an ARN split into its fields.

/// A parsed ARN (`arn:partition:service:region:account-id:resource`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    /// May be empty (global resources).
    pub region: String,
    /// May be empty.
    pub account_id: String,
    /// The resource split on `:` and `/` (`accesspoint/my-ap` → `["accesspoint", "my-ap"]`).
    pub resource_id: Vec<String>,
}

/// Parses `value` as botocore does: it must start with `arn:` and have six
/// `:`-separated fields (the last one keeps any further colons); partition,
/// service and resource must be non-empty. `None` when it is not an ARN.
pub fn parse_arn(value: &str) -> Option<Arn> {
    let rest = value.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fields_and_resource_parts() {
        let arn = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap:x").unwrap();
        assert_eq!(arn.partition, "aws");
        assert_eq!(arn.service, "s3");
        assert_eq!(arn.region, "us-west-2");
        assert_eq!(arn.account_id, "123456789012");
        assert_eq!(arn.resource_id, ["accesspoint", "my-ap", "x"]);
        let global = parse_arn("arn:aws:iam:::role/r").unwrap();
        assert_eq!(
            (global.region.as_str(), global.account_id.as_str()),
            ("", "")
        );
        assert_eq!(global.resource_id, ["role", "r"]);
    }

    #[test]
    fn rejects_non_arns() {
        for bad in [
            "",
            "arn",
            "arn:aws:s3:us-west-2:123",
            "arn::s3:r:a:res",
            "arn:aws::r:a:res",
            "arn:aws:s3:r:a:",
            "urn:aws:s3:r:a:res",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad}");
        }
    }
}
