// The theme choice, pure: what was remembered wins, else the OS preference.

export type ThemeName = "light" | "dark";

/** The theme at start: a remembered valid choice, else dark when the OS prefers it. */
export function initialTheme(remembered: string | null, prefersDark: boolean): ThemeName {
  if (remembered === "light" || remembered === "dark") return remembered;
  return prefersDark ? "dark" : "light";
}

export function otherTheme(theme: ThemeName): ThemeName {
  return theme === "dark" ? "light" : "dark";
}
