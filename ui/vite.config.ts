import { defineConfig } from "vitest/config";

// The app loads ui/dist from Tauri's asset protocol under a strict CSP (src-tauri/tauri.conf.json):
// no inline scripts or styles, so no module-preload polyfill either.
export default defineConfig({
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari16",
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
