import { defineProject } from "vitest/config";
export default defineProject({ test: { name: "@comaster/chain", include: ["src/**/*.test.ts"] } });
