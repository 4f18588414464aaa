import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages export TypeScript source.
  transpilePackages: ["@comaster/dsp"],
  poweredByHeader: false,
};
export default config;
