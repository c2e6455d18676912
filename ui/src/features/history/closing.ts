// Closing the window saves first. The window manager's close button (and the window's own
// `close()`) asks before the window goes: Tauri holds the close while a listener runs, then
// destroys the window. The listener writes what is still pending (a position in the middle of a
// drag, a debounced viewport, a drop whose save is on its way), so the app never exits with a
// save cut off. An edit that waits behind a fetch holding the case (a note typed while an
// expansion runs) would be cut off too: so when such commands are still in flight, the running
// fetch is cancelled (what it stored stays; the app is closing anyway) and the close waits for
// them to be answered. Commands whose answer is only shown, or worked out again when the case
// opens, are not waited for. `pagehide` stays as a last chance for a webview closed without
// asking.
import { type AppWindow, appWindow } from "../../ipc/window";

/** What closing needs from the rest of the app. */
export interface Leaving {
  /** Writes what the autosave holds. */
  flush(): Promise<void>;
  /** The names of the commands that wait for their answer. */
  inFlight(): string[];
  /** Stops the running fetch, if any. */
  cancelFetch(): Promise<void>;
  /** Resolves once no command but the `ignoring` ones waits for its answer. */
  settled(ignoring: ReadonlySet<string>): Promise<void>;
}

/** Commands whose answer is only shown, or worked out again when the case opens: losing them
 * loses no work, so closing does not wait for them (screening a case as it opens can take
 * seconds). Every other command may change the case and is waited for. */
export const NOT_AWAITED_ON_CLOSE: ReadonlySet<string> = new Set([
  "app_flags",
  "recent_cases",
  "pick_case_file",
  "case_integrity",
  "graph",
  "node_details",
  "explain_merge",
  "trace_funds",
  "screen_case",
  "exposure",
  "exchange_records",
  "viewport",
  "canvas_heights",
  "btc_source",
  "evm_source",
  "graphsense_source",
  "report_builder",
  "preview_report",
]);

/** The longest a closing window waits for its saves: a save that never answers must not keep
 * the window open for good. */
export const CLOSE_WAIT_MS = 5_000;

/**
 * Saves (and lets queued edits through) whenever the window is asked to close, and lets it close
 * when that is done or after `waitMs`. A failure is reported and the window still closes: the
 * handler must never throw, or Tauri would keep the window open without saying why.
 */
export function saveBeforeClosing(
  leaving: Leaving,
  onError: (err: unknown) => void,
  win: Pick<AppWindow, "onCloseRequested"> = appWindow(),
  waitMs: number = CLOSE_WAIT_MS,
): Promise<unknown> {
  const save = async (): Promise<void> => {
    await leaving.flush();
    if (leaving.inFlight().every((name) => NOT_AWAITED_ON_CLOSE.has(name))) return;
    await leaving.cancelFetch();
    await leaving.settled(NOT_AWAITED_ON_CLOSE);
  };
  return win.onCloseRequested(async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    try {
      await Promise.race([save().catch(onError), waited]);
    } finally {
      clearTimeout(timer);
    }
  });
}
