// Private PostgreSQL and Redis servers for development and tests, run as child processes of the
// command that needs them, with their data under a git-ignored folder and listening on loopback only.
// Production never comes here: it sets DATABASE_URL and REDIS_URL (see README "Production topology").
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, chownSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export class LocalServiceError extends Error {}

type Log = (line: string) => void;

const PG_ROOT = "/usr/lib/postgresql";

function findPostgresBin(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(path.join(PG_ROOT, v, "bin", "postgres")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(PG_ROOT, versions[0], "bin") : null;
}

function findRedisServer(): string | null {
  for (const candidate of ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** As root: Debian's packages, once per machine (apt-get update first: a fresh machine has no package lists). */
function aptInstall(packages: string[], log: Log): void {
  log(`installing ${packages.join(", ")} with apt-get (once per machine)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", ...packages]]) {
    const result = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "pipe"], env });
    if (result.status !== 0) {
      throw new LocalServiceError(`apt-get ${args[0]} failed: ${result.stderr?.toString().trim().split("\n").pop()}`);
    }
  }
}

/** Installs Debian's postgresql and redis-server when they are missing and we may (root); otherwise says what to install. */
export function ensureServerPackages(log: Log, needed: { postgres: boolean; redis: boolean }): void {
  const missing: string[] = [];
  if (needed.postgres && !findPostgresBin()) missing.push("postgresql");
  if (needed.redis && !findRedisServer()) missing.push("redis-server");
  if (missing.length === 0) return;
  if (!isRoot()) {
    throw new LocalServiceError(
      `Missing Debian packages: ${missing.join(" ")}. Install them (sudo apt-get install -y ${missing.join(" ")}) ` +
        `or set DATABASE_URL and REDIS_URL to existing servers.`,
    );
  }
  aptInstall(missing, log);
  // Debian's package starts a system-wide cluster and Redis on the default ports; ours use their own.
  spawnSync("service", ["redis-server", "stop"], { stdio: "ignore" });
}

export const CHROMIUM = "/usr/bin/chromium";

/** Debian's Chromium for the browser tests (and CJK fonts, so screenshots show the Chinese text). */
export function ensureBrowser(log: Log): void {
  const missing = [
    ...(existsSync(CHROMIUM) ? [] : ["chromium"]),
    ...(existsSync("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc") ? [] : ["fonts-noto-cjk"]),
  ];
  if (missing.length === 0) return;
  if (!isRoot()) {
    if (missing.includes("chromium")) throw new LocalServiceError(`Browser tests need Debian's chromium: sudo apt-get install -y ${missing.join(" ")}`);
    return; // fonts only make screenshots prettier
  }
  aptInstall(missing, log);
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function waitForPort(port: number, child: ChildProcess, what: string, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new LocalServiceError(`${what} exited during start-up (code ${child.exitCode})`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new LocalServiceError(`${what} did not open port ${port} within ${timeoutMs / 1000} s`);
}

function readOrCreateSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(18).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}

/** initdb refuses to run as root, so as root the cluster belongs to an unprivileged user. */
function pgUser(): { name: string; uid: number; gid: number } | null {
  if (!isRoot()) return null;
  for (const name of ["postgres", "nobody"]) {
    const id = spawnSync("id", ["-u", name]);
    const gid = spawnSync("id", ["-g", name]);
    if (id.status === 0) return { name, uid: Number(id.stdout.toString()), gid: Number(gid.stdout.toString()) };
  }
  throw new LocalServiceError("running as root and no unprivileged user (postgres, nobody) to own the PostgreSQL cluster");
}

function asPgUser(bin: string, args: string[]): [string, string[]] {
  const user = pgUser();
  if (!user) return [bin, args];
  // setpriv execs in place (no wrapper process), so signals reach postgres itself.
  return ["setpriv", [`--reuid=${user.uid}`, `--regid=${user.gid}`, "--clear-groups", "--", bin, ...args]];
}

/** Stops a server that a killed run left behind (its pid file names it), so this run can take its place. */
function stopStaleProcess(pidFile: string, command: string, signal: NodeJS.Signals = "SIGTERM"): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!pid) return;
  try {
    // The pid may have been reused by an unrelated process since: check what it is first.
    if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(command)) return;
    process.kill(pid, signal);
  } catch {
    return; // not running: the server clears its own stale pid file
  }
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    spawnSync("sleep", ["0.1"]);
  }
}

