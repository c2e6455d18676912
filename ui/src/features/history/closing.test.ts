import { describe, expect, it, vi } from "vitest";
import { saveBeforeClosing } from "./closing";

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

describe("saveBeforeClosing", () => {
  it("closes only after the pending saves finished", async () => {
    const win = fakeWindow();
    const order: string[] = [];
    await saveBeforeClosing(
      async () => {
        await new Promise((r) => setTimeout(r, 20));
        order.push("saved");
      },
      () => order.push("error"),
      win,
    );
    order.push(await win.requestClose());
    // The save must be in the case before the window (and with it the app) goes.
    expect(order).toEqual(["saved", "closed"]);
  });

  it("reports a failed save and still closes", async () => {
    const win = fakeWindow();
    const errors: unknown[] = [];
    await saveBeforeClosing(() => Promise.reject(new Error("disk full")), (e) => errors.push(e), win);
    // A listener that threw would leave the window open with no word why.
    expect(await win.requestClose()).toBe("closed");
    expect(errors).toEqual([new Error("disk full")]);
  });

  it("does not wait for ever for a save that never answers", async () => {
    vi.useFakeTimers();
    try {
      const win = fakeWindow();
      await saveBeforeClosing(() => new Promise<void>(() => undefined), () => undefined, win, 5_000);
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
