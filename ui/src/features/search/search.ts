// The search box: adds an address or a transaction id to the case. On refusal it shows the
// core's message next to the box and leaves both the box and the graph as they were.

import { byId } from "../dom";

export interface SearchEvents {
  /** Adds `query`; resolves with an error message to show, or null on success. */
  onAdd(query: string): Promise<string | null>;
}

export interface SearchBox {
  setEnabled(enabled: boolean): void;
}

export function createSearchBox(events: SearchEvents): SearchBox {
  const form = byId("search", HTMLFormElement);
  const input = byId("search-input", HTMLInputElement);
  const button = byId("search-add", HTMLButtonElement);
  const error = byId("search-error", HTMLElement);

  const showError = (message: string): void => {
    error.textContent = message;
    input.setAttribute("aria-invalid", message === "" ? "false" : "true");
  };

  form.addEventListener("submit", (evt) => {
    evt.preventDefault();
    const query = input.value.trim();
    if (query === "") {
      showError("Type a Bitcoin address or a transaction id (64 hex characters).");
      return;
    }
    showError("");
    button.disabled = true;
    void events
      .onAdd(query)
      .then((message) => {
        if (message === null) input.value = "";
        else showError(message);
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  input.addEventListener("input", () => showError(""));

  return {
    setEnabled(enabled) {
      input.disabled = !enabled;
      button.disabled = !enabled;
    },
  };
}
