import { defineProject } from "vitest/config";
export default defineProject({ test: { name: "@comaster/db", include: ["src/**/*.test.ts"] } });
