//! The generated sqs crates (json, awsQueryCompatible) — the one from
//! botocore's `service-2.json` and the one from the Smithy model in
//! `../shared/smithy-models/` — pass the same cases: the model's only
//! constraints are enums — as members, list elements and map keys — plus
//! string enum round trips and output defaults.

/// The crate generated from botocore's model.
mod botocore {
    use botogen_sqs as sqs;
    include!("services/sqs.rs");
}

/// The crate generated from the Smithy model.
mod smithy {
    use botogen_sqs_smithy as sqs;
    include!("services/sqs.rs");
}
