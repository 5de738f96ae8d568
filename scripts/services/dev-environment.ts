// The development environment `npm start` and the db:* commands run in: where DATABASE_URL / REDIS_URL are
// unset, private servers under .data/dev; dev-only secrets generated once and kept there. Production sets
// every variable itself and nothing here starts.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureDemoBankFileKey } from "../demo-partners/bank-file-signer";
import { ensureServerPackages, startPostgres, startRedis, type RunningService } from "./local-services";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
const devData = () => path.resolve(repoRoot, process.env.LOCAL_DATA_DIR ?? ".data/dev");
const devPort = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export interface DevEnvironment {
  /** Variables to add to the environment of this process and its children. */
  env: Record<string, string>;
  local: { postgres: boolean; redis: boolean };
  stop(): Promise<void>;
}

function loadDotEnv(): void {
  const file = path.join(repoRoot, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}

function devSecrets(): Record<string, string> {
  const file = path.join(devData(), "secrets.json");
  mkdirSync(devData(), { recursive: true });
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  const secrets = {
    SESSION_SECRET: saved.SESSION_SECRET ?? randomBytes(32).toString("base64url"),
    NATIONAL_ID_HASH_KEY: saved.NATIONAL_ID_HASH_KEY ?? randomBytes(32).toString("base64url"),
    BANK_CALLBACK_SECRET: saved.BANK_CALLBACK_SECRET ?? randomBytes(32).toString("base64url"),
    PRINT_VENDOR_SECRET: saved.PRINT_VENDOR_SECRET ?? randomBytes(32).toString("base64url"),
    POST_TRACKING_API_KEY: saved.POST_TRACKING_API_KEY ?? randomBytes(24).toString("base64url"),
    STAFF_TOTP_KEY: saved.STAFF_TOTP_KEY ?? randomBytes(32).toString("base64url"),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/**
 * `share`: a command run beside `npm start` (db:*, finance:import-bank, fulfilment:labels …) uses the servers that
 * are already running on these data folders and leaves them running; `npm start` itself replaces leftovers.
 */
export async function startDevEnvironment(log: (line: string) => void, { share = false }: { share?: boolean } = {}): Promise<DevEnvironment> {
  loadDotEnv();
  // The one place NODE_ENV gets a default: everything run through here (npm start, npm run dev, db:*, the CLIs) is
  // development unless told otherwise; app/lib/env.server.ts requires it everywhere else.
  process.env.NODE_ENV ??= "development";
  const local = { postgres: !process.env.DATABASE_URL, redis: !process.env.REDIS_URL };
  ensureServerPackages(log, local);
  const started: RunningService[] = [];
  const env: Record<string, string> = {};
  const stop = async () => {
    await Promise.all(started.splice(0).map((service) => service.stop()));
  };
  try {
    if (local.postgres) {
      const postgres = await startPostgres({
        dataDir: path.join(devData(), "pg"), port: devPort("LOCAL_PG_PORT", 54329), database: "moica", log, share,
      });
      started.push(postgres);
      env.DATABASE_URL = postgres.url;
      log(`PostgreSQL ${postgres.displayUrl} (data in ${path.relative(repoRoot, devData())}/pg${postgres.shared ? ", already running: shared" : ""})`);
    }
    if (local.redis) {
      const redis = await startRedis({
        dataDir: path.join(devData(), "redis"), port: devPort("LOCAL_REDIS_PORT", 63799), persist: true, log, share,
      });
      started.push(redis);
      env.REDIS_URL = redis.url;
      log(`Redis ${redis.displayUrl} (data in ${path.relative(repoRoot, devData())}/redis${redis.shared ? ", already running: shared" : ""})`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  if (process.env.NODE_ENV !== "production") {
    for (const [key, value] of Object.entries(devSecrets())) if (!process.env[key]) env[key] = value;
    // The demo bank's key pair: the service gets only the public half; `npm run demo:sign-bank-file` uses the other.
    if (!process.env.BANK_FILE_PUBLIC_KEY_FILE) env.BANK_FILE_PUBLIC_KEY_FILE = ensureDemoBankFileKey(devData()).publicKeyFile;
  }
  Object.assign(process.env, env);
  return { env, local, stop };
}
