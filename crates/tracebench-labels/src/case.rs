//! Labels applied to a case: screening every address of the case (recording which pack
//! versions it was checked against) and exposure of an address to categories of counterparty.
//!
//! Exposure reuses the core's haircut tracing ([`trace_until`]): the value an address received
//! (outgoing: where it went; incoming: where it came from), spread pro rata through the case's
//! transactions up to `hops` transactions, stopping at services (a labelled address of a
//! [`Category::is_service`] category, where the value that reached it is counted and not
//! followed further). A hop is one transaction: direct exposure is value reaching a labelled
//! address in the first transaction from the address (hop 1), indirect in later ones.
//!
//! A category that is not a service (sanctioned, ransomware, scam, hack, other) is counted
//! where its addresses are first reached on each trail: its exposure comes from a trace that
//! also stops at that category's addresses, so coins passing through two such addresses are
//! counted once. An address with labels of several categories counts in each of them.
//!
//! Decay (only when asked for): value reached at hop h counts (100 − P) % per hop after the
//! first, floored at each hop. Amounts are integer satoshi; shares are formatted from integers.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tracebench_core::analysis::trace::{
    trace_until, TaintModel, Trace, TraceDirection, TraceStart,
};
use tracebench_core::api::{
    AttributionRow, ExposureCategoryRow, ExposureRow, ReportExtras, Workbench,
};

use crate::category::Category;
use crate::error::LabelError;
use crate::screen::Hit;
use crate::store::LabelStore;

/// A label-pack version a screening used.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PackUse {
    pub pack_id: String,
    pub version: String,
}

/// The result of screening a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseScreening {
    /// Distinct addresses of the case screened (visible or not).
    pub screened: usize,
    /// Hits, sorted by address.
    pub hits: Vec<Hit>,
    /// The pack versions screened against, by pack id.
    pub packs: Vec<PackUse>,
}

/// Screens every address in the case (not only visible ones) and records in the case which
/// label-pack versions were used (so a report can say which lists it was checked against).
pub fn screen_case(
    wb: &mut Workbench,
    store: &LabelStore,
    now: DateTime<Utc>,
) -> Result<CaseScreening, LabelError> {
    let addresses = wb
        .case()
        .all_addresses()
        .map_err(tracebench_core::api::ApiError::from)?;
    let hits = store.screen(&addresses)?;
    let packs: Vec<PackUse> = store
        .packs()?
        .into_iter()
        .map(|p| PackUse {
            pack_id: p.id,
            version: p.version,
        })
        .collect();
    let pairs: Vec<(String, String)> = packs
        .iter()
        .map(|p| (p.pack_id.clone(), p.version.clone()))
        .collect();
    wb.record_label_packs(&pairs, now)?;
    Ok(CaseScreening {
        screened: addresses.len(),
        hits,
        packs,
    })
}

/// Which way exposure looks from the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Where the address's funds went.
    Outgoing,
    /// Where its funds came from.
    Incoming,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Outgoing => "outgoing",
            Direction::Incoming => "incoming",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposureOptions {
    /// At most this many transactions from the address.
    pub hops: u32,
    pub direction: Direction,
    /// Value reached at hop h counts (100 − P) % per hop after the first; `None`: no decay.
    pub decay_percent: Option<u32>,
}

/// Exposure of an address to each category reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exposure {
    pub address: String,
    pub direction: Direction,
    /// Satoshi traced from the address: every output it received in the case (the 100 %).
    pub total_sat: u64,
    /// By category (sanctioned, ransomware, … in [`Category`] order).
    pub categories: Vec<CategoryExposure>,
    /// The taint model: "haircut".
    pub model: String,
    pub hops: u32,
    pub decay_percent: Option<u32>,
}

