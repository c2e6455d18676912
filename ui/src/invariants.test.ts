// Architecture rules of the UI, checked over its own source files.

import { describe, expect, it } from "vitest";

const sources = import.meta.glob(["./**/*.ts", "!./**/*.test.ts", "!./bindings/**"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

const importers = (pkg: string): string[] =>
  Object.entries(sources)
    .filter(([, text]) => new RegExp(`from\\s+["']${pkg}`).test(text))
    .map(([path]) => path)
    .sort();

describe("UI invariants", () => {
  it("finds the source files it checks", () => {
    expect(Object.keys(sources).length, "the glob must see the UI's modules").toBeGreaterThan(10);
  });

  it("never parses data as markup", () => {
    const offenders = Object.entries(sources)
      .filter(([, text]) => /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/.test(text))
      .map(([path]) => path);
    expect(offenders, "notes, labels and errors are text: use textContent").toEqual([]);
  });

  it("keeps Tauri in src/ipc and Cytoscape in the canvas feature", () => {
    const shell = importers("@tauri-apps/");
    expect(shell, "the IPC layer talks to the shell").toContain("./ipc/commands.ts");
    expect(
      shell.filter((path) => !path.startsWith("./ipc/")),
      "only the IPC layer talks to the shell",
    ).toEqual([]);
    const drawers = importers("cytoscape");
    expect(drawers.length, "the canvas feature draws with Cytoscape").toBeGreaterThan(0);
    expect(
      drawers.filter((path) => !path.startsWith("./features/canvas/")),
      "only the canvas feature draws the graph",
    ).toEqual([]);
  });

  it("keeps the model pure: no DOM, no IPC, no canvas library", () => {
    const model = Object.entries(sources).filter(([path]) => path.startsWith("./model/"));
    for (const [path, text] of model) {
      expect(/\bdocument\.|\bwindow\.|from\s+["'](@tauri-apps|cytoscape)|\.\.\/features/.test(text), `${path} is pure`).toBe(false);
    }
  });
});
