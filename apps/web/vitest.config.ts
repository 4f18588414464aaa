import { defineProject } from "vitest/config";
export default defineProject({
  test: {
    name: "@comaster/web",
    include: ["src/**/*.test.ts", "app/**/*.test.ts"],
    exclude: [".next/**", "node_modules/**"],
  },
});
