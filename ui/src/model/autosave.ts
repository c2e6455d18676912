// Autosave of what lives only in the UI until it is saved (the viewport, positions in the middle
// of a drag): the latest value is saved at most `delayMs` after it first changed, however often
// it changes in between (a pan fires on every frame), and saves run one after another, in order.
// Pure: the timer is injected, so the tests drive time.

export interface Timer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimer: Timer = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Runs async calls one after another, in the order they were queued; a failed call does not
 * stop the ones after it (the caller sees its error). */
export class Queue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(call: () => Promise<T>): Promise<T> {
    const next = this.tail.then(call, call);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export class Autosave<T> {
  private latest: { value: T } | null = null;
  private handle: unknown = null;
  private last: Promise<void> = Promise.resolve();

  /**
   * @param save    writes a value (to the case, through the core)
   * @param delayMs the longest a change waits before it is saved
   * @param merge   folds a newer value into one not yet saved (default: the newer one wins)
   */
  constructor(
    private readonly save: (value: T) => Promise<void>,
    private readonly delayMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly merge: (older: T, newer: T) => T = (_older, newer) => newer,
    private readonly timer: Timer = realTimer,
    private readonly queue: Queue = new Queue(),
  ) {}

  /** A new value; it is saved within `delayMs`. */
  push(value: T): void {
    this.latest = this.latest === null ? { value } : { value: this.merge(this.latest.value, value) };
    this.handle ??= this.timer.set(() => {
      this.handle = null;
      void this.flush();
    }, this.delayMs);
  }

  /** Saves the pending value now (the window is closing, another case opens); resolves when
   * every save so far has finished. */
  flush(): Promise<void> {
    this.cancelTimer();
    if (this.latest !== null) {
      const { value } = this.latest;
      this.latest = null;
      this.last = this.queue.run(() => this.save(value)).catch((err: unknown) => this.onError(err));
    }
    return this.last;
  }

  /** Forgets the pending value (a final save supersedes it). */
  drop(): void {
    this.cancelTimer();
    this.latest = null;
  }

  pending(): boolean {
    return this.latest !== null;
  }

  private cancelTimer(): void {
    if (this.handle !== null) {
      this.timer.clear(this.handle);
      this.handle = null;
    }
  }
}
