import { defineConfig } from "vitest/config";

// One runner for the whole repo: each workspace folder is a project with its own config. The
// end-to-end tests (Chromium against the production build) run last and one file at a time, with
// the machine to themselves: their budgets (a knob turn heard within 100 ms) are about the product,
// not about how many other suites share the two cores.
export default defineConfig({
  test: {
    projects: [
      "packages/*",
      "apps/*",
      "test",
      {
        test: {
          name: "@comaster/e2e",
          root: "./test",
          include: ["e2e/**/*.test.ts"],
          testTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