impl Exposure {
    /// The row the report's exposure chapter prints (and `report verify` re-derives).
    pub fn into_row(self) -> ExposureRow {
        ExposureRow {
            address: self.address,
            direction: self.direction.as_str().to_string(),
            total_sat: self.total_sat,
            model: self.model,
            hops: self.hops,
            decay_percent: self.decay_percent,
            categories: self
                .categories
                .into_iter()
                .map(|c| ExposureCategoryRow {
                    category: c.category,
                    direct_sat: c.direct_sat,
                    indirect_sat: c.indirect_sat,
                    share: c.share,
                    min_hops: c.min_hops,
                    via: c.via,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryExposure {
    pub category: String,
    /// Satoshi reaching the category in the first transaction (hop 1).
    pub direct_sat: u64,
    /// Satoshi reaching it in later transactions (after decay, when asked for).
    pub indirect_sat: u64,
    /// (direct + indirect) / total, floored to hundredths of a percent: "12.34%".
    pub share: String,
    /// The nearest hop at which the category was reached.
    pub min_hops: u32,
    /// The labelled addresses reached, sorted.
    pub via: Vec<String>,
}

/// `part / total` as a percentage with two decimals, floored, from integers only.
pub fn share(part: u64, total: u64) -> String {
    if total == 0 {
        return "0.00%".to_string();
    }
    let bp = u128::from(part) * 10_000 / u128::from(total);
    format!("{}.{:02}%", bp / 100, bp % 100)
}

/// `amount` decayed by `percent` per hop after the first, floored at each hop.
fn decayed(amount: u64, hop: u32, percent: Option<u32>) -> u64 {
    let Some(p) = percent else {
        return amount;
    };
    let keep = u128::from(100u32.saturating_sub(p));
    let mut a = u128::from(amount);
    for _ in 1..hop {
        a = a * keep / 100;
    }
    a as u64
}

/// Direct and indirect exposure of `address` to each labelled category (see the module docs).
pub fn exposure(
    wb: &Workbench,
    store: &LabelStore,
    address: &str,
    opts: &ExposureOptions,
) -> Result<Exposure, LabelError> {
    if let Some(p) = opts.decay_percent.filter(|p| *p > 100) {
        return Err(LabelError::Options(format!(
            "decay {p} % per hop is more than 100 %"
        )));
    }
    let case = wb.case();
    let txs = case
        .all_txs()
        .map_err(tracebench_core::api::ApiError::from)?;
    let addresses = case
        .all_addresses()
        .map_err(tracebench_core::api::ApiError::from)?;
    let mut categories_of: BTreeMap<String, BTreeSet<Category>> = BTreeMap::new();
    for h in store.screen(&addresses)? {
        categories_of
            .entry(h.address)
            .or_default()
            .insert(h.category);
    }
    let services: BTreeSet<String> = categories_of
        .iter()
        .filter(|(_, cats)| cats.iter().any(|c| c.is_service()))
        .map(|(a, _)| a.clone())
        .collect();
    let direction = match opts.direction {
        Direction::Outgoing => TraceDirection::Forward,
        Direction::Incoming => TraceDirection::Backward,
    };
    // An entity (`cluster:<address>`: the id `tracebench cluster` prints, or `cluster:` and any
    // member address, as `tracebench paths` takes them) starts from every output its members
    // received; its own members are not counted as exposure.
    let (start, members) = match address.strip_prefix("cluster:") {
        Some(member) => {
            let clustering = wb.clusters()?;
            let cluster = clustering
                .clusters
                .into_iter()
                .find(|c| c.id == address || c.addresses.iter().any(|a| a == member))
                .ok_or_else(|| {
                    LabelError::Options(format!(
                        "{address} is neither a cluster of this case nor the cluster of one of \
                         its addresses (see `tracebench cluster`)"
                    ))
                })?;
            (
                TraceStart::Entity {
                    id: cluster.id.clone(),
                    members: cluster.addresses.clone(),
                },
                cluster.addresses.into_iter().collect::<BTreeSet<String>>(),
            )
        }
        None => (
            TraceStart::Address(address.to_string()),
            BTreeSet::from([address.to_string()]),
        ),
    };
    let run = |stop: &BTreeSet<String>| -> Result<Trace, LabelError> {
        Ok(trace_until(
            &txs,
            &start,
            TaintModel::Haircut,
            direction,
            opts.hops,
            stop,
        )?)
    };
    let base = run(&services)?;
    let reached: BTreeSet<Category> = base
        .outputs
        .iter()
        .filter(|o| o.hop > 0 && o.tainted > 0)
        .filter_map(|o| o.address.as_ref().filter(|a| !members.contains(*a)))
        .filter_map(|a| categories_of.get(a))
        .flatten()
        .copied()
        .collect();
    let mut out = Vec::new();
    for cat in reached {
        let own;
        let t = if cat.is_service() {
            &base
        } else {
            let mut stop = services.clone();
            stop.extend(
                categories_of
                    .iter()
                    .filter(|(_, cs)| cs.contains(&cat))
                    .map(|(a, _)| a.clone()),
            );
            own = run(&stop)?;
            &own
        };
        let (mut direct, mut indirect, mut min_hops) = (0u64, 0u64, u32::MAX);
        let mut via: BTreeSet<String> = BTreeSet::new();
        for o in t.outputs.iter().filter(|o| o.hop > 0 && o.tainted > 0) {
            let Some(a) = &o.address else { continue };
            if members.contains(a) || !categories_of.get(a).is_some_and(|cs| cs.contains(&cat)) {
                continue;
            }
            let amount = decayed(o.tainted, o.hop, opts.decay_percent);
            if o.hop == 1 {
                direct += amount;
            } else {
                indirect += amount;
            }
            min_hops = min_hops.min(o.hop);
            via.insert(a.clone());
        }
        if via.is_empty() {
            continue;
        }
        out.push(CategoryExposure {
            category: cat.as_str().to_string(),
            direct_sat: direct,
            indirect_sat: indirect,
            share: share(direct + indirect, base.conservation.seeded),
            min_hops,
            via: via.into_iter().collect(),
        });
    }
    Ok(Exposure {
        address: address.to_string(),
        direction: opts.direction,
        total_sat: base.conservation.seeded,
        categories: out,
        model: TaintModel::Haircut.as_str().to_string(),
        hops: opts.hops,
        decay_percent: opts.decay_percent,
    })
}

/// What a report adds from the label store: the case screened against it (its hits as
/// attributions, with source, date and confidence; the pack versions used, recorded in the case)
/// and the outgoing exposure of each address or entity in `exposures`. The CLI and the app both
/// call this, so a label reaches the report the same way from either.
pub fn report_extras(
    wb: &mut Workbench,
    store: &LabelStore,
    exposures: &[String],
    hops: u32,
    now: DateTime<Utc>,
) -> Result<ReportExtras, LabelError> {
    let screening = screen_case(wb, store, now)?;
    let attributions = screening
        .hits
        .iter()
        .map(|h| AttributionRow {
            address: h.address.clone(),
            label: h.label.clone(),
            category: h.category.as_str().to_string(),
            source: h.source.clone(),
            source_date: h.source_date.clone(),
            confidence: h.confidence,
        })
        .collect();
    let mut rows = Vec::new();
    for address in exposures {
        let opts = ExposureOptions {
            hops,
            direction: Direction::Outgoing,
            decay_percent: None,
        };
        let e = exposure(wb, store, address, &opts)?;
        rows.push(e.into_row());
    }
    let note = if screening.packs.is_empty() {
        "no label packs (analyst labels only)".to_string()
    } else {
        screening
            .packs
            .iter()
            .map(|p| format!("{} {}", p.pack_id, p.version))
            .collect::<Vec<_>>()
            .join("; ")
    };
    Ok(ReportExtras {
        attributions,
        exposures: rows,
        label_packs_note: Some(note),
    })
}

#[cfg(test)]
mod tests {
    use super::{decayed, share};

    #[test]
    fn shares_are_floored_hundredths_of_a_percent_from_integers() {
        assert_eq!(share(1234, 10_000), "12.34%", "exact");
        assert_eq!(share(1, 3), "33.33%", "floored, not rounded");
        assert_eq!(share(5, 5), "100.00%", "all of it");
        assert_eq!(share(0, 0), "0.00%", "nothing traced: no share");
    }

    #[test]
    fn decay_applies_per_hop_after_the_first_only_when_asked() {
        assert_eq!(decayed(1000, 3, None), 1000, "no decay unless asked");
        assert_eq!(decayed(1000, 1, Some(10)), 1000, "direct: undecayed");
        assert_eq!(
            decayed(1000, 3, Some(10)),
            810,
            "two hops after the first: 0.9 × 0.9"
        );
        assert_eq!(
            decayed(1000, 2, Some(100)),
            0,
            "100 % decay keeps only direct"
        );
    }
}