/** The pid in `pidFile` when that process is alive and is `command`; else null. */
function runningFromPidFile(pidFile: string, command: string): number | null {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!pid) return null;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(command) ? pid : null;
  } catch {
    return null;
  }
}

/** A server another run (`npm start`) owns: used as it is, and left running afterwards. */
function sharedService(url: string, displayUrl: string): RunningService {
  return { url, displayUrl, shared: true, stop: async () => {} };
}

function canReach(user: { name: string } | null, dir: string): boolean {
  if (!user) return true;
  const [probe, args] = asPgUser("test", ["-x", dir, "-a", "-w", dir]);
  return spawnSync(probe, args).status === 0;
}

/**
 * Where the cluster lives: beside the other data, unless that folder is out of the unprivileged user's reach
 * (a checkout under /root, which is 0700). Then a folder of its own under the system temp directory, named
 * after the data folder so the next run finds it again.
 */
const fallbackFor = (dataDir: string) => path.join(tmpdir(), `moica-pg-${createHash("sha256").update(dataDir).digest("hex").slice(0, 12)}`);

/** Deletes the fallback cluster folder of a data folder, if one was made (for throwaway test clusters). */
export function removeClusterFallback(dataDir: string): void {
  rmSync(fallbackFor(dataDir), { recursive: true, force: true });
}

function clusterParentFor(dataDir: string, user: { name: string; uid: number; gid: number } | null, log: Log): string {
  if (!user) return dataDir;
  chownSync(dataDir, user.uid, user.gid);
  if (canReach(user, dataDir)) return dataDir;
  const fallback = fallbackFor(dataDir);
  mkdirSync(fallback, { recursive: true, mode: 0o700 });
  chownSync(fallback, user.uid, user.gid);
  if (!canReach(user, fallback)) {
    throw new LocalServiceError(`the user ${user.name} that runs PostgreSQL can reach neither ${dataDir} nor ${fallback}`);
  }
  log(`${user.name} cannot reach ${dataDir}; keeping the PostgreSQL cluster in ${fallback}`);
  return fallback;
}

export interface RunningService {
  url: string;
  /** The URL without the password, for messages. */
  displayUrl: string;
  /** Started by another run and still running: this one neither started nor stops it. */
  shared?: boolean;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.once("exit", () => (clearTimeout(force), resolve()));
    child.kill(signal);
  });
}

