import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages export TypeScript source.
  transpilePackages: ["@comaster/dsp", "@comaster/chain", "@comaster/codecs", "@comaster/db"],
  // Database drivers and Prisma's runtime stay plain Node modules on the server.
  // yjs too: bundled into several server chunks it loads twice in one process ("Yjs was already
  // imported"), and a document from one copy fails the other copy's instanceof checks.
  serverExternalPackages: [
    "@prisma/client",
    "@prisma/adapter-libsql",
    "@libsql/client",
    "@prisma/adapter-pg",
    "pg",
    "yjs",
  ],
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
