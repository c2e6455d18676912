//! Progress of a Bitcoin address history paged from Esplora (the sim over 127.0.0.1): each page
//! is reported as "page k of n · m of total transactions", the total known before paging from
//! `/address/:a`, counting up to it; a one-page history costs no extra request.

use std::sync::{Arc, Mutex};

use tracebench_core::api::{NewCase, Workbench};
use tracebench_core::source::policy::{HistoryProgress, ProgressEvent};
use tracebench_core::source::Connection;

use crate::util::{t0, Sim};

type Events = Arc<Mutex<Vec<ProgressEvent>>>;

fn workbench(sim: &Sim, dir: &std::path::Path) -> (Workbench, Events) {
    let mut wb = Workbench::create(
        &dir.join("h.tbcase"),
        NewCase {
            title: "History progress".into(),
            investigator: "I".into(),
            agency: "A".into(),
            network: Default::default(),
        },
        Some(sim.spec()),
        t0(),
    )
    .unwrap();
    let events: Events = Arc::default();
    let sink = events.clone();
    wb.connect_source(Some(Connection {
        progress: Some(Arc::new(move |e: ProgressEvent| {
            sink.lock().unwrap().push(e)
        })),
        ..Connection::new(sim.spec())
    }));
    (wb, events)
}

fn history_of(events: &Events, address: &str) -> Vec<HistoryProgress> {
    events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| e.history.clone())
        .filter(|h| h.address == address)
        .collect()
}

fn requests_done(wb: &Workbench) -> u64 {
    wb.source().unwrap().gate().progress().done
}

#[test]
fn a_multi_page_history_counts_pages_and_transactions_up_to_the_stated_total() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, events) = workbench(&sim, dir.path());
    // The sim's busiest address (a miner, 77 transactions: four pages of 25).
    let busy = sim
        .chain
        .addresses()
        .max_by_key(|a| (sim.chain.address_txids(a).len(), a.to_string()))
        .unwrap()
        .to_string();
    let total = sim.chain.address_txids(&busy).len() as u64;
    assert!(
        total > 50,
        "the test needs a history of three pages or more, the sim's busiest has {total}"
    );
    let pages = total.div_ceil(25);

    let before = requests_done(&wb);
    sim.rt.block_on(wb.add(&busy, t0())).unwrap();
    let seen = history_of(&events, &busy);
    let counts: Vec<(u64, Option<u64>, u64, Option<u64>)> = seen
        .iter()
        .map(|h| (h.pages, h.pages_total, h.txs, h.txs_total))
        .collect();
    let want: Vec<(u64, Option<u64>, u64, Option<u64>)> = (1..=pages)
        .map(|k| (k, Some(pages), (k * 25).min(total), Some(total)))
        .collect();
    assert_eq!(
        counts, want,
        "one event per page, counting pages and transactions up to the total the source stated \
         before paging"
    );
    assert_eq!(
        requests_done(&wb) - before,
        pages + 2,
        "the connection's network check (/block-height/0), the history's pages and one \
         /address/:a request for the total, nothing more"
    );
    let stored = wb
        .case()
        .address_txids(&wb.case().meta().chain, &busy)
        .unwrap();
    assert_eq!(
        stored.len() as u64,
        total,
        "the counted transactions are the ones stored"
    );
}

#[test]
fn a_one_page_history_reports_one_of_one_without_asking_for_the_count() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, events) = workbench(&sim, dir.path());
    let seed = sim.chain.seed_address().to_string();
    let total = sim.chain.address_txids(&seed).len() as u64;
    assert!(
        total < 25,
        "the seed's history fits one page ({total} transactions)"
    );
    let before = requests_done(&wb);
    sim.rt.block_on(wb.add(&seed, t0())).unwrap();
    let seen: Vec<(u64, Option<u64>, u64, Option<u64>)> = history_of(&events, &seed)
        .iter()
        .map(|h| (h.pages, h.pages_total, h.txs, h.txs_total))
        .collect();
    assert_eq!(
        seen,
        [(1, Some(1), total, Some(total))],
        "a history that ends on its first page is page 1 of 1 with every transaction"
    );
    assert_eq!(
        requests_done(&wb) - before,
        2,
        "a one-page history costs one request after the connection's network check: the count \
         is asked only when paging goes on"
    );
}
