import { describe, expect, it, vi } from "vitest";
import { type Leaving, NOT_AWAITED_ON_CLOSE, saveBeforeClosing } from "./closing";

/** A window that records the close listener, and closes (as Tauri does) once it settled. */
function fakeWindow() {
  let handler: (() => Promise<void>) | null = null;
  return {
    onCloseRequested(h: () => Promise<void>) {
      handler = h;
      return Promise.resolve(() => undefined);
    },
    async requestClose(): Promise<"closed" | "stayed open"> {
      if (handler === null) return "closed";
      try {
        await handler();
        return "closed";
      } catch {
        return "stayed open"; // Tauri does not destroy a window whose listener threw
      }
    },
  };
}

/** An app with nothing in flight, whose steps are written to `log`. */
function idleApp(log: string[], over: Partial<Leaving> = {}): Leaving {
  return {
    flush: async () => void log.push("flushed"),
    inFlight: () => [],
    cancelFetch: async () => void log.push("cancelled"),
    settled: async () => void log.push("settled"),
    ...over,
  };
}

const ipcSource = Object.values(
  import.meta.glob("../../ipc/commands.ts", { query: "?raw", import: "default", eager: true }) as Record<string, string>,
).join("");

describe("saveBeforeClosing", () => {
  it("leaves out only commands the IPC layer really sends", () => {
    // A misspelt name would be waited for, silently; one missing is caught by the wait's limit.
    expect(ipcSource.length).toBeGreaterThan(1000);
    const sent = new Set([...ipcSource.matchAll(/call<.*?>\("([a-z_]+)"/g)].map((m) => m[1]));
    expect([...NOT_AWAITED_ON_CLOSE].filter((name) => !sent.has(name))).toEqual([]);
  });

  it("closes only after the pending saves finished, and cancels nothing when nothing runs", async () => {
    const win = fakeWindow();
    const log: string[] = [];
    const flush = async () => {
      await new Promise((r) => setTimeout(r, 20));
      log.push("saved");
    };
    await saveBeforeClosing(idleApp(log, { flush }), () => log.push("error"), win);
    log.push(await win.requestClose());
    // The save must be in the case before the window (and with it the app) goes.
    expect(log).toEqual(["saved", "closed"]);
  });

  it("does not wait for a command whose answer is only shown", async () => {
    const win = fakeWindow();
    const log: string[] = [];
    // Screening the case as it opens can take seconds; it is done again at the next opening.
    await saveBeforeClosing(idleApp(log, { inFlight: () => ["screen_case", "graph"] }), () => log.push("error"), win);
    log.push(await win.requestClose());
    expect(log).toEqual(["flushed", "closed"]);
  });

  it("cancels a running fetch and waits for the edits queued behind it", async () => {
    const win = fakeWindow();
    const log: string[] = [];
    let answerNote = (): void => undefined;
    const noteAnswered = new Promise<void>((resolve) => (answerNote = resolve));
    let ignored: ReadonlySet<string> | null = null;
    const app = idleApp(log, {
      inFlight: () => ["add_node", "add_note", "screen_case"],
      cancelFetch: async () => {
        log.push("cancelled");
        // The fetch lets go of the case; the note waiting for it is written a moment later.
        setTimeout(() => {
          log.push("note saved");
          answerNote();
        }, 10);
      },
      settled: (ignoring) => {
        ignored = ignoring;
        return noteAnswered.then(() => void log.push("settled"));
      },
    });
    await saveBeforeClosing(app, () => log.push("error"), win);
    log.push(await win.requestClose());
    expect(log).toEqual(["flushed", "cancelled", "note saved", "settled", "closed"]);
    expect(ignored, "the wait leaves out what needs no waiting for").toBe(NOT_AWAITED_ON_CLOSE);
  });

  it("reports a failed save and still closes", async () => {
    const win = fakeWindow();
    const errors: unknown[] = [];
    const app = idleApp([], { flush: () => Promise.reject(new Error("disk full")) });
    await saveBeforeClosing(app, (e) => errors.push(e), win);
    // A listener that threw would leave the window open with no word why.
    expect(await win.requestClose()).toBe("closed");
    expect(errors).toEqual([new Error("disk full")]);
  });

  it("does not wait for ever for a command that never answers", async () => {
    vi.useFakeTimers();
    try {
      const win = fakeWindow();
      const app = idleApp([], { inFlight: () => ["add_note"], settled: () => new Promise<void>(() => undefined) });
      await saveBeforeClosing(app, () => undefined, win, 5_000);
      const closing = win.requestClose();
      await vi.advanceTimersByTimeAsync(4_999);
      let done = false;
      void closing.then(() => (done = true));
      await Promise.resolve();
      expect(done).toBe(false); // still waiting within the limit
      await vi.advanceTimersByTimeAsync(1);
      expect(await closing).toBe("closed");
    } finally {
      vi.useRealTimers();
    }
  });
});
