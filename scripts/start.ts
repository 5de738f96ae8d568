// `npm start`: the whole service on one machine. Brings up PostgreSQL and Redis (unless DATABASE_URL /
// REDIS_URL point elsewhere), migrates, seeds demo data, builds when the sources changed, then runs the web
// server and the workers process until Ctrl-C or SIGTERM, and stops everything it started, in order.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { ConfigError, parseEnv } from "../app/lib/env.server";
import { deployMigrations } from "./migrate/engine";
import { LocalServiceError } from "./services/local-services";
import { repoRoot, startDevEnvironment, type DevEnvironment } from "./services/dev-environment";
import { startSmtpCapture, type RunningSmtpCapture } from "./services/smtp-capture";

const say = (line: string) => console.log(`[start] ${line}`);
const children: ChildProcess[] = [];
let environment: DevEnvironment | undefined;
let mailCapture: RunningSmtpCapture | undefined;
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (stopping) return new Promise<never>(() => {});
  stopping = true;
  say("stopping…");
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill("SIGKILL"), 30_000);
          child.once("exit", () => (clearTimeout(force), resolve()));
          child.kill("SIGTERM");
        }),
    ),
  );
  await mailCapture?.stop();
  await environment?.stop();
  say("stopped");
  process.exit(exitCode);
}

/** One clear line and a non-zero exit, instead of a stack trace, for what an operator must fix. */
async function fail(message: string): Promise<never> {
  console.error(`[start] ${message}`);
  return stopAll(1);
}

function sourceFingerprint(): string {
  const hash = createHash("sha256");
  const visit = (entry: string) => {
    const full = path.join(repoRoot, entry);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const child of readdirSync(full).sort()) if (child !== "generated") visit(path.join(entry, child));
    } else {
      hash.update(entry).update(readFileSync(full));
    }
  };
  for (const entry of ["app", "vite.config.ts", "tsconfig.json", "package-lock.json", "prisma/schema.prisma"]) visit(entry);
  return hash.digest("hex");
}

function buildIfStale(): void {
  const marker = path.join(repoRoot, "build/.source-fingerprint");
  const fingerprint = sourceFingerprint();
  const generated = existsSync(path.join(repoRoot, "app/generated/prisma/client.ts"));
  if (generated && existsSync(marker) && readFileSync(marker, "utf8") === fingerprint) {
    say("build is up to date");
    return;
  }
  say("building (prisma generate + remix vite:build)…");
  const result = spawnSync("npm", ["run", "-s", "build"], { cwd: repoRoot, stdio: "inherit" });
  if (result.status !== 0) throw new Error("the build failed (see above)");
  writeFileSync(marker, fingerprint);
}

async function assertRedisReachable(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const where = new URL(url);
    throw new Error(`Cannot reach Redis at ${where.host} (${(error as Error).message}) — check REDIS_URL`);
  } finally {
    client.disconnect();
  }
}

function runChild(name: string, args: string[]): ChildProcess {
  // Own process group + IPC channel: Ctrl-C reaches only this script (which stops children in order), and a
  // child whose parent vanished sees the channel close and exits instead of lingering.
  const child = spawn(process.execPath, [path.join(repoRoot, "node_modules/tsx/dist/cli.mjs"), ...args], {
    cwd: repoRoot,
    env: process.env,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    detached: true,
  });
  child.on("exit", (code, signal) => {
    if (stopping) return;
    void fail(`${name} exited unexpectedly (${signal ?? `code ${code}`})`);
  });
  children.push(child);
  return child;
}

