import { defineProject } from "vitest/config";
export default defineProject({ test: { name: "@comaster/codecs", include: ["src/**/*.test.ts"] } });
