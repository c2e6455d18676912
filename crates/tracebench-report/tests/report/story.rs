//! The storyboard: story steps as consecutive numbered figures after the money-flow ones, each
//! with its caption as an analyst note and every edge of its path cited.

use tracebench_report::{ReportGraph, ReportStoryEdge, ReportStoryStep};

use crate::fixture;
use crate::poppler;

/// A step over the fixture graph's `k`-th edge.
fn step(
    input: &tracebench_report::ReportInput,
    k: usize,
    title: &str,
    caption: &str,
) -> ReportStoryStep {
    let e = &input.graph.edges[k];
    let nodes = input
        .graph
        .nodes
        .iter()
        .filter(|n| n.id == e.source || n.id == e.target)
        .cloned()
        .collect();
    let txid = [&e.source, &e.target]
        .into_iter()
        .find_map(|id| id.strip_prefix("btc:tx:"))
        .expect("every fixture edge touches a transaction")
        .to_string();
    ReportStoryStep {
        title: title.to_string(),
        caption: caption.to_string(),
        graph: ReportGraph {
            nodes,
            edges: vec![e.clone()],
        },
        edges: vec![ReportStoryEdge {
            source: e.source.clone(),
            target: e.target.clone(),
            txid,
            block_height: Some(842_100),
            block_time: Some(1_714_564_800),
            amount_sat: e.amount_sat,
        }],
    }
}

#[test]
fn story_steps_are_numbered_figures_with_their_caption_and_cited_edges() {
    let mut input = fixture::input(false);
    let first = step(
        &input,
        1,
        "Ransom paid",
        "The victim's payment, in the analyst's words.",
    );
    let second = step(&input, 4, "Peeled off", "");
    let cited = first.edges[0].clone();
    input.story = vec![first, second];
    let pdf = poppler::render(&input);
    let text = poppler::pages(&pdf.path).join("\n");

    let number = |title: &str| -> usize {
        let at = text
            .find(&format!(" — {title}"))
            .unwrap_or_else(|| panic!("a figure is titled {title:?}"));
        let head = text[..at].trim_end_matches(|c: char| c.is_ascii_digit());
        assert!(head.ends_with("Figure "), "{title:?} follows 'Figure N'");
        text[head.len()..at].parse().expect("a figure number")
    };
    let (a, b) = (number("Ransom paid"), number("Peeled off"));
    assert_eq!(b, a + 1, "the steps are consecutive figures in story order");
    let money_flow = text.matches("Figure 1 of ").count();
    assert!(money_flow >= 1, "the money-flow figures come first");
    assert!(
        a > 1,
        "story figures are numbered after the money-flow figures"
    );
    assert!(
        text.contains("Storyboard"),
        "the storyboard chapter is there"
    );
    let caption = text
        .find("The victim's payment, in the analyst's words.")
        .expect("the caption is printed");
    let tag = text[..caption]
        .rfind("ANALYST NOTE")
        .expect("the caption carries the analyst-note tag");
    assert!(
        text[tag..caption].lines().count() <= 1,
        "the tag is on the caption's line"
    );
    assert!(
        text.contains(&format!("tx {}", cited.txid)) && text.contains("block 842100"),
        "the step's legend cites the edge's transaction and block"
    );
    assert!(
        text.contains(&tracebench_report::btc(cited.amount_sat)),
        "and its exact amount"
    );

    let mut without = fixture::input(false);
    without.story = Vec::new();
    let plain = poppler::pages(&poppler::render(&without).path).join("\n");
    assert!(
        !plain.contains("Storyboard"),
        "a case without story steps has no storyboard chapter"
    );
}
