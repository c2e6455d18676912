#[test]
fn bench() {
    use std::sync::Arc;
    let c = Arc::new(tracebench_sim::generate(tracebench_sim::ScenarioKind::Ransomware, 1));
    let s = tracebench_sim::serve(c.clone(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let sweep = c.truth().roles.sweep_txid;
    let client = reqwest::blocking::Client::new();
    let p2sh = c.transactions().find(|t| t.input.iter().any(|i| i.script_sig.len() == 23)).unwrap().compute_txid();
    println!("{}", client.get(format!("{}/tx/{p2sh}", s.url())).send().unwrap().text().unwrap());
    println!("{}", client.get(format!("{}/block/{}", s.url(), c.blocks()[5].hash())).send().unwrap().text().unwrap());
    let url = format!("{}/tx/{sweep}", s.url());
    let start = std::time::Instant::now();
    let threads: Vec<_> = (0..4).map(|_| { let url = url.clone(); std::thread::spawn(move || { let cl = reqwest::blocking::Client::new(); for _ in 0..1000 { assert!(cl.get(&url).send().unwrap().status().is_success()); } }) }).collect();
    for t in threads { t.join().unwrap(); }
    println!("4000 requests in {:?}", start.elapsed());
}
