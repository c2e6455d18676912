// The app's own window, through Tauri (the one place besides commands.ts that imports
// `@tauri-apps/api`): asking it to close, and hearing when it is asked to.
import { getCurrentWindow } from "@tauri-apps/api/window";

/** The part of the window the app uses; tests pass their own. */
export interface AppWindow {
  /** Called when the window is asked to close (its close button, or `close()`); the window
   * closes once the handler settled, unless the handler threw. */
  onCloseRequested(handler: () => Promise<void>): Promise<unknown>;
  /** Asks the window to close, as its close button does. */
  close(): Promise<void>;
}

export function appWindow(): AppWindow {
  return getCurrentWindow();
}
