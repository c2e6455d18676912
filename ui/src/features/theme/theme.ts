// Dark and light themes. The choice is remembered in localStorage; before the analyst has
// chosen, the OS preference (`prefers-color-scheme`) decides. The theme is an attribute on the
// document root (`data-theme`), which switches the CSS variables of theme.css, the graph's
// `--g-*` colours included (the canvas re-reads them through `onChange`).

import { type ThemeName, initialTheme, otherTheme } from "../../model/theme";
import { byId } from "../dom";
import "./theme.css";

const KEY = "tracebench.theme";

export interface ThemeSwitch {
  current(): ThemeName;
}

function stored(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function apply(theme: ThemeName, button: HTMLButtonElement): void {
  document.documentElement.dataset.theme = theme;
  button.dataset.theme = theme;
  const next = otherTheme(theme);
  button.textContent = theme === "dark" ? "☾" : "☀";
  button.title = `Theme: ${theme}. Click for the ${next} theme.`;
  button.setAttribute("aria-label", `Theme: ${theme}; switch to ${next}`);
}

/** Applies the remembered (or the OS's) theme at once and wires the `theme` toggle. */
export function createThemeSwitch(onChange: (theme: ThemeName) => void): ThemeSwitch {
  const button = byId("theme", HTMLButtonElement);
  const prefersDark = window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
  let theme = initialTheme(stored(), prefersDark);
  apply(theme, button);
  button.addEventListener("click", () => {
    theme = otherTheme(theme);
    try {
      window.localStorage.setItem(KEY, theme);
    } catch {
      // Storage refused (private mode): the theme still switches for this session.
    }
    apply(theme, button);
    onChange(theme);
  });
  return { current: () => theme };
}
