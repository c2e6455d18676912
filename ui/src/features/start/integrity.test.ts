import { describe, expect, it } from "vitest";
import { watchIntegrity } from "./integrity";

describe("watchIntegrity", () => {
  it("marks a case whose page check passed as ok and announces nothing", async () => {
    const workbench = { dataset: {} as DOMStringMap };
    const announced: unknown[] = [];
    const watching = watchIntegrity(async () => undefined, workbench, (e) => announced.push(e));
    expect(workbench.dataset.integrity, "while the check runs the workbench says so").toBe("checking");
    await watching;
    expect(workbench.dataset.integrity, "a passed check marks the case ok").toBe("ok");
    expect(announced, "a healthy case is not announced as damaged").toEqual([]);
  });

  it("marks a damaged case and hands the core's error to the announcement", async () => {
    const workbench = { dataset: {} as DOMStringMap };
    const announced: unknown[] = [];
    const damage = new Error("case file x.tbcase is damaged (page 7: invalid page type); it was not modified");
    await watchIntegrity(() => Promise.reject(damage), workbench, (e) => announced.push(e));
    expect(workbench.dataset.integrity, "a failed check marks the case damaged").toBe("damaged");
    expect(announced, "the core's error, which names the damage, is what gets announced").toEqual([damage]);
  });
});
