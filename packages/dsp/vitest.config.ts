import { defineProject } from "vitest/config";
export default defineProject({ test: { name: "@comaster/dsp", include: ["src/**/*.test.ts"] } });
