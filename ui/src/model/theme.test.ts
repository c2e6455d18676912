import { describe, expect, it } from "vitest";
import { initialTheme, otherTheme } from "./theme";

describe("theme choice", () => {
  it("follows the OS preference until the analyst chooses", () => {
    expect(initialTheme(null, true), "first start on a dark desktop").toBe("dark");
    expect(initialTheme(null, false), "first start on a light desktop").toBe("light");
  });

  it("keeps the remembered choice over the OS preference", () => {
    expect(initialTheme("light", true), "a remembered light theme wins").toBe("light");
    expect(initialTheme("dark", false), "a remembered dark theme wins").toBe("dark");
  });

  it("ignores a remembered value that is not a theme", () => {
    expect(initialTheme("purple", true), "garbage in storage falls back to the OS").toBe("dark");
    expect(initialTheme("", false), "an empty value falls back to the OS").toBe("light");
  });

  it("toggles between the two themes", () => {
    expect(otherTheme("light")).toBe("dark");
    expect(otherTheme(otherTheme("light")), "two toggles come back").toBe("light");
  });
});
