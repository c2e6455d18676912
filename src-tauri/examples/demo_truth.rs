//! Prints the ground truth of the demo's synthetic chain (ransomware, seed 1) as JSON.
//!
//! The WebDriver tests (tests/webdriver) read it to pick an address of the demo case that is
//! not on the canvas yet: the same chain the app serves to itself with `--demo`.

fn main() -> anyhow::Result<()> {
    let chain = tracebench_sim::generate(tracebench_sim::ScenarioKind::Ransomware, 1);
    println!("{}", serde_json::to_string_pretty(&chain.truth())?);
    Ok(())
}
