// The storyboard panel: the story steps in order, each with its title, its caption (the
// analyst's note) and rename / move up / move down / remove; clicking a step selects its path on the
// canvas. Text is set as text.

import type { StoryStepView } from "../../ipc/types";
import { countOf } from "../../model/format";
import { inStoryOrder, stepName } from "../../model/story";
import { byId, make } from "../dom";

export interface StoryPanelEvents {
  onShow(step: StoryStepView): void;
  onMove(step: StoryStepView, by: -1 | 1): void;
  onRename(step: StoryStepView): void;
  onRemove(step: StoryStepView): void;
}

export interface StoryPanel {
  show(steps: readonly StoryStepView[]): void;
}

export function createStoryPanel(events: StoryPanelEvents): StoryPanel {
  const list = byId("story-steps", HTMLOListElement);
  const empty = byId("story-empty", HTMLElement);
  const button = (text: string, testid: string, title: string, click: () => void): HTMLButtonElement => {
    const b = make("button", "small", text);
    b.type = "button";
    b.dataset.testid = testid;
    b.title = title;
    b.addEventListener("click", click);
    return b;
  };
  return {
    show(steps) {
      const ordered = inStoryOrder(steps);
      empty.hidden = ordered.length > 0;
      list.dataset.count = String(ordered.length);
      list.replaceChildren(
        ...ordered.map((s, i) => {
          const item = make("li", "story-step");
          item.dataset.testid = "story-step";
          item.dataset.stepId = String(s.id);
          const title = make("button", "story-title link", stepName(s));
          title.type = "button";
          title.dataset.testid = "story-step-title";
          title.title = `Select this step's path on the canvas (${countOf(s.nodes.length, "node")}, ${countOf(s.edges.length, "edge")})`;
          title.addEventListener("click", () => events.onShow(s));
          const rename = button("✎", "story-rename", "Rename this step or change its caption (Undo brings the old ones back)", () =>
            events.onRename(s),
          );
          const up = button("↑", "story-up", "Move this step up", () => events.onMove(s, -1));
          up.disabled = i === 0;
          const down = button("↓", "story-down", "Move this step down", () => events.onMove(s, 1));
          down.disabled = i === ordered.length - 1;
          const remove = button("✕", "story-remove", "Remove this step (Undo brings it back)", () => events.onRemove(s));
          const row = make("div", "story-row");
          row.append(title, rename, up, down, remove);
          item.append(row);
          if (s.caption !== "") {
            const caption = make("div", "story-caption", s.caption);
            caption.dataset.testid = "story-caption-shown";
            item.append(caption);
          }
          return item;
        }),
      );
    },
  };
}
