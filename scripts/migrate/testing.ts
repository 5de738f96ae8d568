// Test fixtures for the migration tool: an empty scratch database on the test PostgreSQL, and a temporary
// folder holding a schema.prisma and a migrations directory, so tests never touch prisma/migrations.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createScratchDatabase, type ScratchDatabase } from "../../test/support/databases";
import type { MigrateOptions } from "./engine";

export const DATASOURCE = `datasource db {\n  provider = "postgresql"\n}\n`;

export interface MigrationWorkspace {
  db: ScratchDatabase;
  options: MigrateOptions;
  /** What the tool logged, for assertions on warnings and shadow databases. */
  logged: string[];
  writeSchema(models: string): void;
  writeMigration(name: string, sql: string): void;
  readMigration(name: string): string;
  migrationNames(): string[];
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  dispose(): Promise<void>;
}

export async function migrationWorkspace(prefix = "migrate"): Promise<MigrationWorkspace> {
  const db = await createScratchDatabase({ prefix });
  const dir = mkdtempSync(path.join(os.tmpdir(), "moica-migrate-"));
  const migrationsDir = path.join(dir, "migrations");
  const schemaPath = path.join(dir, "schema.prisma");
  writeFileSync(schemaPath, DATASOURCE);
  const logged: string[] = [];
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  return {
    db,
    logged,
    options: { databaseUrl: db.url, migrationsDir, schemaPath, log: (line) => logged.push(line) },
    writeSchema: (models) => writeFileSync(schemaPath, DATASOURCE + models),
    writeMigration(name, sql) {
      mkdirSync(path.join(migrationsDir, name), { recursive: true });
      writeFileSync(path.join(migrationsDir, name, "migration.sql"), sql);
    },
    readMigration: (name) => readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8"),
    migrationNames: () => readdirSync(migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort(),
    query: async <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => (await client.query<R>(sql, params)).rows,
    async dispose() {
      await client.end();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

export function historyRows(w: MigrationWorkspace): Promise<MigrationRow[]> {
  return w.query<MigrationRow>(`SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name`);
}

export async function tableNames(w: MigrationWorkspace): Promise<string[]> {
  const rows = await w.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  return rows.map((row) => row.tablename);
}
