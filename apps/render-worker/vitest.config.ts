import { defineProject } from "vitest/config";
export default defineProject({ test: { name: "@comaster/render-worker", include: ["src/**/*.test.ts"] } });
