import { describe, expect, it } from "vitest";
import { Autosave, Queue, type Timer } from "./autosave";

/** A timer the test moves by hand. */
function manualTimer() {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timer: Timer = {
    set: (fn, ms) => {
      const id = next++;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clear: (handle) => void due.delete(handle as number),
  };
  const advance = async (ms: number) => {
    now += ms;
    for (const [id, t] of [...due].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= now) {
        due.delete(id);
        t.fn();
      }
    }
    await new Promise((r) => setTimeout(r, 0));
  };
  return { timer, advance, scheduled: () => due.size };
}

describe("autosave", () => {
  it("saves the latest value within the delay even while values keep coming", async () => {
    const { timer, advance } = manualTimer();
    const saved: number[] = [];
    const a = new Autosave<number>(async (v) => void saved.push(v), 500, () => undefined, undefined, timer);
    for (let frame = 1; frame <= 30; frame++) {
      a.push(frame);
      await advance(50); // a pan: one value every 50 ms for 1.5 s
    }
    expect(saved.length, "a continuous pan is saved every half second, not only when it stops").toBeGreaterThanOrEqual(2);
    expect(saved.every((v, i) => i === 0 || v > saved[i - 1]!), "saves go out in order").toBe(true);
    await advance(500);
    expect(saved[saved.length - 1], "the value the pan ended on is saved").toBe(30);
  });

  it("flush saves at once and drop forgets a value a final save supersedes", async () => {
    const { timer, advance, scheduled } = manualTimer();
    const saved: string[] = [];
    const a = new Autosave<string>(async (v) => void saved.push(v), 500, () => undefined, undefined, timer);
    a.push("closing");
    await a.flush();
    expect(saved, "flush does not wait for the timer").toEqual(["closing"]);
    expect(scheduled(), "no save is left scheduled").toBe(0);
    a.push("mid-drag");
    a.drop();
    await advance(1000);
    expect(saved, "a dropped value is never written").toEqual(["closing"]);
    expect(a.pending(), "nothing pending after a drop").toBe(false);
  });

  it("merges values not yet saved (positions of several nodes moved in one drag)", async () => {
    const { timer, advance } = manualTimer();
    const saved: Record<string, number>[] = [];
    const a = new Autosave<Record<string, number>>(
      async (v) => void saved.push(v),
      300,
      () => undefined,
      (older, newer) => ({ ...older, ...newer }),
      timer,
    );
    a.push({ a: 1 });
    a.push({ b: 2 });
    a.push({ a: 3 });
    await advance(300);
    expect(saved, "one save with every node's newest position").toEqual([{ a: 3, b: 2 }]);
  });

  it("reports a failed save and keeps saving later values", async () => {
    const { timer, advance } = manualTimer();
    const errors: string[] = [];
    const saved: number[] = [];
    const a = new Autosave<number>(
      async (v) => {
        if (v === 1) throw new Error("disk full");
        saved.push(v);
      },
      100,
      (err) => errors.push(String(err)),
      undefined,
      timer,
    );
    a.push(1);
    await advance(100);
    a.push(2);
    await advance(100);
    expect(errors, "the failure reaches the status line").toEqual(["Error: disk full"]);
    expect(saved, "the next value is still saved").toEqual([2]);
  });

  it("the queue runs calls one after another even when an earlier one is slower", async () => {
    const q = new Queue();
    const log: string[] = [];
    const slow = q.run(async () => {
      await new Promise((r) => setTimeout(r, 20));
      log.push("mid-drag save");
    });
    const fast = q.run(async () => void log.push("final save"));
    await Promise.all([slow, fast]);
    expect(log, "the final position is written last, so it is what the case keeps").toEqual(["mid-drag save", "final save"]);
  });
});
