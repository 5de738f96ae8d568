// `prisma migrate dev / deploy / status / reset / resolve --rolled-back` without the schema-engine binary,
// which this network cannot download: Prisma's own schema engine compiled to Wasm does the work, so the
// SQL it generates and the `_prisma_migrations` rows it writes are those of the Prisma CLI, and
// `prisma migrate deploy` on a connected machine continues the same history.
// See docs/decisions/002-offline-migrations.md.
import { readFile } from "node:fs/promises";
import pg from "pg";
import type { DiagnoseMigrationHistoryOutput, SchemaFilter } from "@prisma/schema-engine-wasm";
import { MigrationError, checkConnection } from "./errors";
import { migrationSlug, nameAfterExisting, readMigrationList, writeMigration } from "./migrations-dir";
import { schemaOf } from "./pg-adapter";
import { openEngineSession, type EngineSession } from "./wasm-engine";

export { MigrationError } from "./errors";

export interface MigrateOptions {
  databaseUrl: string;
  migrationsDir: string;
  schemaPath: string;
  shadowDatabaseUrl?: string;
  log?: (line: string) => void;
}

export interface MigrationStatus {
  /** Applied and not rolled back, oldest first (as recorded in `_prisma_migrations`). */
  applied: string[];
  /** In the folder, not yet applied. */
  pending: string[];
  /** Started and not finished, not rolled back: they block deploys until resolved. */
  failed: string[];
  /** Applied, but migration.sql has changed since (checksum mismatch). */
  edited: string[];
  /** Applied to this database but absent from the folder (another branch, or a deleted folder). */
  missingLocally?: string[];
}

// prisma.config.ts sets no tables.external / enums.external.
const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

function sameDatabase(a: string, b: string): boolean {
  const key = (url: string) => {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  };
  try {
    return key(a) === key(b);
  } catch {
    return false;
  }
}

async function withEngine<T>(o: MigrateOptions, work: (engine: EngineSession) => Promise<T>): Promise<T> {
  await checkConnection(o.databaseUrl, "DATABASE_URL");
  if (o.shadowDatabaseUrl) {
    if (sameDatabase(o.shadowDatabaseUrl, o.databaseUrl)) {
      throw new MigrationError("SHADOW_DATABASE_URL points at the DATABASE_URL database; the shadow database is wiped on every use, so give it its own");
    }
    await checkConnection(o.shadowDatabaseUrl, "SHADOW_DATABASE_URL");
  }
  const schema = await readFile(o.schemaPath, "utf8").catch((error: Error) => {
    throw new MigrationError(`Cannot read the Prisma schema at ${o.schemaPath}: ${error.message}`);
  });
  const engine = await openEngineSession({ ...o, schema });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

function resolveHint(name: string): string {
  return `fix or revert what it did, then mark it rolled back with \`migrate resolve --rolled-back ${name}\` and deploy again`;
}

function refuseFailed(diagnosis: DiagnoseMigrationHistoryOutput): void {
  const [first, ...others] = diagnosis.failedMigrationNames;
  if (!first) return;
  const also = others.length ? ` (and ${others.join(", ")})` : "";
  throw new MigrationError(`Migration ${first}${also} failed earlier and blocks new migrations: ${resolveHint(first)}`);
}

/** `prisma migrate deploy`: apply what is pending, in order; never generates anything. */
async function applyPending(engine: EngineSession, o: MigrateOptions): Promise<string[]> {
  const migrationsList = await readMigrationList(o.migrationsDir);
  const diagnosis = await engine.run("diagnoseMigrationHistory", {
    migrationsList,
    optInToShadowDatabase: false,
    filters: NO_FILTER,
  });
  refuseFailed(diagnosis);
  // Like the Prisma CLI, an edited migration that was already applied is reported, not refused: the
  // database already has what it did, and blocking a production deploy on a comment fix helps nobody.
  for (const name of diagnosis.editedMigrationNames) {
    o.log?.(`warning: ${name}/migration.sql was edited after it was applied (checksum differs)`);
  }
  try {
    const { appliedMigrationNames } = await engine.run("applyMigrations", { migrationsList, filters: NO_FILTER });
    for (const name of appliedMigrationNames) o.log?.(`applied ${name}`);
    return appliedMigrationNames;
  } catch (error) {
    throw explainApplyFailure(error);
  }
}

/**
 * A migration that fails to apply comes back as "external connector error / <database error> / span trace
 * naming the migration". People need the migration, the database's words, and how to get unblocked.
 */
function explainApplyFailure(error: unknown): Error {
  if (!(error instanceof MigrationError)) return error instanceof Error ? error : new MigrationError(String(error));
  const trace = (error.cause as { message?: string } | undefined)?.message ?? "";
  const name = /migration_name="([^"]+)"/.exec(trace)?.[1];
  if (!name) return error;
  const cause = error.message.replace(/^Error querying the database:\s*/, "").replace(/^ERROR:\s*/, "");
  return new MigrationError(`Migration ${name} failed: ${cause} — ${resolveHint(name)}`, { cause: error });
}

export async function deployMigrations(o: MigrateOptions): Promise<{ applied: string[] }> {
  return withEngine(o, async (engine) => {
    const applied = await applyPending(engine, o);
    if (applied.length === 0) o.log?.("no pending migrations");
    return { applied };
  });
}

