//! The sensitivity annex (optional per report): which conclusions change when one heuristic is
//! switched, from the analysis engine's sensitivity check. Clustering: per heuristic toggled,
//! the clusters that split and those that form, with the addresses that move. Tracing: per
//! trace and toggle, the destinations that gain or lose tainted value, in exact satoshi. Every
//! statement is an inference (a heuristic's consequence), styled as such.

use serde::{Deserialize, Serialize};

use crate::display;
use crate::exhibit::{Exhibit, Voice, TEXT_LEADING, TEXT_PT};
use crate::sheet::Ink;
use crate::table::{self, Column};
use crate::typeset::Face;

pub const TITLE: &str = "Annex · Sensitivity of the conclusions";

/// What the engine's sensitivity check found for this case.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportSensitivity {
    /// The clustering profile of the baseline (the report's clustering), e.g. "conservative".
    pub profile: String,
    /// The baseline's heuristics, as the engine names them.
    pub heuristics: Vec<String>,
    /// Clusters in the baseline.
    pub clusters: usize,
    /// One entry per heuristic toggled, in the engine's fixed order.
    pub cluster_toggles: Vec<SensitivityClusterToggle>,
    /// One entry per trace checked (from each seed address of the case).
    pub traces: Vec<SensitivityTrace>,
    /// Seeds no trace could start from, each with the reason.
    #[serde(default)]
    pub untraced: Vec<String>,
}

/// A clustering re-run with one heuristic toggled.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SensitivityClusterToggle {
    pub heuristic: String,
    /// True: switched on (the baseline had it off); false: switched off.
    pub enabled: bool,
    /// Clusters with the toggle.
    pub clusters: usize,
    pub splits: Vec<SensitivityShift>,
    pub merges: Vec<SensitivityShift>,
}

/// A cluster that splits (a baseline cluster) or forms (a cluster of the variant).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SensitivityShift {
    pub cluster: String,
    /// How many groups its addresses are (or were) spread over.
    pub parts: usize,
    /// The addresses that move, sorted.
    pub moved: Vec<String>,
}

/// A trace and what each toggle changes about where its taint comes to rest.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SensitivityTrace {
    /// Where the trace starts: an address or `txid:vout`.
    pub start: String,
    /// The baseline taint model, e.g. "haircut".
    pub model: String,
    /// "forward" or "backward".
    pub direction: String,
    pub hops: u32,
    /// Destinations of the baseline.
    pub destinations: usize,
    pub toggles: Vec<SensitivityTraceToggle>,
}

/// A trace re-run with one heuristic toggled (another taint model, or stopping at CoinJoins).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SensitivityTraceToggle {
    pub heuristic: String,
    pub enabled: bool,
    pub gains: Vec<SensitivityAmount>,
    pub losses: Vec<SensitivityAmount>,
}

/// A destination whose tainted amount differs: before (baseline) and after, in satoshi.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SensitivityAmount {
    pub address: String,
    pub before_sat: u64,
    pub after_sat: u64,
}

fn text(ex: &mut Exhibit, body: &str) {
    ex.paragraph(Face::Regular, TEXT_PT, TEXT_LEADING, 0.0, body, Ink::Black);
    ex.space(1.5);
}

fn switched(heuristic: &str, enabled: bool) -> String {
    format!(
        "{} switched {}",
        display::one_line(heuristic),
        if enabled { "on" } else { "off" }
    )
}

/// The reading guide printed at the head of the annex.
pub const READING_GUIDE: &str = "How to read this annex. Each conclusion below was re-derived \
    by the engine with one heuristic switched relative to the settings the report uses (off \
    when the report has it on, on when off), everything else unchanged. A heuristic whose \
    toggle changes nothing does not carry any conclusion on its own. Where a toggle changes \
    something, the conclusion depends on that heuristic and is only as reliable as the \
    heuristic's measured error rate (see the methodology): a cluster that splits when a change \
    heuristic is switched off rests on that heuristic; a destination that loses tainted value \
    under another taint model depends on the model chosen. Amounts are exact satoshi. These \
    are inferences, not on-chain facts.";

