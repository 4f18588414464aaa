// A tiny HTTP server for the preview tests' pages: fixed files by exact path, 404 for anything else.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type StaticFiles = Record<string, { type: string; body: string | Buffer }>;

/** Serves `files` on a free loopback port. */
export function serve(files: StaticFiles): Promise<Server> {
  const server = createServer((req, res) => {
    const file = files[req.url ?? ""];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": file.type }).end(file.body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** The base URL of a server started by `serve`. */
export const baseUrl = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
