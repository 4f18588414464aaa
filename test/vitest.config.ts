import { defineProject } from "vitest/config";
export default defineProject({
  test: { name: "@comaster/test", include: ["**/*.test.ts"], exclude: ["node_modules/**"], testTimeout: 120_000 },
});
