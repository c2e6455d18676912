// Closing the window saves first. The window manager's close button (and the window's own
// `close()`) asks before the window goes: Tauri holds the close while a listener runs, then
// destroys the window. The listener writes what is still pending (a position in the middle of a
// drag, a debounced viewport, a drop whose save is on its way), so the app never exits with a
// save cut off. `pagehide` stays as a last chance for a webview closed without asking.
import { type AppWindow, appWindow } from "../../ipc/window";

/** The longest a closing window waits for its saves: a save that never answers must not keep
 * the window open for good. */
export const CLOSE_WAIT_MS = 5_000;

/**
 * Runs `flush` whenever the window is asked to close and lets it close when `flush` settles
 * (or after `waitMs`). A failed flush is reported and the window still closes: the handler must
 * never throw, or Tauri would keep the window open without saying why.
 */
export function saveBeforeClosing(
  flush: () => Promise<void>,
  onError: (err: unknown) => void,
  win: Pick<AppWindow, "onCloseRequested"> = appWindow(),
  waitMs: number = CLOSE_WAIT_MS,
): Promise<unknown> {
  return win.onCloseRequested(async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    try {
      await Promise.race([flush().catch(onError), waited]);
    } finally {
      clearTimeout(timer);
    }
  });
}