export async function startPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  log: Log;
  /** Use this cluster's server when it is already running (a command run beside `npm start`) instead of replacing it. */
  share?: boolean;
}): Promise<RunningService> {
  const bin = findPostgresBin();
  if (!bin) throw new LocalServiceError("PostgreSQL server binaries not found (Debian package postgresql)");
  const user = pgUser();
  mkdirSync(opts.dataDir, { recursive: true });
  const clusterParent = clusterParentFor(opts.dataDir, user, opts.log);
  const clusterDir = path.join(clusterParent, "cluster");
  const password = readOrCreateSecret(path.join(opts.dataDir, "password"));

  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    opts.log(`creating a PostgreSQL cluster in ${clusterDir}`);
    rmSync(clusterDir, { recursive: true, force: true });
    mkdirSync(clusterDir, { mode: 0o700 });
    const pwFile = path.join(clusterParent, ".pwfile");
    writeFileSync(pwFile, password + "\n", { mode: 0o600 });
    if (user) {
      chownSync(clusterDir, user.uid, user.gid);
      chownSync(pwFile, user.uid, user.gid);
    }
    const [cmd, args] = asPgUser(path.join(bin, "initdb"), [
      "-D", clusterDir, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwFile}`,
      "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
    ]);
    const result = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    rmSync(pwFile, { force: true });
    if (result.status !== 0) {
      rmSync(clusterDir, { recursive: true, force: true });
      throw new LocalServiceError(`initdb failed: ${result.stderr.toString().trim()}`);
    }
  }
  const base = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}`;
  const displayUrl = `postgresql://postgres@127.0.0.1:${opts.port}/${opts.database}`;
  if (opts.share && runningFromPidFile(path.join(clusterDir, "postmaster.pid"), "postgres") && !(await portIsFree(opts.port))) {
    await ensureDatabase(`${base}/postgres`, opts.database);
    return sharedService(`${base}/${opts.database}`, displayUrl);
  }
  // SIGINT is PostgreSQL's "fast" shutdown.
  stopStaleProcess(path.join(clusterDir, "postmaster.pid"), "postgres", "SIGINT");
  if (!(await portIsFree(opts.port))) {
    throw new LocalServiceError(`port ${opts.port} is in use: another PostgreSQL? Stop it or set DATABASE_URL.`);
  }
  const logFile = path.join(opts.dataDir, "postgres.log");
  const [cmd, args] = asPgUser(path.join(bin, "postgres"), [
    "-D", clusterDir, "-p", String(opts.port), "-c", "listen_addresses=127.0.0.1",
    "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "synchronous_commit=off",
    "-c", "full_page_writes=off", "-c", "max_connections=200", "-c", `log_min_messages=warning`,
  ]);
  // Own process group: a terminal's Ctrl-C reaches only our parent, which stops the servers last, in order.
  const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
  const stderrChunks: Buffer[] = [];
  child.stderr?.on("data", (chunk: Buffer) => {
    stderrChunks.push(chunk);
    if (stderrChunks.length > 200) stderrChunks.shift();
  });
  try {
    await waitForPort(opts.port, child, "PostgreSQL", 30_000);
  } catch (error) {
    writeFileSync(logFile, Buffer.concat(stderrChunks));
    await stopChild(child, "SIGINT");
    throw new LocalServiceError(`${(error as Error).message}; see ${logFile}`);
  }
  await ensureDatabase(`${base}/postgres`, opts.database);
  return {
    url: `${base}/${opts.database}`,
    displayUrl,
    // SIGINT = PostgreSQL's "fast" shutdown: roll back open transactions, write a checkpoint, exit.
    stop: () => stopChild(child, "SIGINT"),
  };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const { default: pg } = await import("pg");
  // The server may accept TCP a moment before it accepts logins ("the database system is starting up");
  // a pg client cannot be reused after a failed connect, so each attempt gets a new one.
  let client: InstanceType<typeof pg.Client>;
  for (let attempt = 0; ; attempt++) {
    client = new pg.Client({ connectionString: adminUrl });
    try {
      await client.connect();
      break;
    } catch (error) {
      await client.end().catch(() => {});
      if (attempt > 100) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, "")}"`);
  } finally {
    await client.end();
  }
}

export async function startRedis(opts: {
  dataDir: string;
  port: number;
  persist: boolean;
  log: Log;
  /** As for startPostgres: use this folder's running server rather than fail on its port. */
  share?: boolean;
}): Promise<RunningService> {
  const bin = findRedisServer();
  if (!bin) throw new LocalServiceError("redis-server not found (Debian package redis-server)");
  mkdirSync(opts.dataDir, { recursive: true });
  const running = runningFromPidFile(path.join(opts.dataDir, "redis.pid"), "redis-server");
  if (opts.share && running && !(await portIsFree(opts.port))) {
    const password = readOrCreateSecret(path.join(opts.dataDir, "password"));
    return sharedService(`redis://:${encodeURIComponent(password)}@127.0.0.1:${opts.port}`, `redis://127.0.0.1:${opts.port}`);
  }
  if (!(await portIsFree(opts.port))) {
    throw new LocalServiceError(`port ${opts.port} is in use: another Redis? Stop it or set REDIS_URL.`);
  }
  const pidFile = path.join(opts.dataDir, "redis.pid");
  stopStaleProcess(pidFile, "redis-server");
  const password = readOrCreateSecret(path.join(opts.dataDir, "password"));
  const args = [
    "--pidfile", pidFile,
    "--port", String(opts.port), "--bind", "127.0.0.1", "--dir", opts.dataDir, "--requirepass", password,
    "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning", "--logfile", "",
    // BullMQ requires that Redis never evicts its keys.
    "--maxmemory-policy", "noeviction",
    ...(opts.persist ? ["--appendonly", "yes", "--appendfsync", "everysec", "--save", "60 1"] : ["--save", "", "--appendonly", "no"]),
  ];
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
  await waitForPort(opts.port, child, "Redis", 15_000);
  return {
    url: `redis://:${encodeURIComponent(password)}@127.0.0.1:${opts.port}`,
    displayUrl: `redis://127.0.0.1:${opts.port}`,
    stop: () => stopChild(child, "SIGTERM"),
  };
}
