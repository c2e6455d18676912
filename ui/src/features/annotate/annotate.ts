// Annotating the canvas: callouts (free text placed on the canvas), notes on transfers (edges),
// and the storyboard (a named path per step, in order; numbered figures in the report). Every
// action goes through the core and is recorded in the undo history with its inverse.

import "./annotate.css";
import type { GraphView, NoteView, StoryStepView } from "../../ipc/types";
import type { History } from "../../model/history";
import type { GraphBox, Point } from "../../model/calloutPicture";
import { countOf } from "../../model/format";
import {
  type View,
  calloutSpot,
  highlightOf,
  movedPosition,
  pathOfSelection,
  stepName,
  toModel,
  toScreen,
} from "../../model/story";
import { byId } from "../dom";
import { createCalloutLayer } from "./callouts";
import { createMinimapCallouts } from "./minimapCallouts";
import { calloutLook, pngWithCallouts, svgWithCallouts } from "./picture";
import { type AnnotateCore, annotationSteps } from "./steps";
import { createStoryPanel } from "./storyPanel";

export interface AnnotateDeps {
  core: AnnotateCore;
  history: History;
  /** Draws a graph the core returned (and keeps it as the investigation's). */
  show(graph: GraphView): void;
  graph(): GraphView | null;
  /** The zoom and pan the canvas shows (during a wheel zoom, the gesture's: the callouts follow
   * the scaled picture), or null before a case is open. */
  view(): View | null;
  /** Selects exactly these elements on the canvas and brings the nodes into view. */
  selectPath(ids: readonly string[], nodes: readonly string[]): boolean;
  /** Where a node is drawn (graph coordinates), or null when it is not: a callout's anchor. */
  anchorAt(id: string): Point | null;
  /** The drawn graph's extent (graph coordinates), or null: the minimap's mapping. */
  graphBox(): GraphBox | null;
  status: { info(text: string): void; error(text: string): void };
}

