//! Which chapters an exhibit contains: the examiner may leave out optional chapters; the ones
//! that make the exhibit auditable (cover, scope with the summary, audit-log excerpt, data
//! provenance, integrity) cannot be left out. The choice is part of [`ReportSettings`], so it is
//! in the settings hash and `report verify` knows it.
//!
//! [`ReportSettings`]: crate::ReportSettings

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::exhibit::{Exhibit, Voice};

/// A chapter the examiner may leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// The money-flow graph figures.
    Figures,
    /// The hop-by-hop narrative.
    Narrative,
    /// The methodology (sources, heuristics, error rates, limitations).
    Methodology,
    /// The exposure analyses (printed only when some were asked for).
    Exposure,
    /// The analyst's notes.
    Notes,
    /// Appendix A, the full transaction table.
    Transactions,
    /// Appendix B, cluster membership.
    Clusters,
    /// Appendix C, the attribution register.
    Attributions,
    /// Appendix F, the coverage statement.
    Coverage,
}

impl Section {
    /// Every optional chapter, in the order the exhibit prints them.
    pub const ALL: [Section; 9] = [
        Section::Figures,
        Section::Narrative,
        Section::Methodology,
        Section::Exposure,
        Section::Notes,
        Section::Transactions,
        Section::Clusters,
        Section::Attributions,
        Section::Coverage,
    ];

    /// The name the command line and the app use (`figures`, `transactions`, …).
    pub fn key(self) -> &'static str {
        match self {
            Section::Figures => "figures",
            Section::Narrative => "narrative",
            Section::Methodology => "methodology",
            Section::Exposure => "exposure",
            Section::Notes => "notes",
            Section::Transactions => "transactions",
            Section::Clusters => "clusters",
            Section::Attributions => "attributions",
            Section::Coverage => "coverage",
        }
    }

    /// The chapter's title as printed.
    pub fn title(self) -> &'static str {
        match self {
            Section::Figures => "Money-flow figures",
            Section::Narrative => crate::narrative::TITLE,
            Section::Methodology => crate::method::TITLE,
            Section::Exposure => crate::attribution::EXPOSURE,
            Section::Notes => crate::findings::NOTES,
            Section::Transactions => crate::transactions::TITLE,
            Section::Clusters => crate::findings::CLUSTERS,
            Section::Attributions => crate::attribution::REGISTER,
            Section::Coverage => crate::coverage::TITLE,
        }
    }

    /// The section named `key`, or `None`.
    pub fn parse(key: &str) -> Option<Section> {
        let key = key.trim().to_ascii_lowercase();
        Section::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// A chapter that every exhibit contains, and why it cannot be left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MandatorySection {
    pub title: &'static str,
    pub why: &'static str,
}

/// The chapters no exhibit may leave out, with the reason.
pub const MANDATORY: [MandatorySection; 5] = [
    MandatorySection {
        title: "Cover",
        why: "identifies the case, the exhibit, the examiner, the tool and its build",
    },
    MandatorySection {
        title: "Scope and summary",
        why: "states the question asked, where each seed came from and the analyst's summary",
    },
    MandatorySection {
        title: crate::audit::TITLE,
        why: "shows every analyst action behind the exhibit, chained by hash",
    },
    MandatorySection {
        title: crate::provenance::TITLE,
        why: "ties every figure to the exact bytes a source returned (SHA-256)",
    },
    MandatorySection {
        title: crate::integrity::TITLE,
        why: "prints the content hash and audit head a reader verifies the exhibit against",
    },
];

/// Whether `section` is printed under these settings.
pub fn shown(omit: &BTreeSet<Section>, section: Section) -> bool {
    !omit.contains(&section)
}

/// States, in the scope, which optional chapters the examiner left out, so a reader knows the
/// gap is a choice and not a failure.
pub fn statement(ex: &mut Exhibit, omit: &BTreeSet<Section>) {
    if omit.is_empty() {
        return;
    }
    let titles: Vec<&str> = Section::ALL
        .into_iter()
        .filter(|s| omit.contains(s))
        .map(Section::title)
        .collect();
    ex.claim(
        Voice::Note,
        &format!(
            "Left out of this exhibit at the examiner's choice: {}. The exhibit's seal still \
             covers every transaction, cluster and note of the case, and `tracebench report \
             verify` checks them all.",
            titles.join("; ")
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_parses_from_its_key() {
        for s in Section::ALL {
            assert_eq!(Section::parse(s.key()), Some(s), "{} round-trips", s.key());
            assert_eq!(
                serde_json::to_value(s).expect("serialises"),
                serde_json::Value::String(s.key().to_string()),
                "the JSON name is the command-line key, so stored settings read back"
            );
        }
        assert_eq!(
            Section::parse("cover"),
            None,
            "mandatory chapters are not sections one can leave out"
        );
    }
}
