// How the canvas's real stylesheet draws a node whose history was not fetched (headless
// Cytoscape, styles on): a dashed border and a pale fill, so "incomplete" is drawn and does not
// depend on colour alone, also when the node is flagged or selected.
import cytoscape from "cytoscape";
import { describe, expect, it } from "vitest";
import { themedStyle } from "./style";

function drawn(data: Record<string, unknown>, selected = false) {
  const cy = cytoscape({ headless: true, styleEnabled: true, style: themedStyle() });
  const node = cy.add({ group: "nodes", data: { id: "n", kind: "address", display: "n", ...data } });
  if (selected) node.select();
  return {
    border: String(node.style("border-style")),
    width: node.numericStyle("border-width"),
    opacity: node.numericStyle("background-opacity"),
    shape: String(node.style("shape")),
  };
}

describe("an incomplete node is drawn differently", () => {
  it("has a dashed border and a pale fill; a complete node a solid border and an opaque fill", () => {
    const incomplete = drawn({ incomplete: true });
    const complete = drawn({ incomplete: false });
    expect(incomplete.border, "incomplete: dashed border (a line style, not a colour)").toBe("dashed");
    expect(incomplete.width, "wide enough to see the dashes").toBeGreaterThanOrEqual(2);
    expect(incomplete.opacity, "incomplete: pale fill").toBeLessThan(1);
    expect(complete.border, "complete: solid border").toBe("solid");
    expect(complete.opacity, "complete: opaque fill").toBe(1);
  });

  it("stays dashed when the node is also flagged, and when it is selected", () => {
    const flagged = drawn({ incomplete: true, flagged: true });
    expect(flagged.border, "the flag's double border does not hide that the history is incomplete").toBe("dashed");
    expect(flagged.shape, "the flag still shows by its shape").toBe("octagon");
    expect(drawn({ incomplete: false, flagged: true }).border, "a complete flagged node keeps its double border").toBe("double");
    const selected = drawn({ incomplete: true }, true);
    expect(selected.border, "selected: still dashed").toBe("dashed");
    expect(selected.opacity, "selected: still pale").toBeLessThan(1);
  });
});
