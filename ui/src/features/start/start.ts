// The start screen: open the demo case, a case file by path or dialog, or a recent case.

import type { RecentCase } from "../../ipc/types";
import { formatIsoUtc } from "../../model/format";
import { byId, make } from "../dom";

export interface StartEvents {
  onDemo(): void;
  onOpen(path: string): void;
  onBrowse(): void;
}

export interface StartScreen {
  show(recent: readonly RecentCase[]): void;
  hide(): void;
  error(message: string): void;
  setBusy(busy: boolean): void;
}

export function createStartScreen(events: StartEvents): StartScreen {
  const screen = byId("start", HTMLElement);
  const demo = byId("open-demo", HTMLButtonElement);
  const form = byId("open-case-form", HTMLFormElement);
  const path = byId("case-path", HTMLInputElement);
  const browse = byId("browse-case", HTMLButtonElement);
  const open = byId("open-case", HTMLButtonElement);
  const errorLine = byId("start-error", HTMLElement);
  const recentList = byId("recent-cases", HTMLOListElement);
  const recentEmpty = byId("recent-empty", HTMLElement);

  demo.addEventListener("click", () => events.onDemo());
  browse.addEventListener("click", () => events.onBrowse());
  form.addEventListener("submit", (evt) => {
    evt.preventDefault();
    const value = path.value.trim();
    if (value === "") errorLine.textContent = "Type the path of a .tbcase file, or use Browse….";
    else events.onOpen(value);
  });

  return {
    show(recent) {
      screen.hidden = false;
      recentEmpty.hidden = recent.length > 0;
      recentList.replaceChildren(
        ...recent.map((c) => {
          const button = make("button");
          button.type = "button";
          button.append(
            make("span", "recent-title", c.title),
            make("span", "recent-path", `${c.path} · last opened ${formatIsoUtc(c.opened_utc)}`),
          );
          button.addEventListener("click", () => events.onOpen(c.path));
          const item = make("li");
          item.append(button);
          return item;
        }),
      );
    },
    hide() {
      screen.hidden = true;
    },
    error(message) {
      errorLine.textContent = message;
    },
    setBusy(busy) {
      for (const el of [demo, open, browse, path]) el.disabled = busy;
      if (busy) errorLine.textContent = "";
    },
  };
}
