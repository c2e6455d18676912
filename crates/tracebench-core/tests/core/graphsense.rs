//! GraphSense REST as a source: entity and tags of an address, kept as evidence, the API key
//! sent but never stored. The loopback server answers in GraphSense's REST shapes; its tag is the
//! real TagPack entry for 3LU8wRu4… (graphsense-tagpacks packs/lazarus2.yaml, FBI 2023-08-22
//! attribution), its entity id is the instance's own number.

use std::time::Duration;

use tracebench_core::api::{NewCase, SourceSpec, Workbench};
use tracebench_core::source::graphsense::GraphSense;
use tracebench_core::source::policy::{Gate, Policy};
use tracebench_core::source::{Clock, SourceError};

use crate::loopback::{Loopback, Reply};
use crate::util::{current_rt, file_digest, t0};

const ADDRESS: &str = "3LU8wRu4ZnXP4UM8Yo6kkTiGHM9BubgyiG";
const KEY: &str = "gs-api-key-8c41e0d2";

fn server(tags: &'static str) -> Loopback {
    Loopback::serve(move |r| {
        if r.header("authorization") != Some(KEY) {
            return Reply::json(401, r#"{"detail":"Unauthorized"}"#);
        }
        let base = format!("/btc/addresses/{ADDRESS}");
        if r.path == base {
            Reply::json(
                200,
                format!(
                    r#"{{"address":"{ADDRESS}","currency":"btc","entity":271828,"balance":{{"value":0,"fiat_values":[]}},"no_incoming_txs":3,"no_outgoing_txs":3,"in_degree":2,"out_degree":2,"status":"clean"}}"#
                ),
            )
        } else if r.path == format!("{base}/entity") {
            Reply::json(
                200,
                format!(
                    r#"{{"entity":271828,"currency":"btc","root_address":"{ADDRESS}","no_addresses":1,"no_address_tags":1}}"#
                ),
            )
        } else if r.path == format!("{base}/tags") {
            Reply::json(200, tags)
        } else {
            Reply::json(404, r#"{"detail":"not found"}"#)
        }
    })
}

const TAGS: &str = r#"{"address_tags":[{"address":"3LU8wRu4ZnXP4UM8Yo6kkTiGHM9BubgyiG","currency":"btc","label":"Lazarus group","category":"user","abuse":"sanction","source":"https://www.fbi.gov/news/press-releases/fbi-identifies-cryptocurrency-funds-stolen-by-dprk","actor":"lazarusgroup","confidence":"authority_data","tagpack_title":"FBI Identifies Cryptocurrency Funds Stolen by DPRK","is_public":true}],"next_page":null}"#;

fn graphsense(url: &str, key: &str) -> GraphSense {
    let spec = SourceSpec {
        id: format!("graphsense:{url}"),
        base_url: url.to_string(),
    };
    let policy = Policy {
        rate: None,
        backoff_base: Duration::from_millis(5),
        ..Policy::default()
    };
    let gate = Gate::new(&spec.id, policy, Clock::fixed(t0()));
    GraphSense::new(
        reqwest::Client::new(),
        spec,
        Some(key.to_string()),
        Clock::fixed(t0()),
        gate,
    )
}

fn case(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("gs.tbcase");
    Workbench::create(
        &path,
        NewCase {
            title: "GraphSense".into(),
            investigator: "T".into(),
            agency: "U".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        None,
        t0(),
    )
    .unwrap();
    path
}

#[test]
fn an_address_entity_and_its_tags_are_stored_as_evidence_without_the_key() {
    let server = server(TAGS);
    let dir = tempfile::tempdir().unwrap();
    let path = case(dir.path());
    let mut wb = Workbench::open(&path, None).unwrap();
    let gs = graphsense(&server.url, KEY);
    let view = current_rt()
        .block_on(wb.graphsense_lookup(&gs, "BTC", ADDRESS, t0()))
        .unwrap();
    assert_eq!(
        view.entity, 271_828,
        "the entity (cluster) id GraphSense gave"
    );
    assert_eq!(view.no_addresses, Some(1));
    assert_eq!(view.tags.len(), 1, "one tag");
    assert_eq!(view.tags[0].label, "Lazarus group");
    assert_eq!(view.tags[0].abuse.as_deref(), Some("sanction"));
    assert_eq!(
        view.currency, "btc",
        "currency codes are lower case in GraphSense"
    );
    let raws = wb.case().raw_responses().unwrap();
    let endpoints: Vec<&str> = raws.iter().map(|r| r.endpoint.as_str()).collect();
    assert_eq!(
        endpoints,
        [
            format!("/btc/addresses/{ADDRESS}"),
            format!("/btc/addresses/{ADDRESS}/entity"),
            format!("/btc/addresses/{ADDRESS}/tags"),
        ],
        "every answer is evidence, in the order asked"
    );
    for r in &raws {
        assert_eq!(r.source_id, format!("graphsense:{}", server.url));
        assert!(
            r.request.contains("Authorization: ***"),
            "the key is named as sent, not given: {}",
            r.request
        );
    }
    let log = wb.audit_log().unwrap();
    assert_eq!(
        log.last().unwrap().action,
        "graphsense.lookup",
        "the lookup is in the audit log"
    );
    drop(wb);
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        !bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
        "the case file does not hold the API key"
    );
}

#[test]
fn a_refused_key_or_a_malformed_answer_is_named_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = case(dir.path());
    let before = file_digest(&path);
    let rt = current_rt();

    let good = server(TAGS);
    let mut wb = Workbench::open(&path, None).unwrap();
    let e = rt
        .block_on(wb.graphsense_lookup(&graphsense(&good.url, "wrong-key"), "btc", ADDRESS, t0()))
        .unwrap_err();
    assert!(
        e.to_string().contains("refused the API key") && !e.to_string().contains("wrong-key"),
        "a refused key is named, not echoed: {e}"
    );

    let broken = server(r#"{"address_tags": [{"label": 7}]}"#);
    let e = rt
        .block_on(wb.graphsense_lookup(&graphsense(&broken.url, KEY), "btc", ADDRESS, t0()))
        .unwrap_err();
    assert!(
        matches!(
            e,
            tracebench_core::api::ApiError::Source(SourceError::Malformed { .. })
        ),
        "a tags answer that is not GraphSense's shape is refused: {e:?}"
    );
    assert!(e.to_string().contains("/tags"), "naming the endpoint: {e}");
    drop(wb);
    assert_eq!(
        file_digest(&path),
        before,
        "neither failure wrote anything, not even the two good answers before the bad one"
    );
}