async function waitUntilHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `${response.status} ${(await response.json()).status} (the web log names the cause)`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the service did not become healthy within ${timeoutMs / 1000} s: ${last}`);
}

/**
 * The demo vendor remembers batches by number, and numbers start again at P…-0001 after `npm run db:reset`: a
 * database without batches beside a vendor that has some was reset, so the demo partners start afresh too.
 */
async function forgetDemoPartnersAfterReset(databaseUrl: string, stateDir: string): Promise<void> {
  if (!existsSync(path.join(stateDir, "vendor.json"))) return;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM print_batch");
    if (Number(rows[0]?.n) === 0) {
      rmSync(stateDir, { recursive: true, force: true });
      say("the database has no print batches: the demo vendor and post office start afresh");
    }
  } finally {
    await client.end();
  }
}

async function main() {
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  environment = await startDevEnvironment(say);
  let config;
  try {
    config = parseEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }

  const { applied } = await deployMigrations({
    databaseUrl: config.DATABASE_URL,
    migrationsDir: path.join(repoRoot, "prisma/migrations"),
    schemaPath: path.join(repoRoot, "prisma/schema.prisma"),
  });
  say(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");
  await assertRedisReachable(config.REDIS_URL);

  buildIfStale();

  if (environment.local.postgres || process.env.SEED_DEMO_DATA === "1") {
    const seed = spawnSync(process.execPath, [path.join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "prisma/seed.ts"], {
      cwd: repoRoot, env: process.env, stdio: "inherit",
    });
    if (seed.status !== 0) throw new Error("seeding demo data failed (see above)");
  }

  // Development without a mail server: a local capture keeps every message as a file (the paid e-mail, …).
  if (config.NODE_ENV === "development" && !process.env.SMTP_URL) {
    mailCapture = await startSmtpCapture({
      port: Number(process.env.LOCAL_SMTP_PORT ?? 2525),
      dir: path.resolve(repoRoot, process.env.LOCAL_DATA_DIR ?? ".data/dev", "mail"),
      log: (line) => console.log(`[mail] ${line}`),
    });
    process.env.SMTP_URL = mailCapture.url;
    say(`mail capture ${mailCapture.url} (nothing is delivered; each message is saved in ${path.relative(repoRoot, mailCapture.dir)}/*.eml)`);
  }

  // Development without a printing vendor or a post office: the demo ones (scripts/demo-partners/), fast enough
  // to watch a paid order become a card in the post and then delivered within a few minutes.
  if (config.NODE_ENV === "development" && !process.env.PRINT_VENDOR_URL && !process.env.POST_TRACKING_URL) {
    const vendorPort = Number(process.env.DEMO_VENDOR_PORT ?? 4010);
    const postPort = Number(process.env.DEMO_POST_PORT ?? 4011);
    const dataDir = path.resolve(repoRoot, process.env.LOCAL_DATA_DIR ?? ".data/dev");
    Object.assign(process.env, {
      PRINT_VENDOR_URL: `http://127.0.0.1:${vendorPort}`,
      POST_TRACKING_URL: `http://127.0.0.1:${postPort}`,
      DEMO_VENDOR_PORT: String(vendorPort),
      DEMO_POST_PORT: String(postPort),
      DEMO_PARTNERS_DIR: path.join(dataDir, "demo-partners"),
      // The vendor's new cards appear in the card simulator's reader, ready for activation.
      DEMO_CARDS_DIR: path.join(dataDir, "cards"),
      PRINT_BATCH_INTERVAL_SECONDS: process.env.PRINT_BATCH_INTERVAL_SECONDS ?? "15",
      PRINT_POLL_INTERVAL_SECONDS: process.env.PRINT_POLL_INTERVAL_SECONDS ?? "5",
      TRACKING_POLL_INTERVAL_SECONDS: process.env.TRACKING_POLL_INTERVAL_SECONDS ?? "10",
    });
    await forgetDemoPartnersAfterReset(config.DATABASE_URL, process.env.DEMO_PARTNERS_DIR!);
    runChild("demo-partners", ["scripts/demo-partners/main.ts"]);
    say(`demo card-printing vendor ${process.env.PRINT_VENDOR_URL} and post office ${process.env.POST_TRACKING_URL} (state in ${path.relative(repoRoot, process.env.DEMO_PARTNERS_DIR!)})`);
  }

  // Development: the test CA's OCSP responder and CRL (scripts/ocsp-responder/), which every certificate status
  // check asks; `npm run ca -- revoke|suspend|resume` changes what it answers. Production asks MOICA's.
  if (config.NODE_ENV === "development" && !process.env.CARD_OCSP_URL && !process.env.CARD_CRL_URL) {
    const ocspPort = Number(process.env.LOCAL_OCSP_PORT ?? 4012);
    Object.assign(process.env, {
      CARD_OCSP_URL: `http://127.0.0.1:${ocspPort}/ocsp`,
      CARD_CRL_URL: `http://127.0.0.1:${ocspPort}/crl`,
    });
    runChild("ocsp-responder", ["scripts/ca.ts", "responder", "--port", String(ocspPort)]);
    say(`test CA OCSP responder ${process.env.CARD_OCSP_URL} and CRL ${process.env.CARD_CRL_URL}`);
  }

  runChild("workers", ["workers/main.ts"]);
  runChild("web", ["server/main.ts"]);
  // Development only: a stand-in for the HiCOS service on the citizen's computer, holding the demo cards.
  const hicos = new URL(config.HICOS_BASE_URL);
  if (config.NODE_ENV !== "production" && process.env.CARD_SIMULATOR !== "0" && ["localhost", "127.0.0.1"].includes(hicos.hostname)) {
    runChild("card-simulator", ["scripts/card-simulator/main.ts", "--port", hicos.port || "80"]);
  }
  const base = `http://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${config.PORT}`;
  await waitUntilHealthy(`${base}/healthz`, 60_000);
  say(`ready: ${base}  (health: ${base}/healthz) — Ctrl-C stops everything`);
  if (children.some((child) => child.spawnargs.some((arg) => arg.includes("card-simulator")))) say(`card simulator: ${config.HICOS_BASE_URL}/ (insert a demo card there, then log in at ${base}/login; PIN 123456)`);
}

main().catch((error: Error) => {
  // Start-up failures are an operator's to fix (a port, a URL, a package): the message, not a stack trace.
  const known = error instanceof LocalServiceError || error.name === "MigrationError";
  void fail(process.env.DEBUG || !known ? (error.stack ?? error.message) : error.message);
});
