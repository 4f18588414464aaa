import { defineConfig } from "vitest/config";

// One runner for the whole repo: each workspace folder is a project with its own config.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "test"],
  },
});
