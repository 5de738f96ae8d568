// deploy / status / resolve --rolled-back against the real PostgreSQL: the history rows must be the ones
// `prisma migrate deploy` writes, so that the real CLI can take over the same database later.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MigrationError, deployMigrations, markRolledBack, migrationStatus } from "./engine";
import { historyRows, migrationWorkspace, sha256Hex, tableNames, type MigrationWorkspace } from "./testing";

const FIRST = "20240101000000_create_card";
const SECOND = "20240102000000_add_holder";
const FIRST_SQL = `CREATE TABLE "card" ("id" SERIAL PRIMARY KEY, "card_number" VARCHAR(16) NOT NULL);\n`;
const SECOND_SQL = `CREATE TABLE "holder" ("id" SERIAL PRIMARY KEY);\nALTER TABLE "card" ADD COLUMN "holder_id" INTEGER;\n`;

let w: MigrationWorkspace;
beforeEach(async () => {
  w = await migrationWorkspace("deploy");
  w.writeMigration(FIRST, FIRST_SQL);
  w.writeMigration(SECOND, SECOND_SQL);
});
afterEach(() => w.dispose());

describe("deployMigrations", () => {
  it("leaves none of the engine's timers holding the process open once done", async () => {
    // The engine races each database call against a 10 s timer it never clears; unless unref'd, those timers
    // kept every finished deploy (every CLI run, every `npm start`) alive for another 10 s.
    const real = globalThis.setTimeout;
    const engineTimers: NodeJS.Timeout[] = [];
    const spy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((callback: () => void, ms?: number) => {
      const timer = real(callback, ms);
      if ((ms ?? 0) >= 5_000) engineTimers.push(timer);
      return timer;
    }) as typeof setTimeout);
    try {
      await deployMigrations(w.options);
    } finally {
      spy.mockRestore();
    }
    expect(engineTimers.length).toBeGreaterThan(0); // if this fails, the engine changed: revisit the unref in wasm-engine.ts
    expect(engineTimers.filter((timer) => timer.hasRef())).toEqual([]);
  });

  it("applies every migration to a fresh database and records each as Prisma does", async () => {
    expect(await migrationStatus(w.options)).toMatchObject({ applied: [], pending: [FIRST, SECOND], failed: [] });

    expect(await deployMigrations(w.options)).toEqual({ applied: [FIRST, SECOND] });

    expect(await tableNames(w)).toEqual(["_prisma_migrations", "card", "holder"]);
    const rows = await historyRows(w);
    expect(rows.map((row) => row.migration_name)).toEqual([FIRST, SECOND]);
    for (const [row, sql] of [[rows[0]!, FIRST_SQL], [rows[1]!, SECOND_SQL]] as const) {
      expect(row.checksum).toBe(sha256Hex(sql));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
    expect(w.logged).toEqual([`applied ${FIRST}`, `applied ${SECOND}`]);
  });

  it("creates _prisma_migrations with the columns and types of the Prisma CLI", async () => {
    await deployMigrations(w.options);
    const columns = await w.query(
      `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    // The DDL in prisma-engines' sql-schema-connector (postgres flavour), which the native engine runs too.
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying", length: 36, is_nullable: "NO", column_default: null },
      { column_name: "checksum", data_type: "character varying", length: 64, is_nullable: "NO", column_default: null },
      { column_name: "finished_at", data_type: "timestamp with time zone", length: null, is_nullable: "YES", column_default: null },
      { column_name: "migration_name", data_type: "character varying", length: 255, is_nullable: "NO", column_default: null },
      { column_name: "logs", data_type: "text", length: null, is_nullable: "YES", column_default: null },
      { column_name: "rolled_back_at", data_type: "timestamp with time zone", length: null, is_nullable: "YES", column_default: null },
      { column_name: "started_at", data_type: "timestamp with time zone", length: null, is_nullable: "NO", column_default: "now()" },
      { column_name: "applied_steps_count", data_type: "integer", length: null, is_nullable: "NO", column_default: "0" },
    ]);
    const [primaryKey] = await w.query(
      `SELECT a.attname AS column FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = '_prisma_migrations'::regclass AND i.indisprimary`,
    );
    expect(primaryKey).toEqual({ column: "id" });
  });

  it("is a no-op with nothing pending, and status is clean", async () => {
    await deployMigrations(w.options);
    const before = await historyRows(w);

    expect(await deployMigrations(w.options)).toEqual({ applied: [] });

    expect(await historyRows(w)).toEqual(before);
    expect(await migrationStatus(w.options)).toEqual({
      applied: [FIRST, SECOND],
      pending: [],
      failed: [],
      edited: [],
      missingLocally: [],
    });
  });

  it("applies only what is pending when a migration is added later", async () => {
    await deployMigrations(w.options);
    w.writeMigration("20240103000000_index_card_number", `CREATE UNIQUE INDEX "card_number_key" ON "card"("card_number");\n`);
    expect(await migrationStatus(w.options)).toMatchObject({ pending: ["20240103000000_index_card_number"] });
    expect(await deployMigrations(w.options)).toEqual({ applied: ["20240103000000_index_card_number"] });
  });

  it("records a failing migration as failed, leaves nothing of it, and blocks deploys until it is rolled back", async () => {
    const broken = "20240103000000_broken";
    w.writeMigration(broken, `CREATE TABLE "payment" ("id" SERIAL PRIMARY KEY);\nINSERT INTO "no_such_table" VALUES (1);\n`);

    const failure = await deployMigrations(w.options).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as Error).message).toBe(
      `Migration ${broken} failed: relation "no_such_table" does not exist (SQLSTATE 42P01) — fix or revert what it did, ` +
        `then mark it rolled back with \`migrate resolve --rolled-back ${broken}\` and deploy again`,
    );
    // The migrations before it went in; its own first statement did not (one transaction).
    expect(await tableNames(w)).toEqual(["_prisma_migrations", "card", "holder"]);
    const failed = (await historyRows(w)).find((row) => row.migration_name === broken)!;
    expect(failed).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(failed.logs).toContain(`relation "no_such_table" does not exist`);

    w.writeMigration("20240104000000_after", `CREATE TABLE "after" ("id" INTEGER);\n`);
    await expect(deployMigrations(w.options)).rejects.toThrow(`Migration ${broken} failed earlier and blocks new migrations`);
    expect(await migrationStatus(w.options)).toMatchObject({ failed: [broken], pending: ["20240104000000_after"] });
    expect(await tableNames(w)).not.toContain("after");

    await markRolledBack({ ...w.options, migration: broken });
    w.writeMigration(broken, `CREATE TABLE "payment" ("id" SERIAL PRIMARY KEY);\n`);
    expect(await deployMigrations(w.options)).toEqual({ applied: [broken, "20240104000000_after"] });

    const attempts = (await historyRows(w)).filter((row) => row.migration_name === broken);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({ finished_at: null, applied_steps_count: 0 });
    expect(attempts[0]!.rolled_back_at).toBeInstanceOf(Date);
    expect(attempts[1]).toMatchObject({ rolled_back_at: null, applied_steps_count: 1, checksum: sha256Hex(w.readMigration(broken)) });
    expect(await migrationStatus(w.options)).toMatchObject({ failed: [], pending: [], edited: [] });
  });

  it("refuses to mark rolled back a migration that did not fail", async () => {
    await deployMigrations(w.options);
    await expect(markRolledBack({ ...w.options, migration: FIRST })).rejects.toThrow(
      new MigrationError(`P3012: Migration \`${FIRST}\` cannot be rolled back because it is not in a failed state.`),
    );
  });

  it("runs a migration with $$ function bodies as one script", async () => {
    w.writeMigration(
      "20240103000000_card_number_guard",
      `CREATE FUNCTION card_number_upper() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."card_number" := upper(NEW."card_number");
    RETURN NEW;
END;
$$;
CREATE TRIGGER "card_number_upper" BEFORE INSERT ON "card" FOR EACH ROW EXECUTE FUNCTION card_number_upper();
`,
    );
    await deployMigrations(w.options);
    const [card] = await w.query(`INSERT INTO "card" ("card_number") VALUES ('tp03120111098939') RETURNING "card_number"`);
    expect(card).toEqual({ card_number: "TP03120111098939" });
  });

  it("leaves nothing of a $$ migration whose later statement fails", async () => {
    const name = "20240103000000_half";
    w.writeMigration(
      name,
      `CREATE TABLE "audit" ("id" INTEGER);
CREATE FUNCTION audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no; never'; END; $$;
ALTER TABLE "missing" ADD COLUMN "x" INTEGER;
`,
    );
    await expect(deployMigrations(w.options)).rejects.toThrow(`Migration ${name} failed: relation "missing" does not exist`);
    expect(await tableNames(w)).not.toContain("audit");
    expect(await w.query(`SELECT proname FROM pg_proc WHERE proname = 'audit_guard'`)).toEqual([]);
  });

  it("reports an applied migration whose file was edited, and deploy only warns about it", async () => {
    await deployMigrations(w.options);
    w.writeMigration(FIRST, `${FIRST_SQL}-- a comment added after the fact\n`);

    expect(await migrationStatus(w.options)).toMatchObject({ edited: [FIRST], pending: [], failed: [] });
    expect(await deployMigrations(w.options)).toEqual({ applied: [] });
    expect(w.logged).toContain(`warning: ${FIRST}/migration.sql was edited after it was applied (checksum differs)`);
  });

  it("lists migrations applied to the database but missing from the folder", async () => {
    await deployMigrations(w.options);
    const rows = await historyRows(w);
    await w.query(`UPDATE _prisma_migrations SET migration_name = '20231231000000_elsewhere' WHERE id = $1`, [rows[0]!.id]);
    expect(await migrationStatus(w.options)).toMatchObject({ missingLocally: ["20231231000000_elsewhere"], pending: [FIRST] });
  });
});

