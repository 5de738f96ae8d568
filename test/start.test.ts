// `npm start` as a newcomer runs it: its own PostgreSQL and Redis (in a temporary data folder, on free ports),
// migrations, demo data, build, web and workers — then SIGTERM must leave nothing running.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./support/browser";
import { freePort } from "./support/free-port";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(path.join(tmpdir(), "moica-start-"));
// As root the cluster runs as an unprivileged user, which must be able to enter the folder (mkdtemp makes it 0700).
chmodSync(dataDir, 0o755);
const started: Run[] = [];
afterAll(async () => {
  // A failed assertion skips the test's own SIGTERM: stop whatever is still running, then remove the data.
  for (const run of started) if (run.child.exitCode === null) run.child.kill("SIGTERM");
  await Promise.all(started.map((run) => run.exited));
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

interface Run {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startService(env: Record<string, string | undefined>): Run {
  // The test run's own variables (DATABASE_URL, REDIS_URL, NODE_ENV=test, …) must not leak into the service.
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) =>
      !/^(DATABASE_URL|REDIS_URL|NODE_ENV|QUEUE_PREFIX|SESSION_SECRET|NATIONAL_ID_HASH_KEY|SMTP_URL|STRIPE_.*|LOG_LEVEL|VITEST.*|TEST_.*|CARD_OCSP_URL|CARD_CRL_URL)$/.test(key),
    ),
  );
  const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"], {
    cwd: root,
    env: { ...clean, LOG_LEVEL: "warn", ...env } as unknown as NodeJS.ProcessEnv,
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const run = { child, output: () => out, stderr: () => err, exited };
  started.push(run);
  return run;
}

async function waitForOutput(run: Run, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(run.output())) {
    if (run.child.exitCode !== null) throw new Error(`start exited early:\n${run.output()}\n${run.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${run.output()}\n${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Processes whose command line mentions the temporary data folder, or node processes of this start. */
function leftovers(pids: number[]): string[] {
  const ps = spawnSync("ps", ["-eo", "pid=,args="]).stdout.toString().split("\n");
  return ps.filter((line) => line.includes(dataDir) || pids.includes(Number(line.trim().split(/\s+/)[0])));
}

/**
 * A citizen's login: the demo card whose 8-year end is 30 days away goes in the (simulated) reader, the login
 * page asks HiCOS — the card simulator npm start runs — to sign the challenge in its popup, and the holder lands
 * on the eligibility page. Saves test-results/login-e2e.png.
 */
async function logInThroughTheBrowser({ base, hicos }: { base: string; hicos: string }) {
  const insert = await fetch(`${hicos}/control/insert`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ cardNumber: "TP03120111000002" }),
  });
  expect(insert.ok, `${insert.status} ${await insert.clone().text()}`).toBe(true);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`${base}/login`);
    await page.fill("#pin", "123456");
    await page.click("button[type=submit]");
    await page.waitForURL(`${base}/reissue`, { timeout: 30_000 });
    expect(await page.locator("main").innerText()).toContain("您可以申請線上續卡");
    mkdirSync(path.join(root, "test-results"), { recursive: true });
    await page.screenshot({ path: path.join(root, "test-results/login-e2e.png"), fullPage: true });

    // The session is real: logging out ends it, and /reissue sends the visitor back to the login page.
    await page.click("form[action='/logout'] button");
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/reissue`);
    expect(new URL(page.url()).pathname).toBe("/login");
  } finally {
    await browser.close();
  }
}

describe("npm start", () => {
  it("brings /healthz to 200, serves the landing page, and stops everything on SIGTERM", { timeout: 300_000 }, async () => {
    const ports = {
      PORT: String(await freePort()), LOCAL_PG_PORT: String(await freePort()), LOCAL_REDIS_PORT: String(await freePort()),
      LOCAL_SMTP_PORT: String(await freePort()), LOCAL_OCSP_PORT: String(await freePort()),
    };
    const hicos = `http://127.0.0.1:${await freePort()}`;
    const env = { ...ports, LOCAL_DATA_DIR: dataDir, HICOS_BASE_URL: hicos, CARD_TEST_CA_DIR: path.join(dataDir, "ca") };

    const first = startService(env);
    await waitForOutput(first, /\[start\] ready: /, 240_000);
    const base = `http://127.0.0.1:${ports.PORT}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const report = await health.json();
    // A status only (issue 13): the causes of a failure go to the logs.
    expect(report).toEqual({ status: "ok" });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const landing = await fetch(`${base}/`);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain("自然人憑證");
    expect(first.output()).toMatch(/TP03120111000002/);
    expect(first.output()).toContain(`[start] mail capture smtp://127.0.0.1:${ports.LOCAL_SMTP_PORT}`);
    // The login below asks this responder whether the demo card is revoked (fail closed: without it, no login).
    expect(first.output()).toContain(`[start] test CA OCSP responder http://127.0.0.1:${ports.LOCAL_OCSP_PORT}/ocsp`);

    await logInThroughTheBrowser({ base, hicos });

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/\[start\] stopped/);
    expect(leftovers([first.child.pid!])).toEqual([]);
    expect(first.output()).toMatch(/\[card-simulator\] .*stopping/);

    // A second start reuses the cluster, the data and the build.
    const second = startService(env);
    await waitForOutput(second, /\[start\] ready: /, 120_000);
    expect(second.output()).not.toMatch(/creating a PostgreSQL cluster/);
    expect(second.output()).toMatch(/database schema is up to date/);
    expect(second.output()).toMatch(/build is up to date/);
    expect(second.output()).toMatch(/demo data already present/);
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
    expect(leftovers([second.child.pid!])).toEqual([]);
  });

  it("exits with one clear line when DATABASE_URL points at a port nobody listens on", { timeout: 60_000 }, async () => {
    const port = await freePort();
    const run = startService({
      DATABASE_URL: `postgresql://moica:secret-pw@127.0.0.1:${port}/moica`,
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      SESSION_SECRET: "x".repeat(32),
      NATIONAL_ID_HASH_KEY: "y".repeat(32),
    });
    expect(await run.exited).toBe(1);
    const lines = run.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}.*DATABASE_URL`));
    expect(run.stderr() + run.output()).not.toContain("secret-pw");
  });

  it("names every configuration problem and starts nothing", { timeout: 60_000 }, async () => {
    const run = startService({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://moica@127.0.0.1:1/moica",
      REDIS_URL: "not a url",
    });
    expect(await run.exited).toBe(1);
    const stderr = run.stderr();
    for (const key of ["REDIS_URL", "SESSION_SECRET", "NATIONAL_ID_HASH_KEY", "STRIPE_SECRET_KEY", "SMTP_URL", "PUBLIC_BASE_URL"]) {
      expect(stderr).toContain(`${key}:`);
    }
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
