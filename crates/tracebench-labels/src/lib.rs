//! Attribution labels for Tracebench: the label store (`labels.sqlite`), the built-in pack
//! (OFAC SDN lists, GraphSense TagPacks, ransomware lists), imports (TagPack YAML, CSV, OFAC,
//! Etherscan JSON) and sanctions/category screening.
//!
//! Every label carries its source, source date and confidence (0–100); imported labels live in
//! versioned packs, analyst labels in a table of their own; conflicting labels for one address
//! are all kept. Knows nothing of cases, the CLI or the UI.

pub mod address;
pub mod builtin;
pub mod case;
pub mod category;
pub mod chain;
mod error;
pub mod import;
mod label;
pub mod screen;
mod store;

pub use case::{
    exposure, report_extras, screen_case, CaseScreening, CategoryExposure, Direction, Exposure,
    ExposureOptions, PackUse,
};
pub use category::Category;
pub use error::LabelError;
/// The crate's error, by the name the app uses.
pub type LabelsError = LabelError;
pub use import::{parse, Parsed, SourceFile};
pub use label::{Conflict, Format, ImportReport, InvalidLine, Label, Pack, StoredLabel};
pub use screen::{read_addresses, Hit};
pub use store::{check, schema_version, AnalystLabel, Builtin, LabelStore, APPLICATION_ID};
