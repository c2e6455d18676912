// Undo and redo of canvas actions. Pure: each action the app performs is recorded as a step with
// the two calls that undo and redo it (the calls go to the core, which keeps the case and its audit
// log); the history only keeps the order and refuses to run two steps at once.

/** One undoable action: `label` is what the status line and the Edit menu name ("Group 3 nodes"). */
export interface Step {
  readonly label: string;
  undo(): Promise<void>;
  redo(): Promise<void>;
}

/** What the history can do next, for the toolbar's buttons and their tooltips. */
export interface HistoryState {
  readonly undo: string | null;
  readonly redo: string | null;
  readonly busy: boolean;
}

/** The most steps kept; older ones fall off the bottom (the audit log keeps them all). */
export const HISTORY_LIMIT = 200;

export class History {
  private done: Step[] = [];
  private undone: Step[] = [];
  private running = false;
  private listeners: ((state: HistoryState) => void)[] = [];

  /** Records an action that has just been performed; a new action clears what could be redone. */
  record(step: Step): void {
    this.done.push(step);
    if (this.done.length > HISTORY_LIMIT) this.done.shift();
    this.undone = [];
    this.emit();
  }

  /** Undoes the last action; resolves to its label, or null when there was nothing to undo (or a
   * step is still running). A step whose undo fails stays where it was and the error is thrown. */
  async undo(): Promise<string | null> {
    const step = this.done[this.done.length - 1];
    if (step === undefined || this.running) return null;
    await this.run(() => step.undo());
    this.done.pop();
    this.undone.push(step);
    this.emit();
    return step.label;
  }

  /** Redoes the last undone action; resolves to its label, or null. */
  async redo(): Promise<string | null> {
    const step = this.undone[this.undone.length - 1];
    if (step === undefined || this.running) return null;
    await this.run(() => step.redo());
    this.undone.pop();
    this.done.push(step);
    this.emit();
    return step.label;
  }

  /** Forgets everything (another case was opened). */
  clear(): void {
    this.done = [];
    this.undone = [];
    this.emit();
  }

  state(): HistoryState {
    return {
      undo: this.done[this.done.length - 1]?.label ?? null,
      redo: this.undone[this.undone.length - 1]?.label ?? null,
      busy: this.running,
    };
  }

  onChange(listener: (state: HistoryState) => void): void {
    this.listeners.push(listener);
  }

  private async run(call: () => Promise<void>): Promise<void> {
    this.running = true;
    this.emit();
    try {
      await call();
    } finally {
      this.running = false;
      this.emit();
    }
  }

  private emit(): void {
    const state = this.state();
    for (const listener of this.listeners) listener(state);
  }
}
