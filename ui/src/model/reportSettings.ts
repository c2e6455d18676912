// The report builder's model: the exhibit settings the core stores in the case (question,
// summary, exhibit id, marking, paper, chapters left out, sensitivity annex), the choices the
// builder offers, and the pure edits the builder makes. Shapes mirror the shell's JSON
// (`tracebench_report::ReportSettings`, `commands::report::ReportBuilder`).

export type Paper = "a4" | "letter";

export interface ReportSettings {
  exhibit_id: string;
  classification: string;
  paper: Paper;
  question: string | null;
  summary: string | null;
  /** Keys of the optional chapters left out; absent means none. */
  omit?: string[];
  /** Absent means off. */
  sensitivity?: boolean;
}

export interface SectionChoice {
  key: string;
  title: string;
}

export interface MandatoryChoice {
  title: string;
  why: string;
}

export interface ReportBuilderView {
  settings: ReportSettings;
  sections: SectionChoice[];
  mandatory: MandatoryChoice[];
  default_exhibit_id: string;
}

/** The same limits the core checks (`api::MAX_*`), so the builder says so before sending. */
export const MAX_SUMMARY_CHARS = 20_000;
export const MAX_QUESTION_CHARS = 2_000;
export const MAX_MARKING_CHARS = 80;

/** Whether the chapter `key` is printed under `s`. */
export function includes(s: ReportSettings, key: string): boolean {
  return !(s.omit ?? []).includes(key);
}

/** `s` with chapter `key` printed or left out; the omitted keys stay sorted, so the same
 * choice always gives the same settings (and the same settings hash). */
export function withSection(s: ReportSettings, key: string, shown: boolean): ReportSettings {
  const omit = new Set(s.omit ?? []);
  if (shown) omit.delete(key);
  else omit.add(key);
  return { ...s, omit: [...omit].sort() };
}

/** Text from a form field: empty (or only blanks) is "not set". */
export function textOrNull(value: string): string | null {
  return value.trim() === "" ? null : value;
}

/** What is wrong with `s` before it is sent, or null. The core checks again. */
export function problem(s: ReportSettings): string | null {
  const long = (what: string, text: string | null, max: number): string | null => {
    const n = [...(text ?? "")].length;
    return n > max ? `The ${what} has ${n} characters; at most ${max} are accepted.` : null;
  };
  return (
    long("exhibit id", s.exhibit_id, MAX_MARKING_CHARS) ??
    long("classification", s.classification, MAX_MARKING_CHARS) ??
    long("question", s.question, MAX_QUESTION_CHARS) ??
    long("summary", s.summary, MAX_SUMMARY_CHARS)
  );
}

/** The 1-based position a story step moves to with "up" (-1) or "down" (+1), or null at an end. */
export function movedPosition(position: number, delta: -1 | 1, count: number): number | null {
  const to = position + delta;
  return to < 1 || to > count ? null : to;
}