describe("connection errors", () => {
  it("says in one line that the server cannot be reached", async () => {
    const url = "postgresql://postgres:s3cret-pw@127.0.0.1:1/moica";
    await expect(deployMigrations({ ...w.options, databaseUrl: url })).rejects.toThrow(
      new MigrationError("Cannot reach PostgreSQL at 127.0.0.1:1 (connection refused) — check DATABASE_URL"),
    );
  });

  it("names the user but never the password when login fails", async () => {
    const url = new URL(w.db.url);
    url.password = "wrong-pass-1234";
    const failure = (await migrationStatus({ ...w.options, databaseUrl: url.toString() }).catch((e: unknown) => e)) as Error;
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure.message).toMatch(/^PostgreSQL at 127\.0\.0\.1:\d+ rejected the credentials of user "postgres" \(authentication failed\) — check DATABASE_URL$/);
    expect(failure.message).not.toContain("wrong-pass-1234");
  });

  it("says which database does not exist", async () => {
    const url = new URL(w.db.url);
    url.pathname = "/no_such_database";
    await expect(deployMigrations({ ...w.options, databaseUrl: url.toString() })).rejects.toThrow(
      /^Database "no_such_database" does not exist on PostgreSQL at 127\.0\.0\.1:\d+ — check DATABASE_URL$/,
    );
  });
});
