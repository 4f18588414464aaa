import { defineProject } from "vitest/config";

// The end-to-end tests (e2e/) are their own project, @comaster/e2e, in the root vitest.config.ts.
export default defineProject({
  test: {
    name: "@comaster/test",
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**"],
    testTimeout: 120_000,
  },
});
