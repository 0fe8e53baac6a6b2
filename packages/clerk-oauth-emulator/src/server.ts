import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createClerkEmulator } from "./emulator";
import type { ClerkEmulator, ClerkEmulatorOptions } from "./types";

export interface RunningClerkEmulator {
  origin: string;
  emulator: ClerkEmulator;
  close(): Promise<void>;
}

export type ClerkEmulatorServerOptions = ClerkEmulatorOptions & { host?: string; port?: number };

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toRequest(req: IncomingMessage, origin: string, signal: AbortSignal, body: Buffer) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  // The Host header wins so discovery URLs match what the caller dialled (localhost vs 127.0.0.1).
  const base = req.headers.host ? `http://${req.headers.host}` : origin;
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", base), {
    method: req.method,
    headers,
    body: hasBody ? new Uint8Array(body) : undefined,
    signal,
  });
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  if (res.destroyed) return;
  const headers: Record<string, string | number> = Object.fromEntries(response.headers);
  if (response.status !== 204 && response.status !== 304) headers["content-length"] = body.length;
  res.writeHead(response.status, headers);
  res.end(body);
}

async function handle(
  emulator: ClerkEmulator,
  origin: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  // Aborting on hang-up lets a delay fault stop waiting when the client (or close()) gives up.
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  try {
    const body = await readBody(req);
    const response = await emulator.fetch(toRequest(req, origin, controller.signal, body));
    await writeResponse(res, response);
  } catch (error) {
    if (res.headersSent || res.destroyed) return;
    const message = error instanceof Error ? error.message : String(error);
    console.error("Clerk emulator failed on", req.method, req.url, error);
    res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ errors: [{ message, long_message: message, code: "emulator_bug" }] }));
  }
}

export async function startClerkEmulator(
  options: ClerkEmulatorServerOptions = {},
): Promise<RunningClerkEmulator> {
  const { host = "127.0.0.1", port = 0, ...emulatorOptions } = options;
  const emulator = createClerkEmulator(emulatorOptions);
  let origin = "";
  const server = createServer((req, res) => {
    void handle(emulator, origin, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  origin = `http://${hostPart}:${address.port}`;

  return {
    origin,
    emulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from global fetch would otherwise hold close() open for seconds.
        server.closeAllConnections();
      }),
  };
}
