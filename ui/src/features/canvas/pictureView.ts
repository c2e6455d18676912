// A picture of the view (the PNG and SVG exports) shows what the investigator sees, every label
// included. Before it is drawn, a running wheel zoom hands Cytoscape the view its scaled picture
// shows (features/canvas/wheelZoom), and then a big graph's labels (features/canvas/labels) are
// brought up to date for that view at once: on their own they follow the view only once it has
// been still for a while, so a picture taken right after a pan or zoom missed the labels of
// whatever had just come into view.

/** What must happen, in this order, before a picture of the view is drawn. */
export interface PictureSteps {
  /** Ends a running wheel zoom: Cytoscape takes the view the investigator sees. */
  settleWheel(): void;
  /** The labels of a big graph: gives label text to what the current view shows. */
  labels: { settle(): void };
}

/** Draws a picture of the view with `draw` once the view and its labels are the shown ones. */
export function pictureOfView<T>(steps: PictureSteps, draw: () => T): T {
  steps.settleWheel();
  steps.labels.settle();
  return draw();
}
