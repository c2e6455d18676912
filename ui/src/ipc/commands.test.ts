import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { CommandError, commandNamesInFlight, commandsInFlight, commandsSettled, ipc } from "./commands";

beforeAll(() => {
  // The tests run in node; Tauri's mocks hang their hooks on `window`.
  if (!("window" in globalThis)) {
    Object.defineProperty(globalThis, "window", { value: globalThis, configurable: true });
  }
});
afterEach(() => clearMocks());

describe("ipc", () => {
  it("tells when every command in flight has its answer, failed ones included", async () => {
    // Closing the window waits on this for an edit queued behind a fetch.
    const answers: Array<(ok: boolean) => void> = [];
    mockIPC(
      () =>
        new Promise((resolve, reject) => {
          answers.push((ok) => (ok ? resolve(null) : reject({ code: "cancelled", message: "cancelled" })));
        }),
    );
    const answer = (i: number, ok: boolean): void => {
      const to = answers[i];
      if (to === undefined) throw new Error(`command ${i} was never sent`);
      to(ok);
    };
    await expect(commandsSettled(), "nothing in flight: settled at once").resolves.toBeUndefined();
    const fetch = ipc.addNode("bc1qexample").catch(() => "failed");
    const note = ipc.addNote("btc:addr:a", "typed meanwhile");
    await Promise.resolve();
    let settled = false;
    const waiting = commandsSettled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 0));
    expect(commandsInFlight()).toBe(2);
    answer(0, false); // the fetch, cancelled
    await fetch;
    await new Promise((r) => setTimeout(r, 0));
    expect(settled, "the note still waits").toBe(false);
    answer(1, true);
    await note;
    await waiting;
    expect(settled).toBe(true);
  });

  it("can leave named commands out of the wait", async () => {
    const pending: Array<() => void> = [];
    mockIPC(() => new Promise((resolve) => pending.push(() => resolve(null))));
    const screening = ipc.screenCase();
    await Promise.resolve();
    expect(commandNamesInFlight()).toEqual(["screen_case"]);
    // Nothing but the ignored command in flight: settled at once, while it still runs.
    await expect(commandsSettled(new Set(["screen_case"]))).resolves.toBeUndefined();
    pending[0]?.();
    await screening;
    expect(commandNamesInFlight()).toEqual([]);
  });

  it("names the canvas organising commands' arguments as the shell expects", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    await ipc.createEntity("Wallet", "suspect", ["btc:addr:a"]);
    await ipc.setEntityCollapsed("entity:1", true);
    await ipc.dissolveEntity("entity:1");
    await ipc.setHidden(["btc:addr:a"], true);
    await ipc.unhideAll();
    await ipc.removeNodes(["btc:addr:a"]);
    expect(calls, "entity_id arrives as entityId; lists stay lists").toEqual([
      ["create_entity", { name: "Wallet", category: "suspect", members: ["btc:addr:a"] }],
      ["set_entity_collapsed", { entityId: "entity:1", collapsed: true }],
      ["dissolve_entity", { entityId: "entity:1" }],
      ["set_hidden", { ids: ["btc:addr:a"], hidden: true }],
      ["unhide_all", {}],
      ["remove_nodes", { ids: ["btc:addr:a"] }],
    ]);
  });

  it("sends arguments under the names Tauri maps to the Rust parameters", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return { added: [], missing: [], graph: null };
    });
    await ipc.expandNode("btc:tx:00", 1);
    await ipc.addNote("btc:addr:bc1q", "seen");
    expect(calls, "Rust's node_id arrives as camelCase nodeId (Tauri's default)").toEqual([
      ["expand_node", { nodeId: "btc:tx:00", hops: 1 }],
      ["add_note", { nodeId: "btc:addr:bc1q", text: "seen" }],
    ]);
  });

  it("names the attribution commands' arguments as the shell expects", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    await ipc.screenCase();
    await ipc.exposure("bc1qa", 3, false);
    await ipc.importExchangeRecords("Exchange X", "/tmp/records.csv");
    await ipc.importExchangeRecords("Exchange X");
    expect(calls, "no path means: ask with the dialog").toEqual([
      ["screen_case", {}],
      ["exposure", { address: "bc1qa", hops: 3, incoming: false }],
      ["import_exchange_records", { path: "/tmp/records.csv", source: "Exchange X" }],
      ["import_exchange_records", { path: null, source: "Exchange X" }],
    ]);
  });

  it("turns the shell's {code, message} into a CommandError", async () => {
    mockIPC(() => {
      throw { code: "invalid_input", message: "'xyz' is not a Bitcoin address or txid" };
    });
    const err = await ipc.addNode("xyz").catch((e: unknown) => e);
    expect(err, "callers catch one error type").toBeInstanceOf(CommandError);
    expect((err as CommandError).code, "the code survives for branching").toBe("invalid_input");
    expect((err as CommandError).message, "the message is shown to the investigator").toMatch(/not a Bitcoin/);
  });

  it("wraps Tauri's own string rejections too", async () => {
    mockIPC(() => {
      throw "Command add_node not allowed by ACL";
    });
    const err = await ipc.addNode("xyz").catch((e: unknown) => e);
    expect((err as CommandError).code, "IPC-level failures get their own code").toBe("ipc");
    expect((err as CommandError).message, "Tauri's reason is kept").toMatch(/not allowed/);
  });
});
