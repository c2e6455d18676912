// A demo case of the spec's own: the app started through a small wrapper that points
// TRACEBENCH_DATA_DIR at a new directory (tauri-driver passes no environment of its own), so
// `--demo` builds a fresh demo case there and the spec's result does not depend on which specs
// ran before it. Reopen the same case with the same `FreshDemo`.

import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TIMEOUT, launchApp, nodeCount } from "./app.mjs";

export class FreshDemo {
  /** `name` names the directory (kept with the run's artefacts when run.sh set the export dir). */
  constructor(name) {
    this.dir = mkdtempSync(join(process.env.TRACEBENCH_EXPORT_DIR ?? tmpdir(), `${name}-`));
    this.dataDir = join(this.dir, "data");
    mkdirSync(this.dataDir);
    this.wrapper = join(this.dir, "app-own-data-dir.sh");
    writeFileSync(this.wrapper, `#!/bin/sh\nTRACEBENCH_DATA_DIR='${this.dataDir}' exec "${process.env.TRACEBENCH_APP}" "$@"\n`);
    chmodSync(this.wrapper, 0o755);
  }

  /** The demo case file of this data dir. */
  get caseFile() {
    return join(this.dataDir, "demo-ransomware-1.tbcase");
  }

  /** Starts the app on this data dir's demo case and waits for the canvas. */
  async open() {
    const browser = await launchApp(["--demo"], this.wrapper);
    await browser.waitUntil(async () => (await nodeCount(browser)) > 0, {
      timeout: TIMEOUT,
      timeoutMsg: `the demo case in ${this.dataDir} never appeared on the canvas`,
    });
    return browser;
  }
}
