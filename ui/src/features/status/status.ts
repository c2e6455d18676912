// The status line at the bottom of the workbench: what just happened, or what went wrong.

export interface StatusLine {
  info(text: string): void;
  busy(text: string): void;
  error(text: string): void;
}

export function createStatusLine(el: HTMLElement): StatusLine {
  const set = (text: string, mode: "info" | "busy" | "error"): void => {
    el.textContent = text;
    el.classList.toggle("is-error", mode === "error");
    el.classList.toggle("is-busy", mode === "busy");
    el.dataset.mode = mode;
  };
  return {
    info: (text) => set(text, "info"),
    busy: (text) => set(text, "busy"),
    error: (text) => set(text, "error"),
  };
}
