// The report builder: a dialog opened by "Export report". The examiner sets the exhibit id, the
// marking, the paper, the question and the summary (kept in the case, so the next export and the
// command line use them), picks the optional chapters (the ones that make the exhibit auditable
// stay, with the reason), switches the sensitivity annex, orders the story steps, previews the
// pages and exports.

import type { StoryStepView } from "../../ipc/types";
import {
  includes,
  movedPosition,
  problem,
  textOrNull,
  withSection,
  type Paper,
  type ReportBuilderView,
  type ReportSettings,
} from "../../model/reportSettings";
import { make } from "../dom";
import type { Preview } from "./preview";
import "./report.css";

export interface ReportBuilderEvents {
  /** The stored settings and the choices offered. */
  load(): Promise<ReportBuilderView>;
  /** The PDF under `settings`, not stored. */
  preview(settings: ReportSettings): Promise<Uint8Array>;
  /** Stores `settings` and writes the report; resolves to its path, or null when cancelled. */
  export(settings: ReportSettings): Promise<string | null>;
  /** The story steps, in order. */
  steps(): readonly StoryStepView[];
  /** Moves a story step to 1-based `to` (recorded in the undo history by the app). */
  moveStep(id: number, to: number): Promise<void>;
}

export interface ReportBuilder {
  open(): Promise<void>;
  close(): void;
}

/** The toolbar button that opens the builder, placed right after "Export report". */
function openButton(): HTMLButtonElement {
  const b = make("button", undefined, "Report builder…");
  b.type = "button";
  b.id = "open-report-builder";
  b.dataset.testid = "open-report-builder";
  b.title = "Choose chapters, edit the summary, order the story, preview the pages, export";
  document.getElementById("export-report")?.after(b);
  return b;
}

function field(label: string, control: HTMLElement): HTMLLabelElement {
  const wrap = make("label", "rb-field");
  wrap.append(make("span", "rb-label", label), control);
  return wrap;
}

