//! Attribution data in the case (schema 4): label-pack use and exchange records.

use tracebench_core::api::{NewCase, Workbench};
use tracebench_core::model::Tx;

use crate::util::{t0, Sim};

fn new_case(dir: &std::path::Path, sim: Option<&Sim>) -> (std::path::PathBuf, Workbench) {
    let path = dir.join("a.tbcase");
    let wb = Workbench::create(
        &path,
        NewCase {
            title: "Attribution".into(),
            investigator: "I".into(),
            agency: "A".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        sim.map(Sim::spec),
        t0(),
    )
    .unwrap();
    (path, wb)
}

#[test]
fn a_schema_3_case_is_migrated_and_records_label_packs() {
    let dir = tempfile::tempdir().unwrap();
    let (path, wb) = new_case(dir.path(), None);
    drop(wb);
    {
        // Make it look like a case written before attribution existed (schema 3).
        crate::util::rewind_to_schema(&path, 3);
    }
    tracebench_core::store::check(&path).expect("the read-only check accepts schema 3");
    let mut wb = Workbench::open(&path, None).expect("a schema 3 case opens and is migrated");
    let packs = vec![
        (
            "ofac-sdn:XBT".to_string(),
            "2026-01-01.abcdef01".to_string(),
        ),
        ("csv:local".to_string(), "2026-02-01.01234567".to_string()),
    ];
    wb.record_label_packs(&packs, t0()).unwrap();
    let later = t0() + chrono::Duration::days(1);
    wb.record_label_packs(&packs[..1], later).unwrap();
    let got = wb.label_packs().unwrap();
    assert_eq!(
        got,
        vec![
            (
                "csv:local".to_string(),
                "2026-02-01.01234567".to_string(),
                "2026-11-21T12:00:00Z".to_string()
            ),
            (
                "ofac-sdn:XBT".to_string(),
                "2026-01-01.abcdef01".to_string(),
                "2026-11-21T12:00:00Z".to_string()
            ),
        ],
        "each pack version recorded once, with its first use, sorted by pack id"
    );
    drop(wb);
    let c = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(
        v,
        tracebench_core::store::schema_version(),
        "the case is migrated to the newest schema (4 added label_pack_use and exchange_record)"
    );
}

/// A case holding the sim's seed address and one hop around it.
fn sim_case(dir: &std::path::Path) -> (Sim, Workbench, Vec<Tx>) {
    let sim = Sim::start();
    let (_, mut wb) = new_case(dir, Some(&sim));
    let seed = sim.chain.seed_address().to_string();
    let added = sim.rt.block_on(wb.add(&seed, t0())).unwrap();
    sim.rt.block_on(wb.expand(&added.node_id, 2, t0())).unwrap();
    let txs = wb.case().all_txs().unwrap();
    (sim, wb, txs)
}

#[test]
fn exchange_records_import_whole_link_to_the_case_and_are_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let (_sim, mut wb, txs) = sim_case(dir.path());
    // A transaction of the case and an address it pays: a deposit the exchange saw.
    let tx = txs
        .iter()
        .find(|t| t.outputs.iter().any(|o| o.address.is_some()))
        .unwrap();
    let out = tx.outputs.iter().find(|o| o.address.is_some()).unwrap();
    let paid = out.address.clone().unwrap();
    let outside_txid = "ab".repeat(32);
    let csv = format!(
        "account_id,address,txid,amount,time,direction\n\
         U-1,{paid},{txid},0.12345678,2026-03-01 10:00:00,\n\
         U-1,{paid},{outside_txid},21000000,2026-03-02T11:00:00+02:00,withdrawal\n\
         U-2,1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,{outside_txid},0.00000001,2026-03-03T00:00:00Z,deposit\n",
        txid = tx.txid
    );
    let r = wb
        .import_exchange_file(csv.as_bytes(), "Example Exchange", "answer.csv", t0())
        .unwrap();
    assert!(r.invalid.is_empty(), "every line is valid: {:?}", r.invalid);
    assert_eq!(r.rows, 3, "three records imported");
    assert_eq!(r.linked, 2, "two name an address or txid of the case");
    let rows = wb.exchange_records().unwrap();
    assert_eq!(
        rows.iter().map(|r| r.amount_sat).collect::<Vec<_>>(),
        vec![12_345_678, 2_100_000_000_000_000, 1],
        "BTC amounts become exact satoshi (no float rounding), in time order"
    );
    assert_eq!(
        rows[0].direction, "deposit",
        "an empty direction is inferred: the address receives in the tx"
    );
    assert_eq!(
        rows[1].time_utc, "2026-03-02T09:00:00Z",
        "times are stored in UTC"
    );
    assert_eq!(
        rows.iter().map(|r| r.on_chain).collect::<Vec<_>>(),
        vec![true, true, false],
        "records are linked to the case's nodes by address or txid"
    );
    let raw = wb
        .case()
        .raw_responses()
        .unwrap()
        .into_iter()
        .find(|r| r.source_id == "exchange:Example Exchange")
        .expect("the file is stored as evidence with its source");
    assert_eq!(
        raw.endpoint, "import:answer.csv",
        "provenance names the file"
    );
    assert_eq!(
        raw.sha256,
        tracebench_core::store::sha256_hex(csv.as_bytes()),
        "with the SHA-256 of the exact bytes"
    );
    assert_eq!(r.sha256, raw.sha256, "the import reports that hash");
    let again = wb.import_exchange_file(csv.as_bytes(), "Example Exchange", "answer.csv", t0());
    assert!(again.is_err(), "the same file is not imported twice");

    // amount_sat instead of amount.
    let csv2 = format!(
        "txid,address,account_id,amount_sat,time,direction\n{},{paid},U-9,5000,2026-04-01T00:00:00Z,deposit\n",
        tx.txid
    );
    let r2 = wb
        .import_exchange_records(csv2.as_bytes(), "Other Exchange", t0())
        .unwrap();
    assert_eq!(r2.rows, 1, "columns in any order, integer satoshi accepted");
    assert_eq!(wb.exchange_records().unwrap().len(), 4, "four records now");
}

#[test]
fn one_bad_line_imports_nothing_and_is_named_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let (_sim, mut wb, txs) = sim_case(dir.path());
    let tx = &txs[0];
    let good = tx.outputs.iter().find_map(|o| o.address.clone()).unwrap();
    let raws_before = wb.case().raw_responses().unwrap().len();
    let csv = format!(
        "account_id,address,txid,amount,time,direction\n\
         U-1,{good},{txid},0.5,2026-03-01 10:00:00,deposit\n\
         U-1,{good},{txid},0.123456789,2026-03-01 10:00:00,deposit\n\
         U-1,not-an-address,{txid},1,2026-03-01 10:00:00,deposit\n\
         U-1,{good},xyz,1,2026-03-01 10:00:00,deposit\n\
         U-1,{good},{txid},1,yesterday,deposit\n",
        txid = tx.txid
    );
    let r = wb
        .import_exchange_records(csv.as_bytes(), "Example Exchange", t0())
        .unwrap();
    assert_eq!(
        r.invalid.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        vec![3, 4, 5, 6],
        "each bad line is named by its line in the file: {:?}",
        r.invalid
    );
    assert!(
        r.invalid[0].1.contains("8 decimals"),
        "the reason says what is wrong: {}",
        r.invalid[0].1
    );
    assert_eq!(r.rows, 0, "nothing imported");
    assert!(
        wb.exchange_records().unwrap().is_empty(),
        "not even the good line"
    );
    assert_eq!(
        wb.case().raw_responses().unwrap().len(),
        raws_before,
        "and the file is not stored"
    );
}
