import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages export TypeScript source.
  transpilePackages: ["@comaster/dsp", "@comaster/chain", "@comaster/codecs", "@comaster/db"],
  // Database drivers and Prisma's runtime stay plain Node modules on the server.
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-libsql", "@libsql/client", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};
export default config;
