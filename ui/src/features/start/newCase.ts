// The start screen's new-case form: title, investigator, agency and the Bitcoin network the case
// is on (every address added is checked against it).

import type { NewCase } from "../../ipc/types";
import { newCaseFrom } from "../../model/newCase";
import { byId } from "../dom";

export interface NewCaseEvents {
  onCreate(meta: NewCase): void;
  onInvalid(message: string): void;
}

export function createNewCaseForm(events: NewCaseEvents): void {
  const form = byId("new-case-form", HTMLFormElement);
  const title = byId("new-case-title", HTMLInputElement);
  const investigator = byId("new-case-investigator", HTMLInputElement);
  const agency = byId("new-case-agency", HTMLInputElement);
  const network = byId("new-case-network", HTMLSelectElement);

  form.addEventListener("submit", (evt) => {
    evt.preventDefault();
    const made = newCaseFrom(title.value, investigator.value, agency.value, network.value);
    if (typeof made === "string") events.onInvalid(made);
    else events.onCreate(made);
  });
}
