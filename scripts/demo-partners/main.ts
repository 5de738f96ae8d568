// `tsx scripts/demo-partners/main.ts`: the card-printing vendor and the post office for development and demos
// (started by `npm start` when PRINT_VENDOR_URL / POST_TRACKING_URL are unset). Two loopback HTTP servers around
// the demo cores in this folder, which tests drive through msw instead. The vendor's dispatch hands each letter
// to the demo post office, whose tracking then moves by the clock: the whole flow can be watched in minutes.
//
// Environment (set by scripts/start.ts): DEMO_VENDOR_PORT, DEMO_POST_PORT, PRINT_VENDOR_SECRET,
// POST_TRACKING_API_KEY, DEMO_PARTNERS_DIR (state files), DEMO_CARDS_DIR (new cards for the card simulator),
// DEMO_PERSONALISE_SECONDS, DEMO_DISPATCH_SECONDS, DEMO_IN_TRANSIT_SECONDS, DEMO_DELIVERED_SECONDS.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { createDemoPostOffice } from "./post-office";
import { createDemoVendor } from "./vendor";

const say = (line: string) => console.log(`[demo-partners] ${line}`);
const MAX_BODY_BYTES = 10 * 1024 * 1024;

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`[demo-partners] ${name} is required`);
    process.exit(1);
  }
  return value;
}

const seconds = (name: string, fallback: number) => Number(process.env[name] ?? fallback) * 1000;

/** Node's request → a fetch Request for the cores, and their Response back; one log line without bodies. */
function serve(name: string, handle: (request: Request) => Promise<Response>): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on("end", () => {
      const url = `http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`;
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(key, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
      }
      const body = ["GET", "HEAD"].includes(req.method ?? "GET") ? undefined : Buffer.concat(chunks);
      handle(new Request(url, { method: req.method, headers, body }))
        .then(async (response) => {
          const out = Buffer.from(await response.arrayBuffer());
          res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
          res.end(out);
          say(`${name} ${req.method} ${new URL(url).pathname} → ${response.status} (${Date.now() - started} ms)`);
        })
        .catch((error: Error) => {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { code: "DEMO_FAILURE", message: "the demo service failed" } }));
          console.error(`[demo-partners] ${name} ${req.method} ${new URL(url).pathname}: ${error.message}`);
        });
    });
  });
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
}

const stateDir = path.resolve(required("DEMO_PARTNERS_DIR"));
mkdirSync(stateDir, { recursive: true });
const postOffice = createDemoPostOffice({
  apiKey: required("POST_TRACKING_API_KEY"),
  inTransitAfterMs: seconds("DEMO_IN_TRANSIT_SECONDS", 20),
  deliveredAfterMs: seconds("DEMO_DELIVERED_SECONDS", 60),
  stateFile: path.join(stateDir, "post-office.json"),
});
const vendor = createDemoVendor({
  secret: required("PRINT_VENDOR_SECRET"),
  personaliseAfterMs: seconds("DEMO_PERSONALISE_SECONDS", 10),
  dispatchAfterMs: seconds("DEMO_DISPATCH_SECONDS", 10),
  stateFile: path.join(stateDir, "vendor.json"),
  cardFilesDir: process.env.DEMO_CARDS_DIR ? path.resolve(process.env.DEMO_CARDS_DIR) : undefined,
  onDispatched: ({ mailNumber, dispatchedAt }) => postOffice.acceptLetter({ mailNumber, acceptedAt: dispatchedAt }),
});

const vendorServer = serve("vendor", (request) => vendor.handle(request));
const postServer = serve("post", (request) => postOffice.handle(request));
try {
  await listen(vendorServer, Number(required("DEMO_VENDOR_PORT")));
  await listen(postServer, Number(required("DEMO_POST_PORT")));
} catch (error) {
  console.error(`[demo-partners] cannot listen: ${(error as Error).message}`);
  process.exit(1);
}
say(`card-printing vendor http://127.0.0.1:${process.env.DEMO_VENDOR_PORT}, post office http://127.0.0.1:${process.env.DEMO_POST_PORT} (state in ${stateDir})`);

let stopping = false;
const stop = (why: string) => {
  if (stopping) return;
  stopping = true;
  say(`${why}: stopping`);
  vendorServer.close();
  postServer.close();
  setTimeout(() => process.exit(0), 200).unref();
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(signal));
process.on("disconnect", () => stop("parent exited"));
