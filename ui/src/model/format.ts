// Display formatting at the edge. Amounts arrive formatted by the core (`EdgeView.amount`);
// nothing here does arithmetic on money.

/** `2024-03-05 14:22:07 UTC`, or a plain statement when the time is not known. */
export function formatUnixUtc(seconds: number | null): string {
  if (seconds === null) return "time unknown (unconfirmed or not fetched)";
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return "time unknown";
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** `2024-03-05T14:22:07Z` → `2024-03-05 14:22 UTC`; anything unparsable is returned as is. */
export function formatIsoUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Keeps both ends of a long identifier: `bc1qxy2k…0wlh`. */
export function middleEllipsis(text: string, keep = 8): string {
  if (text.length <= keep * 2 + 1) return text;
  return `${text.slice(0, keep)}…${text.slice(-keep)}`;
}

export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
