// `tsx scripts/card-simulator/main.ts [--port 61161] [--host 127.0.0.1] [--cards DIR]`: the HiCOS stand-in for
// development (see docs/card-simulator.md). Loopback only: whatever runs on this machine can ask it to sign.
import path from "node:path";
import { parseArgs } from "node:util";
import { startCardSimulator } from "./server";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const say = (line: string) => console.log(`[card-simulator] ${line}`);

function fail(message: string): never {
  console.error(`[card-simulator] ${message}`);
  process.exit(1);
}

let args: { port?: string; host?: string; cards?: string; help?: boolean };
try {
  ({ values: args } = parseArgs({
    options: { port: { type: "string" }, host: { type: "string" }, cards: { type: "string" }, help: { type: "boolean", short: "h" } },
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (args.help) {
  console.log("usage: tsx scripts/card-simulator/main.ts [--port 61161] [--host 127.0.0.1] [--cards DIR]  (default: <LOCAL_DATA_DIR or .data/dev>/cards)");
  process.exit(0);
}

const port = Number(args.port ?? 61161);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, not ${args.port}`);
const host = args.host ?? "127.0.0.1";
if (!/^(127(\.\d{1,3}){3}|::1|localhost)$/.test(host)) fail(`--host must be a loopback address, not ${host}`);
// Where the seed writes the demo cards' files (prisma/seed.ts).
const cardsDir = path.resolve(args.cards ?? path.resolve(repoRoot, process.env.LOCAL_DATA_DIR ?? ".data/dev", "cards"));

const simulator = await startCardSimulator({ cardsDir, port, host }).catch((error: NodeJS.ErrnoException) =>
  fail(error.code === "EADDRINUSE" ? `port ${port} is in use (is HiCOS or another simulator running?)` : String(error)),
);
const cards = await simulator.store.list();
say(`listening on ${simulator.url} — cards from ${cardsDir} (${cards.length} found${cards[0] ? `, ${cards[0].cardNumber} inserted` : ""})`);
say(`open ${simulator.url}/ to insert or remove cards`);

let stopping = false;
const stop = (why: string) => {
  if (stopping) return;
  stopping = true;
  say(`${why}: stopping`);
  void simulator.close().then(() => process.exit(0));
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(signal));
// Started by scripts/start.ts with an IPC channel: when that parent is gone, don't linger.
process.on("disconnect", () => stop("parent exited"));
