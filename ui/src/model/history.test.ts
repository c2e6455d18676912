import { describe, expect, it } from "vitest";
import { HISTORY_LIMIT, History, type Step } from "./history";

/** A step that logs its calls, so the tests see the order the core would be asked in. */
function logged(label: string, log: string[], failUndo = false): Step {
  return {
    label,
    undo: async () => {
      if (failUndo) throw new Error(`cannot undo ${label}`);
      log.push(`undo ${label}`);
    },
    redo: async () => {
      log.push(`redo ${label}`);
    },
  };
}

describe("history", () => {
  it("undoes in reverse order and redoes in the original order", async () => {
    const log: string[] = [];
    const h = new History();
    h.record(logged("add", log));
    h.record(logged("group", log));
    expect(await h.undo(), "the last action comes back first").toBe("group");
    expect(await h.undo(), "then the one before").toBe("add");
    expect(await h.undo(), "nothing left to undo").toBeNull();
    expect(await h.redo(), "redo starts with the earliest undone").toBe("add");
    expect(log, "the calls reach the core in this order").toEqual(["undo group", "undo add", "redo add"]);
    expect(h.state(), "group can still be redone, add undone").toEqual({ undo: "add", redo: "group", busy: false });
  });

  it("drops the redo list when a new action is recorded", async () => {
    const log: string[] = [];
    const h = new History();
    h.record(logged("hide", log));
    await h.undo();
    h.record(logged("note", log));
    expect(h.state().redo, "a new action makes the undone one unreachable, as in every editor").toBeNull();
    expect(await h.redo(), "nothing to redo").toBeNull();
  });

  it("keeps a step whose undo failed, so the analyst can retry", async () => {
    const log: string[] = [];
    const h = new History();
    h.record(logged("remove", log, true));
    await expect(h.undo(), "the core's error reaches the caller").rejects.toThrow("cannot undo remove");
    expect(h.state(), "the failed step is still the next to undo and nothing runs").toEqual({
      undo: "remove",
      redo: null,
      busy: false,
    });
  });

  it("refuses a second undo while one is running", async () => {
    let release: () => void = () => {};
    const h = new History();
    h.record({ label: "slow", undo: () => new Promise<void>((r) => (release = r)), redo: async () => {} });
    const first = h.undo();
    expect(h.state().busy, "the toolbar shows the history as busy").toBe(true);
    expect(await h.undo(), "a second press does nothing while the first runs").toBeNull();
    release();
    expect(await first, "the first completes").toBe("slow");
  });

  it("keeps at most HISTORY_LIMIT steps", async () => {
    const h = new History();
    for (let i = 0; i < HISTORY_LIMIT + 5; i += 1) h.record(logged(`step ${i}`, []));
    let undone = 0;
    while ((await h.undo()) !== null) undone += 1;
    expect(undone, "the oldest steps fell off").toBe(HISTORY_LIMIT);
  });
});