export interface Annotations {
  /** Draws the graph's callouts and story and enables the tools for the selection. */
  update(graph: GraphView | null, selected: readonly string[]): void;
  /** Adds a note on an edge (from the details panel); resolves with an error message or null. */
  addEdgeNote(edgeId: string, text: string): Promise<string | null>;
  /** The canvas's PNG with the callouts drawn over it; `cssWidth` is the canvas's CSS width. */
  pngWithCallouts(png: Uint8Array, cssWidth: number): Promise<Uint8Array>;
  /** The canvas's SVG with the callouts (and their text) drawn over it. */
  svgWithCallouts(svg: string, cssWidth: number): string;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createAnnotations(deps: AnnotateDeps): Annotations {
  const { core, history, status } = deps;
  const steps = annotationSteps(core, deps.show);
  const calloutAdd = byId("callout-add", HTMLButtonElement);
  const calloutForm = byId("callout-form", HTMLFormElement);
  const calloutText = byId("callout-text", HTMLTextAreaElement);
  const calloutConfirm = byId("callout-confirm", HTMLButtonElement);
  const calloutCancel = byId("callout-cancel", HTMLButtonElement);
  const calloutError = byId("callout-error", HTMLElement);
  const stepAdd = byId("story-step-add", HTMLButtonElement);
  const storyForm = byId("story-form", HTMLFormElement);
  const storyTitle = byId("story-title", HTMLInputElement);
  const storyCaption = byId("story-caption", HTMLTextAreaElement);
  const storyError = byId("story-error", HTMLElement);
  const storyCancel = byId("story-cancel", HTMLButtonElement);
  const storyWhat = byId("story-what", HTMLElement);
  const storyConfirm = byId("story-confirm", HTMLButtonElement);
  const canvasEl = byId("canvas", HTMLElement);

  let selected: string[] = [];
  /** The callout the form edits, or null when it places a new one. */
  let editing: { id: number; text: string } | null = null;
  /** The story step the story form renames, or null when it adds a new one. */
  let renaming: StoryStepView | null = null;

  /** Runs a core call that returns a graph, draws it, records `step` and says `done`. */
  const change = async (work: () => Promise<GraphView>, done: string, step: () => ReturnType<typeof steps.calloutAdded>) => {
    try {
      deps.show(await work());
      history.record(step());
      status.info(done);
      return null;
    } catch (err) {
      status.error(`Not changed: ${messageOf(err)}`);
      return messageOf(err);
    }
  };

  const layer = createCalloutLayer(canvasEl, deps.view, deps.anchorAt, {
    onMove: (id, x, y) => {
      const before = deps.graph()?.callouts.find((c) => c.id === id);
      if (before === undefined) return;
      void change(
        () => core.moveCallout(id, x, y),
        "Callout moved; its place is saved in the case.",
        () => steps.calloutMoved(id, { x: before.x, y: before.y }, { x, y }),
      );
    },
    onEdit: (c) => openCalloutForm({ id: c.id, text: c.text }),
    onRemove: (c) =>
      void change(
        () => core.setCalloutRemoved(c.id, true),
        "Callout removed (it stays in the case; Undo brings it back).",
        () => steps.calloutRemoved(c.id),
      ),
  });

  const minimap = createMinimapCallouts(byId("minimap", HTMLElement), deps.graphBox, deps.anchorAt);

  const story = createStoryPanel({
    onShow: (s) => showStep(s),
    onMove: (s, by) => {
      const to = movedPosition(deps.graph()?.story ?? [], s.id, by);
      if (to === null) return;
      void change(
        () => core.moveStoryStep(s.id, to),
        `${stepName(s)} moved to place ${to}.`,
        () => steps.stepMoved(s.id, s.position, to),
      );
    },
    onRename: (s) => openStoryForm(s),
    onRemove: (s) =>
      void change(
        () => core.removeStoryStep(s.id),
        `${stepName(s)} removed (it stays in the case; Undo brings it back).`,
        () => steps.stepRemoved(s.id, s.position, s.title),
      ),
  });

  function showStep(s: StoryStepView): void {
    if (deps.selectPath(highlightOf(s), s.nodes)) status.info(`${stepName(s)}: its path is selected on the canvas.`);
    else status.error(`${stepName(s)}: part of its path is not drawn (hidden, filtered out or removed).`);
  }

  function openCalloutForm(edit: { id: number; text: string } | null): void {
    editing = edit;
    storyForm.hidden = true;
    renaming = null;
    stepAdd.setAttribute("aria-expanded", "false");
    calloutForm.hidden = false;
    calloutAdd.setAttribute("aria-expanded", "true");
    calloutText.value = edit?.text ?? "";
    calloutConfirm.textContent = edit === null ? "Place" : "Save";
    calloutError.textContent = "";
    calloutText.focus();
  }
  function closeCalloutForm(): void {
    calloutForm.hidden = true;
    calloutAdd.setAttribute("aria-expanded", "false");
    editing = null;
  }
  calloutAdd.addEventListener("click", () => (calloutForm.hidden ? openCalloutForm(null) : closeCalloutForm()));
  calloutCancel.addEventListener("click", closeCalloutForm);
  calloutForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = calloutText.value;
    if (text.trim() === "") {
      calloutError.textContent = "Write the callout's text first.";
      return;
    }
    calloutConfirm.disabled = true;
    void (editing === null ? placeCallout(text) : editCallout(editing, text))
      .then((message) => {
        if (message === null) closeCalloutForm();
        else calloutError.textContent = message;
      })
      .finally(() => {
        calloutConfirm.disabled = false;
      });
  });

  /** Places a new callout beside the selected node, pointing at it (a leader line), or at the
   * centre of the view when no node is selected. */
  async function placeCallout(text: string): Promise<string | null> {
    const v = deps.view();
    if (v === null) return "no case is open";
    const graph = deps.graph();
    const anchor = selected.length === 1 && graph?.nodes.some((n) => n.id === selected[0]) === true ? selected[0] : null;
    const anchorPoint = anchor === null || anchor === undefined ? null : deps.anchorAt(anchor);
    const spot = calloutSpot(
      canvasEl.clientWidth,
      canvasEl.clientHeight,
      anchorPoint === null ? null : toScreen(v, anchorPoint.x, anchorPoint.y),
    );
    const at = toModel(v, spot.left, spot.top);
    try {
      const added = await core.addCallout(text, at.x, at.y, anchor ?? null);
      deps.show(added.graph);
      history.record(steps.calloutAdded(added.id));
      status.info("Callout placed (an analyst note); drag it where it belongs.");
      return null;
    } catch (err) {
      status.error(`Callout not placed: ${messageOf(err)}`);
      return messageOf(err);
    }
  }

  async function editCallout(edit: { id: number; text: string }, text: string): Promise<string | null> {
    return change(
      () => core.editCallout(edit.id, text),
      "Callout saved.",
      () => steps.calloutEdited(edit.id, edit.text, text.trim()),
    );
  }

  /** Opens the story form to add a step from the selection, or to rename `step`. */
  function openStoryForm(step: StoryStepView | null): void {
    closeCalloutForm();
    renaming = step;
    if (step === null) {
      const graph = deps.graph();
      const path = graph === null ? null : pathOfSelection(graph, selected);
      storyWhat.textContent =
        path === null ? "" : `Path: ${countOf(path.nodes.length, "node")}, ${countOf(path.edges.length, "edge")} selected`;
      storyTitle.value = "";
      storyCaption.value = "";
    } else {
      storyWhat.textContent = `Renaming ${stepName(step)}`;
      storyTitle.value = step.title;
      storyCaption.value = step.caption;
    }
    storyForm.setAttribute("aria-label", step === null ? "New story step" : "Rename story step");
    storyConfirm.textContent = step === null ? "Add step" : "Save";
    storyForm.hidden = false;
    stepAdd.setAttribute("aria-expanded", "true");
    storyError.textContent = "";
    storyTitle.focus();
  }
  stepAdd.addEventListener("click", () => {
    if (!storyForm.hidden && renaming === null) {
      storyForm.hidden = true;
      stepAdd.setAttribute("aria-expanded", "false");
      return;
    }
    openStoryForm(null);
  });
  const closeStoryForm = (): void => {
    storyForm.hidden = true;
    stepAdd.setAttribute("aria-expanded", "false");
    renaming = null;
  };
  storyCancel.addEventListener("click", closeStoryForm);
  storyForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const graph = deps.graph();
    if (graph === null) return;
    const title = storyTitle.value;
    if (title.trim() === "") {
      storyError.textContent = "Name the step first.";
      return;
    }
    if (renaming !== null) {
      const step = renaming;
      const after = { title: title.trim(), caption: storyCaption.value.trim() };
      void change(
        () => core.renameStoryStep(step.id, after.title, after.caption),
        `Step ${step.position} renamed to “${after.title}”.`,
        () => steps.stepRenamed(step.id, { title: step.title, caption: step.caption }, after),
      ).then((message) => {
        if (message === null) closeStoryForm();
        else storyError.textContent = message;
      });
      return;
    }
    const path = pathOfSelection(graph, selected);
    void (async () => {
      try {
        const added = await core.addStoryStep(title, storyCaption.value, path.nodes, path.edges);
        deps.show(added.graph);
        const step = added.graph.story.find((s) => s.id === added.id);
        history.record(steps.stepAdded(added.id, step?.position ?? added.graph.story.length, title.trim()));
        closeStoryForm();
        storyTitle.value = "";
        storyCaption.value = "";
        status.info(step === undefined ? "Story step added." : `${stepName(step)} added to the storyboard.`);
      } catch (err) {
        storyError.textContent = messageOf(err);
        status.error(`Story step not added: ${messageOf(err)}`);
      }
    })();
  });

  return {
    update(graph, ids) {
      selected = [...ids];
      const path = graph === null ? null : pathOfSelection(graph, selected);
      stepAdd.disabled = path === null || path.nodes.length + path.edges.length === 0;
      calloutAdd.disabled = graph === null;
      layer.show(graph?.callouts ?? []);
      minimap.show(graph?.callouts ?? []);
      story.show(graph?.story ?? []);
    },
    async addEdgeNote(edgeId, text) {
      try {
        const note: NoteView = await core.addEdgeNote(edgeId, text);
        deps.show(await core.graph());
        history.record(steps.edgeNoted(note));
        status.info("Note saved on the transfer in the case.");
        return null;
      } catch (err) {
        status.error(`Note not saved: ${messageOf(err)}`);
        return messageOf(err);
      }
    },
    pngWithCallouts: (png, cssWidth) => pngWithCallouts(png, cssWidth, layer.shapes(), calloutLook(canvasEl)),
    svgWithCallouts: (svg, cssWidth) => svgWithCallouts(svg, cssWidth, layer.shapes(), calloutLook(canvasEl)),
  };
}