/** migrate dev's first step: a database that drifted from its history has to be reset, not migrated. */
async function refuseDrift(engine: EngineSession, o: MigrateOptions): Promise<void> {
  const { action } = await engine.run("devDiagnostic", { migrationsList: await readMigrationList(o.migrationsDir), filters: NO_FILTER });
  if (action.tag === "reset") {
    throw new MigrationError(`${action.reason.replace(/\s+/g, " ").trim()} — the database must be reset (all data lost): run \`migrate reset --force\``);
  }
}

/**
 * `prisma migrate dev --name <name> [--create-only]`: applies pending migrations, then writes the migration
 * that takes the database from the migration history to the schema, and applies it unless `createOnly`.
 * With `createOnly` and no schema change it writes an empty migration, as Prisma does, to hold hand-written
 * SQL. Changes that would lose data are refused unless `acceptDataLoss`.
 */
export async function createMigration(
  o: MigrateOptions & { name: string; createOnly?: boolean; acceptDataLoss?: boolean },
): Promise<{ created: string | null; applied: string[] }> {
  const slug = migrationSlug(o.name);
  if (!slug) throw new MigrationError(`Migration name "${o.name}" has no letters or digits: give a name like add_payment_index`);
  return withEngine(o, async (engine) => {
    await refuseDrift(engine, o);
    const applied = await applyPending(engine, o);
    // The Wasm engine has no shadow database of its own for evaluateDataLoss and createMigration: they
    // read the migration history's schema from a cache that devDiagnostic fills, through our adapter's
    // shadow database, and only when nothing is pending. So after applying, diagnose again.
    if (applied.length > 0) await refuseDrift(engine, o);

    const migrationsList = await readMigrationList(o.migrationsDir);
    const schema = { files: [{ path: o.schemaPath, content: await readFile(o.schemaPath, "utf8") }] };
    const dataLoss = await engine.run("evaluateDataLoss", { migrationsList, schema, filters: NO_FILTER });
    const unexecutable = dataLoss.unexecutableSteps.map((step) => step.message);
    if (unexecutable.length > 0) throw new MigrationError(`The schema change cannot be applied to this database: ${unexecutable.join("; ")}`);
    const warnings = dataLoss.warnings.map((step) => step.message.replace(/\s+/g, " ").trim());
    if (warnings.length > 0 && !o.acceptDataLoss) {
      throw new MigrationError(`The schema change would lose data: ${warnings.join("; ")} (pass --accept-data-loss if that is intended)`);
    }
    for (const warning of warnings) o.log?.(`warning: ${warning}`);

    const generated = await engine.run("createMigration", {
      migrationName: slug,
      draft: Boolean(o.createOnly),
      migrationsList,
      schema,
      filters: NO_FILTER,
    });
    if (generated.migrationScript === null) {
      o.log?.("already in sync: no schema change, nothing created");
      return { created: null, applied };
    }
    const name = nameAfterExisting(generated.generatedMigrationName, migrationsList.migrationDirectories.map((d) => d.path));
    const directory = await writeMigration(o.migrationsDir, {
      name,
      script: generated.migrationScript,
      extension: generated.extension,
      provider: generated.connectorType,
    });
    o.log?.(`created ${directory}`);
    if (o.createOnly) return { created: name, applied };
    return { created: name, applied: [...applied, ...(await applyPending(engine, o))] };
  });
}

async function readAppliedNames(o: MigrateOptions): Promise<string[]> {
  const client = new pg.Client({ connectionString: o.databaseUrl });
  await client.connect();
  try {
    const table = `"${schemaOf(o.databaseUrl).replace(/"/g, '""')}"."_prisma_migrations"`;
    const { rows } = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM ${table} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY started_at, migration_name`,
    );
    return rows.map((row) => row.migration_name);
  } finally {
    await client.end();
  }
}

/** `prisma migrate status`, as data. */
export async function migrationStatus(o: MigrateOptions): Promise<MigrationStatus> {
  return withEngine(o, async (engine) => {
    const migrationsList = await readMigrationList(o.migrationsDir);
    const diagnosis = await engine.run("diagnoseMigrationHistory", {
      migrationsList,
      optInToShadowDatabase: false,
      filters: NO_FILTER,
    });
    const history = diagnosis.history;
    const local = migrationsList.migrationDirectories.map((d) => d.path);
    const pending = !diagnosis.hasMigrationsTable
      ? local
      : history && history.diagnostic !== "migrationsDirectoryIsBehind"
        ? history.unappliedMigrationNames
        : [];
    const missingLocally = history && history.diagnostic !== "databaseIsBehind" ? history.unpersistedMigrationNames : [];
    return {
      applied: diagnosis.hasMigrationsTable ? await readAppliedNames(o) : [],
      pending,
      failed: diagnosis.failedMigrationNames,
      edited: diagnosis.editedMigrationNames,
      missingLocally,
    };
  });
}

/** `prisma migrate reset --force --skip-seed`: empties the database's schema, then applies every migration. */
export async function resetDatabase(o: MigrateOptions): Promise<{ applied: string[] }> {
  return withEngine(o, async (engine) => {
    await engine.run("reset", { filter: NO_FILTER });
    o.log?.("database reset: schema emptied");
    return { applied: await applyPending(engine, o) };
  });
}

/** `prisma migrate resolve --rolled-back <migration>`: records that a failed migration was undone. */
export async function markRolledBack(o: MigrateOptions & { migration: string }): Promise<void> {
  await withEngine(o, async (engine) => {
    await engine.run("markMigrationRolledBack", { migrationName: o.migration });
    o.log?.(`marked ${o.migration} as rolled back`);
  });
}
