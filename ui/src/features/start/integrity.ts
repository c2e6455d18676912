// The open case's page check (`quick_check`), which the core runs after opening so the canvas
// shows without waiting for it. Its verdict is marked on the workbench for tests and styles
// (`data-integrity`: `checking`, then `ok` or `damaged`); a damaged file is announced, because
// the core then refuses every write to it (the case stays readable).

/** Waits for the verdict of `check` (rejects naming the damage) and reports it. */
export async function watchIntegrity(
  check: () => Promise<void>,
  workbench: Pick<HTMLElement, "dataset">,
  onDamaged: (err: unknown) => void,
): Promise<void> {
  workbench.dataset.integrity = "checking";
  try {
    await check();
    workbench.dataset.integrity = "ok";
  } catch (err) {
    workbench.dataset.integrity = "damaged";
    onDamaged(err);
  }
}
