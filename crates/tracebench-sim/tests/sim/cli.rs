//! The `tracebench-sim` binary: `generate --network` with the meaning and the error of
//! `tracebench sim serve|truth --network` (the same parser, `BtcNetwork`'s `FromStr`).

use std::process::Command;

use tracebench_core::api::Workbench;
use tracebench_core::chain::BtcNetwork;

fn sim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tracebench-sim"))
}

fn generate(out: &std::path::Path, network: Option<&str>) -> std::process::Output {
    let mut cmd = sim();
    cmd.args(["generate", "--txs", "300", "--seed", "3", "--out"])
        .arg(out);
    if let Some(n) = network {
        cmd.args(["--network", n]);
    }
    cmd.output().expect("tracebench-sim runs")
}

fn addresses(path: &std::path::Path) -> Vec<String> {
    let wb = Workbench::open(path, None).expect("the generated case opens");
    let mut out: Vec<String> = wb
        .case()
        .all_txs()
        .expect("transactions")
        .iter()
        .flat_map(|t| t.outputs.iter().filter_map(|o| o.address.clone()))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn generate_on_testnet_makes_a_testnet_case_with_testnet_addresses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let main_path = dir.path().join("main.tbcase");
    let test_path = dir.path().join("test.tbcase");
    let out = generate(&main_path, None);
    assert!(out.status.success(), "mainnet generate: {out:?}");
    let out = generate(&test_path, Some("testnet"));
    assert!(out.status.success(), "testnet generate: {out:?}");

    let wb = Workbench::open(&test_path, None).expect("opens");
    assert_eq!(
        wb.network(),
        BtcNetwork::Testnet,
        "--network testnet makes a testnet case"
    );
    drop(wb);
    let (main, test) = (addresses(&main_path), addresses(&test_path));
    assert!(!test.is_empty(), "the case has addresses");
    assert!(
        test.iter()
            .all(|a| a.starts_with("tb1") || a.starts_with(['m', 'n', '2'])),
        "every address is encoded for testnet: {:?}",
        &test[..3]
    );
    assert!(
        main.iter()
            .all(|a| a.starts_with("bc1") || a.starts_with(['1', '3'])),
        "without --network the case stays on mainnet: {:?}",
        &main[..3]
    );
    assert_eq!(
        main.len(),
        test.len(),
        "the same chain in another encoding: as many addresses on both networks"
    );
}

#[test]
fn an_unknown_network_is_refused_by_name_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("x.tbcase");
    let out = generate(&path, Some("testnet4"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && stderr.contains("'testnet4' is not a Bitcoin network")
            && stderr.contains("--network"),
        "the bad value and the flag are named, as `tracebench sim --network` names them: {stderr}"
    );
    assert!(!path.exists(), "no case file is created for a refused flag");
}
