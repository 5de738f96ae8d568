// migrate dev (createMigration) and reset against the real PostgreSQL, with temporary shadow databases.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createScratchDatabase, withAdmin } from "../../test/support/databases";
import { MigrationError, createMigration, deployMigrations, migrationStatus, resetDatabase } from "./engine";
import { lockfileContent } from "./migrations-dir";
import { historyRows, migrationWorkspace, sha256Hex, tableNames, type MigrationWorkspace } from "./testing";

const CARD = `model Card {\n  id         Int    @id @default(autoincrement())\n  cardNumber String @unique @map("card_number") @db.VarChar(16)\n\n  @@map("card")\n}\n`;
const HOLDER = `model Holder {\n  id   Int    @id @default(autoincrement())\n  name String @db.VarChar(100)\n\n  @@map("holder")\n}\n`;

let w: MigrationWorkspace;
beforeEach(async () => {
  w = await migrationWorkspace("dev");
});
afterEach(() => w.dispose());

async function databaseNames(): Promise<string[]> {
  return withAdmin(async (client) => (await client.query<{ datname: string }>("SELECT datname FROM pg_database")).rows.map((r) => r.datname));
}

describe("createMigration", () => {
  it("writes and applies the first migration, with the lockfile, then finds nothing more to do", async () => {
    w.writeSchema(CARD);
    const { created, applied } = await createMigration({ ...w.options, name: "init" });

    expect(created).toMatch(/^\d{14}_init$/);
    expect(applied).toEqual([created]);
    expect(w.migrationNames()).toEqual([created]);
    const sql = w.readMigration(created!);
    expect(sql).toContain(`CREATE TABLE "card"`);
    expect(sql).toContain(`CREATE UNIQUE INDEX "card_card_number_key" ON "card"("card_number");`);
    expect(readFileSync(path.join(w.options.migrationsDir, "migration_lock.toml"), "utf8")).toBe(lockfileContent("postgresql"));
    expect(await tableNames(w)).toEqual(["_prisma_migrations", "card"]);
    expect((await historyRows(w))[0]).toMatchObject({ migration_name: created, checksum: sha256Hex(sql), applied_steps_count: 1 });

    expect(await createMigration({ ...w.options, name: "again" })).toEqual({ created: null, applied: [] });
    expect(w.migrationNames()).toEqual([created]);
  });

  it("writes the next migration from a schema change and applies it after the first", async () => {
    w.writeSchema(CARD);
    const first = (await createMigration({ ...w.options, name: "init" })).created!;
    // Same second as the first: the new one must still sort (and so run) after it.
    w.writeSchema(CARD.replace("@@map", `holderName String? @map("holder_name")\n\n  @@map`) + HOLDER);

    const { created, applied } = await createMigration({ ...w.options, name: "add holder" });

    expect(created).toMatch(/^\d{14}_add_holder$/);
    expect(created! > first).toBe(true);
    expect(applied).toEqual([created]);
    const sql = w.readMigration(created!);
    expect(sql).toContain(`ALTER TABLE "card" ADD COLUMN     "holder_name" TEXT;`);
    expect(sql).toContain(`CREATE TABLE "holder"`);
    const columns = await w.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'card' ORDER BY 1`);
    expect(columns.map((c) => c.column_name)).toEqual(["card_number", "holder_name", "id"]);
    expect(await migrationStatus(w.options)).toMatchObject({ applied: [first, created], pending: [], failed: [] });
    expect(await createMigration({ ...w.options, name: "nothing" })).toEqual({ created: null, applied: [] });
  });

  it("applies pending migrations before diffing, and creates only the difference", async () => {
    w.writeMigration("20240101000000_init", `CREATE TABLE "card" ("id" SERIAL NOT NULL, CONSTRAINT "card_pkey" PRIMARY KEY ("id"));\n`);
    w.writeSchema(`model Card {\n  id Int @id @default(autoincrement())\n\n  @@map("card")\n}\n` + HOLDER);

    const { created, applied } = await createMigration({ ...w.options, name: "holder" });

    expect(applied).toEqual(["20240101000000_init", created]);
    expect(w.readMigration(created!)).not.toContain(`"card"`);
  });

  it("with createOnly writes the migration without applying it", async () => {
    w.writeSchema(CARD);
    const { created, applied } = await createMigration({ ...w.options, name: "init", createOnly: true });

    expect(applied).toEqual([]);
    expect(await migrationStatus(w.options)).toMatchObject({ pending: [created] });
    expect(await tableNames(w)).not.toContain("card");
    expect(await deployMigrations(w.options)).toEqual({ applied: [created] });
  });

  it("with createOnly and no change writes an empty migration for hand-written SQL, as Prisma does", async () => {
    const { created } = await createMigration({ ...w.options, name: "custom sql", createOnly: true });
    expect(w.readMigration(created!)).toBe("-- This is an empty migration.");
  });

  it("refuses a change that would lose data unless told to accept it", async () => {
    w.writeSchema(CARD + HOLDER);
    await createMigration({ ...w.options, name: "init" });
    await w.query(`INSERT INTO "holder" ("name") VALUES ('王小明')`);
    w.writeSchema(CARD);

    await expect(createMigration({ ...w.options, name: "drop holder" })).rejects.toThrow(
      /^The schema change would lose data: You are about to drop the `holder` table, which is not empty \(1 rows\)\. \(pass --accept-data-loss if that is intended\)$/,
    );
    expect(w.migrationNames()).toHaveLength(1);

    const { created } = await createMigration({ ...w.options, name: "drop holder", acceptDataLoss: true });
    expect(created).toMatch(/_drop_holder$/);
    expect(await tableNames(w)).not.toContain("holder");
  });

  it("drops every temporary shadow database it creates", async () => {
    w.writeSchema(CARD);
    await createMigration({ ...w.options, name: "init" });
    const shadows = w.logged.flatMap((line) => /^created shadow database (\S+)$/.exec(line)?.[1] ?? []);
    expect(shadows.length).toBeGreaterThan(0);
    const remaining = await databaseNames();
    expect(shadows.filter((name) => remaining.includes(name))).toEqual([]);
  });

  it("wipes a given SHADOW_DATABASE_URL before use, so its leftovers are not taken for drift", async () => {
    const shadow = await createScratchDatabase({ prefix: "shadow" });
    try {
      const client = new pg.Client({ connectionString: shadow.url });
      await client.connect();
      await client.query(`CREATE TABLE "leftover" ("id" INTEGER)`);
      await client.end();

      w.writeSchema(CARD);
      const { created } = await createMigration({ ...w.options, name: "init", shadowDatabaseUrl: shadow.url });
      expect(w.readMigration(created!)).not.toContain("leftover");
      expect(w.logged.some((line) => line.startsWith("created shadow database"))).toBe(false);
    } finally {
      await shadow.drop();
    }
  });

  it("refuses a shadow database that is the main database", async () => {
    await expect(createMigration({ ...w.options, name: "x", shadowDatabaseUrl: w.db.url })).rejects.toThrow(MigrationError);
  });
});

describe("resetDatabase", () => {
  it("empties the schema and applies every migration again", async () => {
    w.writeSchema(CARD);
    const { created } = await createMigration({ ...w.options, name: "init" });
    await w.query(`INSERT INTO "card" ("card_number") VALUES ('TP03120111098939')`);
    await w.query(`CREATE TABLE "stray" ("id" INTEGER)`);

    expect(await resetDatabase(w.options)).toEqual({ applied: [created] });

    expect(await tableNames(w)).toEqual(["_prisma_migrations", "card"]);
    expect(await w.query(`SELECT * FROM "card"`)).toEqual([]);
    expect(await historyRows(w)).toHaveLength(1);
  });
});

describe("the project's own migrations (prisma/migrations)", () => {
  const root = path.resolve(import.meta.dirname, "../..");
  let copy: string;
  beforeEach(() => {
    copy = mkdtempSync(path.join(os.tmpdir(), "moica-migrations-"));
    cpSync(path.join(root, "prisma/migrations"), copy, { recursive: true });
  });
  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  it("match prisma/schema.prisma: no drift, although the hand-written audit triggers are not modelled", async () => {
    const options = { ...w.options, migrationsDir: copy, schemaPath: path.join(root, "prisma/schema.prisma") };
    const { applied } = await deployMigrations(options);
    expect(applied.length).toBeGreaterThan(0);
    expect(await createMigration({ ...options, name: "drift check" })).toEqual({ created: null, applied: [] });
    expect(existsSync(path.join(copy, "migration_lock.toml"))).toBe(true);
  });

  it("make audit_event append-only", async () => {
    await deployMigrations({ ...w.options, migrationsDir: copy });
    await w.query(`INSERT INTO "audit_event" ("actor_type", "action") VALUES ('SYSTEM', 'card.reissue.requested')`);
    for (const statement of [`UPDATE "audit_event" SET "action" = 'edited'`, `DELETE FROM "audit_event"`, `TRUNCATE "audit_event"`]) {
      await expect(w.query(statement), statement).rejects.toThrow(/^audit_event is append-only: (UPDATE|DELETE|TRUNCATE) is not allowed$/);
    }
    expect(await w.query(`SELECT "action" FROM "audit_event"`)).toEqual([{ action: "card.reissue.requested" }]);
  });
});