pub fn write(ex: &mut Exhibit, s: &ReportSensitivity) {
    ex.chapter(TITLE);
    text(ex, READING_GUIDE);

    ex.subheading("Clustering", 3.0 * TEXT_LEADING);
    text(
        ex,
        &format!(
            "Baseline: profile {} ({}), the analyst's vetoes applied: {} cluster(s).",
            display::one_line(&s.profile),
            display::one_line(&s.heuristics.join(", ")),
            s.clusters
        ),
    );
    for t in &s.cluster_toggles {
        let head = switched(&t.heuristic, t.enabled);
        if t.splits.is_empty() && t.merges.is_empty() {
            ex.claim(
                Voice::Inference,
                &format!("{head}: no cluster changes ({} cluster(s)).", t.clusters),
            );
            continue;
        }
        ex.claim(
            Voice::Inference,
            &format!(
                "{head}: {} cluster(s) instead of {}; {} split, {} form.",
                t.clusters,
                s.clusters,
                t.splits.len(),
                t.merges.len()
            ),
        );
        for sh in &t.splits {
            ex.claim(
                Voice::Inference,
                &format!(
                    "Cluster {} splits into {} parts; moved: {}.",
                    display::one_line(&sh.cluster),
                    sh.parts,
                    display::one_line(&sh.moved.join(", "))
                ),
            );
        }
        for sh in &t.merges {
            ex.claim(
                Voice::Inference,
                &format!(
                    "Cluster {} forms from {} groups; moved: {}.",
                    display::one_line(&sh.cluster),
                    sh.parts,
                    display::one_line(&sh.moved.join(", "))
                ),
            );
        }
    }

    ex.subheading("Tracing", 3.0 * TEXT_LEADING);
    if s.traces.is_empty() {
        text(
            ex,
            "No trace was checked: the case has no seed address or output to trace from.",
        );
    }
    for reason in &s.untraced {
        ex.claim(
            Voice::Inference,
            &format!("Not traced: {}.", display::one_line(reason)),
        );
    }
    for trace in &s.traces {
        ex.subheading(
            &format!(
                "Trace from {} ({}, {}, {} hops)",
                display::short_id(&trace.start),
                trace.model,
                trace.direction,
                trace.hops
            ),
            3.0 * TEXT_LEADING,
        );
        text(
            ex,
            &format!(
                "Baseline: {} {} trace of {} hop(s) from {}: taint comes to rest at {} \
                 destination(s).",
                trace.model,
                trace.direction,
                trace.hops,
                display::one_line(&trace.start),
                trace.destinations
            ),
        );
        for t in &trace.toggles {
            let head = switched(&t.heuristic, t.enabled);
            if t.gains.is_empty() && t.losses.is_empty() {
                ex.claim(
                    Voice::Inference,
                    &format!("{head}: no destination changes."),
                );
                continue;
            }
            ex.claim(
                Voice::Inference,
                &format!(
                    "{head}: {} destination(s) gain, {} lose tainted value.",
                    t.gains.len(),
                    t.losses.len()
                ),
            );
            amounts(ex, &t.gains, &t.losses);
        }
    }
}

fn amounts(ex: &mut Exhibit, gains: &[SensitivityAmount], losses: &[SensitivityAmount]) {
    let columns = [
        Column {
            title: "Destination",
            width: 74.0,
            face: Face::Mono,
            right: false,
        },
        Column {
            title: "",
            width: 12.0,
            face: Face::Regular,
            right: false,
        },
        Column {
            title: "Before (sat)",
            width: 30.0,
            face: Face::Mono,
            right: true,
        },
        Column {
            title: "After (sat)",
            width: 30.0,
            face: Face::Mono,
            right: true,
        },
        Column {
            title: "Change (BTC)",
            width: 28.0,
            face: Face::Mono,
            right: true,
        },
    ];
    let rows: Vec<Vec<String>> = gains
        .iter()
        .map(|a| ("gains", a, '+', a.after_sat.saturating_sub(a.before_sat)))
        .chain(
            losses
                .iter()
                .map(|a| ("loses", a, '-', a.before_sat.saturating_sub(a.after_sat))),
        )
        .map(|(verb, a, sign, change)| {
            vec![
                display::one_line(&a.address),
                verb.to_string(),
                a.before_sat.to_string(),
                a.after_sat.to_string(),
                format!("{sign}{}", display::btc(change)),
            ]
        })
        .collect();
    table::draw(ex, &columns, &rows);
}