export function createReportBuilder(events: ReportBuilderEvents): ReportBuilder {
  const dialog = make("div", "report-builder");
  dialog.dataset.testid = "report-builder";
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-label", "Report builder");
  dialog.hidden = true;
  document.body.append(dialog);

  let settings: ReportSettings | null = null;
  let view: ReportBuilderView | null = null;
  let preview: Preview | null = null;

  const message = make("p", "rb-message");
  message.dataset.testid = "rb-message";
  const say = (text: string, kind: "info" | "error" = "info"): void => {
    message.textContent = text;
    message.dataset.kind = kind;
  };

  const exhibitId = make("input");
  exhibitId.dataset.testid = "rb-exhibit-id";
  const classification = make("input");
  classification.dataset.testid = "rb-classification";
  const paper = make("select");
  paper.dataset.testid = "rb-paper";
  for (const [value, text] of [
    ["a4", "A4"],
    ["letter", "US Letter"],
  ] as const) {
    const option = make("option", undefined, text);
    option.value = value;
    paper.append(option);
  }
  const question = make("textarea");
  question.rows = 2;
  question.dataset.testid = "rb-question";
  const summary = make("textarea");
  summary.rows = 6;
  summary.dataset.testid = "rb-summary";
  const sensitivity = make("input");
  sensitivity.type = "checkbox";
  sensitivity.dataset.testid = "rb-sensitivity";
  const sections = make("div", "rb-sections");
  const steps = make("ol", "rb-steps");
  steps.dataset.testid = "rb-steps";
  const pages = make("div", "rb-preview-pages");
  pages.dataset.testid = "rb-preview-pages";
  const count = make("p", "rb-preview-count");
  count.dataset.testid = "rb-preview-count";

  const button = (text: string, testid: string, primary = false): HTMLButtonElement => {
    const b = make("button", primary ? "primary" : undefined, text);
    b.type = "button";
    b.dataset.testid = testid;
    return b;
  };
  const previewButton = button("Preview", "rb-preview");
  const exportButton = button("Export", "rb-export", true);
  const closeButton = button("Close", "rb-close");

  /** The settings as the form shows them. */
  const current = (): ReportSettings => {
    const s: ReportSettings = {
      ...(settings ?? { omit: [] }),
      exhibit_id: exhibitId.value.trim(),
      classification: classification.value.trim(),
      paper: paper.value as Paper,
      question: textOrNull(question.value),
      summary: textOrNull(summary.value),
      sensitivity: sensitivity.checked,
    };
    return s;
  };

  const drawSections = (): void => {
    if (view === null || settings === null) return;
    const optional = view.sections.map((c) => {
      const box = make("input");
      box.type = "checkbox";
      box.checked = includes(settings ?? current(), c.key);
      box.dataset.testid = `rb-section-${c.key}`;
      box.addEventListener("change", () => {
        settings = withSection(current(), c.key, box.checked);
      });
      const row = make("label", "rb-section");
      row.append(box, make("span", undefined, c.title));
      return row;
    });
    const mandatory = view.mandatory.map((m) => {
      const box = make("input");
      box.type = "checkbox";
      box.checked = true;
      box.disabled = true;
      const row = make("label", "rb-section rb-mandatory");
      row.title = `Always included: it ${m.why}.`;
      row.append(box, make("span", undefined, m.title), make("small", "rb-why", `always: ${m.why}`));
      return row;
    });
    sections.replaceChildren(
      make("h3", undefined, "Chapters"),
      ...optional,
      make("h4", undefined, "Always included (they make the exhibit auditable)"),
      ...mandatory,
    );
  };

  const drawSteps = (): void => {
    const list = events.steps();
    if (list.length === 0) {
      steps.replaceChildren(make("li", "rb-muted", "No story steps yet: the figures follow the canvas."));
      return;
    }
    steps.replaceChildren(
      ...list.map((step) => {
        const item = make("li", "rb-step");
        item.dataset.testid = "rb-step";
        item.dataset.stepId = String(step.id);
        const move = (delta: -1 | 1): HTMLButtonElement => {
          const b = button(delta < 0 ? "↑" : "↓", `rb-step-${delta < 0 ? "up" : "down"}-${step.id}`);
          b.setAttribute("aria-label", `Move "${step.title}" ${delta < 0 ? "up" : "down"}`);
          const to = movedPosition(step.position, delta, list.length);
          b.disabled = to === null;
          b.addEventListener("click", () => {
            if (to === null) return;
            events
              .moveStep(step.id, to)
              .then(drawSteps)
              .catch((err: unknown) => say(`Story step not moved: ${errorText(err)}`, "error"));
          });
          return b;
        };
        item.append(make("span", "rb-step-title", `${step.position}. ${step.title}`), move(-1), move(1));
        return item;
      }),
    );
  };

  const fill = (): void => {
    if (view === null || settings === null) return;
    exhibitId.value = settings.exhibit_id;
    exhibitId.placeholder = view.default_exhibit_id;
    classification.value = settings.classification;
    classification.placeholder = "RESTRICTED — LAW ENFORCEMENT";
    paper.value = settings.paper;
    question.value = settings.question ?? "";
    summary.value = settings.summary ?? "";
    sensitivity.checked = settings.sensitivity ?? false;
    drawSections();
    drawSteps();
  };

  const checked = (): ReportSettings | null => {
    const s = current();
    const wrong = problem(s);
    if (wrong !== null) {
      say(wrong, "error");
      return null;
    }
    return s;
  };

  previewButton.addEventListener("click", () => {
    const s = checked();
    if (s === null) return;
    previewButton.disabled = true;
    pages.dataset.state = "busy";
    say("Rendering the preview…");
    events
      .preview(s)
      .then(async (bytes) => {
        preview?.close();
        // pdf.js is loaded on the first preview only, so the app starts without it.
        const { showPdf } = await import("./preview");
        preview = await showPdf(pages, bytes);
        count.textContent = `${preview.pages} pages`;
        count.dataset.pages = String(preview.pages);
        pages.dataset.state = "done";
        say(`Preview: ${preview.pages} pages, as the export will print them.`);
      })
      .catch((err: unknown) => {
        pages.dataset.state = "error";
        say(`No preview: ${errorText(err)}`, "error");
      })
      .finally(() => {
        previewButton.disabled = false;
      });
  });

  exportButton.addEventListener("click", () => {
    const s = checked();
    if (s === null) return;
    exportButton.disabled = true;
    say("Writing the report…");
    events
      .export(s)
      .then((path) => {
        settings = s;
        if (path === null) say("Export cancelled.");
        else {
          message.dataset.path = path;
          say(`Report written to ${path}`);
        }
      })
      .catch((err: unknown) => say(`Report not written: ${errorText(err)}`, "error"))
      .finally(() => {
        exportButton.disabled = false;
      });
  });

  const close = (): void => {
    preview?.close();
    preview = null;
    dialog.hidden = true;
  };
  closeButton.addEventListener("click", close);
  dialog.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });

  const form = make("div", "rb-form");
  const annex = make("label", "rb-section");
  annex.append(sensitivity, make("span", undefined, "Sensitivity annex: what changes with each heuristic toggled"));
  form.append(
    make("h2", undefined, "Report builder"),
    field("Exhibit id", exhibitId),
    field("Classification", classification),
    field("Paper", paper),
    field("The question asked", question),
    field("Analyst's summary of findings", summary),
    sections,
    annex,
    make("h3", undefined, "Story steps (figures, in order)"),
    steps,
    message,
  );
  const actions = make("div", "rb-actions");
  actions.append(previewButton, exportButton, closeButton);
  form.append(actions);
  const side = make("div", "rb-preview");
  side.append(count, pages);
  dialog.append(form, side);

  const api: ReportBuilder = {
    async open() {
      dialog.hidden = false;
      say("Loading the stored settings…");
      try {
        view = await events.load();
        settings = view.settings;
        fill();
        say("Settings are kept in the case (audited) when you export.");
        summary.focus();
      } catch (err) {
        say(`The builder could not load: ${errorText(err)}`, "error");
      }
    },
    close,
  };
  openButton().addEventListener("click", () => void api.open());
  return api;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
