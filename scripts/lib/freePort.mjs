// A TCP port free on loopback right now (the OS picks it), for a server a test or benchmark starts.
import { createServer } from "node:net";

/** @returns {Promise<number>} */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(undefined));
  });
  const address = server.address();
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  if (typeof address !== "object" || !address) throw new Error("the OS gave no port");
  return address.port;
}
