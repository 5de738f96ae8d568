// The driver adapter the Wasm schema engine runs over: @prisma/adapter-pg 7.10.1, wrapped to fix three
// things that break when the *schema engine* (not Prisma Client) drives it. See
// docs/decisions/002-offline-migrations.md. We wrap rather than patch node_modules so an upgrade of
// adapter-pg stays a one-line change here, and each fix can be dropped when upstream has it.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { DriverAdapterError, isDriverAdapterError } from "@prisma/driver-adapter-utils";
import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";

/** PostgreSQL's one-byte internal `"char"` type, used by pg_catalog columns such as pg_class.relkind. */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type Log = (line: string) => void;

function reportCharColumnsAsText(result: unknown): void {
  // A multi-statement simple query yields an array of results.
  for (const one of Array.isArray(result) ? result : [result]) {
    const fields = (one as Partial<pg.QueryResult> | null)?.fields;
    for (const field of fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  }
}

/**
 * Fix 1. adapter-pg has no column type for `"char"` and throws "Column type 'char' could not be
 * deserialized"; the engine's catalog queries (relkind, contype, …) return such columns. pg already parses
 * the value as a one-character string, so it only has to be reported as text. The adapter maps types from
 * `field.dataTypeID`, so that is rewritten on every result, on pooled and transaction connections alike.
 */
class CharAsTextClient extends pg.Client {}
const clientQuery = pg.Client.prototype.query;
CharAsTextClient.prototype.query = function query(this: pg.Client, ...args: unknown[]): unknown {
  const callback = args.at(-1);
  if (typeof callback === "function") {
    // pg.Pool#query calls Client#query with a callback.
    const rest = args.slice(0, -1);
    return Reflect.apply(clientQuery, this, [
      ...rest,
      (error: Error | null, result: unknown) => {
        if (!error) reportCharColumnsAsText(result);
        (callback as (error: Error | null, result: unknown) => void)(error, result);
      },
    ]);
  }
  const pending: unknown = Reflect.apply(clientQuery, this, args);
  if (pending instanceof Promise) return pending.then((result: unknown) => (reportCharColumnsAsText(result), result));
  return pending;
} as typeof clientQuery;

function poolConfig(connectionString: string): pg.PoolConfig {
  return {
    connectionString,
    Client: CharAsTextClient,
    // One session per database, as the native engine has: its advisory lock and any session state stay
    // on the connection that took them. (The engine issues one query at a time and opens no transactions.)
    max: 1,
    // Idle connections must not keep a finished command alive.
    allowExitOnIdle: true,
  };
}

/**
 * adapter-pg turns some PostgreSQL errors into categories whose rendering drops the server's text
 * (23502 becomes "Null constraint failed:" with no column). A failing migration is read by people, in the
 * CLI and in `_prisma_migrations.logs`, so the engine gets PostgreSQL's own message and code instead.
 */
function withDatabaseWording(error: unknown): unknown {
  if (!isDriverAdapterError(error)) return error;
  const { originalCode, originalMessage } = error.cause;
  if (!originalMessage || error.cause.kind === "postgres") return error;
  // The engine maps well-known codes (23502, 42P01, …) to the same terse categories again, so the code
  // travels in the text instead.
  return new DriverAdapterError({
    kind: "postgres",
    code: "N/A",
    severity: "ERROR",
    message: originalCode ? `${originalMessage} (SQLSTATE ${originalCode})` : originalMessage,
    detail: undefined,
    column: undefined,
    hint: undefined,
  });
}

/** The main or shadow database as the engine sees it. */
class MigrationPgAdapter implements SqlDriverAdapter {
  readonly provider = "postgres" as const;
  readonly adapterName: string;

  private disposing: Promise<void> | null = null;

  constructor(
    private readonly inner: SqlDriverAdapter,
    private readonly afterDispose: () => Promise<void> = async () => {},
  ) {
    this.adapterName = inner.adapterName;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.inner.queryRaw(query);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.inner.executeRaw(query);
  }

  /**
   * Fix 2. adapter-pg splits the script on every `;` and runs the pieces one by one: that cuts `$$` function
   * bodies apart and leaves half a migration behind when a later statement fails. The native schema engine
   * sends migration.sql as one simple query, which PostgreSQL runs as one implicit transaction; so do we.
   * (A query without parameters goes out on the simple-query protocol, which allows several statements.)
   */
  async executeScript(script: string): Promise<void> {
    try {
      await this.inner.executeRaw({ sql: script, args: [], argTypes: [] });
    } catch (error) {
      throw withDatabaseWording(error);
    }
  }

  startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    return this.inner.startTransaction(isolationLevel);
  }

  getConnectionInfo(): ConnectionInfo {
    return this.inner.getConnectionInfo?.() ?? { supportsRelationJoins: true };
  }

  /** Idempotent: the engine may dispose what the session closes anyway. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      try {
        await this.inner.dispose();
      } finally {
        await this.afterDispose();
      }
    })();
    return this.disposing;
  }
}

export function databaseUrlWithName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

async function runAdminStatement(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface MigrationAdapterOptions {
  databaseUrl: string;
  /** An existing database the engine may wipe and use as its shadow; otherwise a temporary one is created. */
  shadowDatabaseUrl?: string;
  log?: Log;
}

/** `?schema=` in the URL, as Prisma reads it; the engine takes it from getConnectionInfo(). */
export function schemaOf(url: string): string {
  try {
    return new URL(url).searchParams.get("schema") || "public";
  } catch {
    return "public";
  }
}

export class MigrationPgAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "@prisma/adapter-pg";
  private readonly opened = new Set<MigrationPgAdapter>();

  constructor(private readonly options: MigrationAdapterOptions) {}

  private async open(url: string, afterDispose?: () => Promise<void>): Promise<MigrationPgAdapter> {
    const inner = await new PrismaPg(poolConfig(url), { schema: schemaOf(url) }).connect();
    const adapter = new MigrationPgAdapter(inner, afterDispose);
    this.opened.add(adapter);
    return adapter;
  }

  connect(): Promise<SqlDriverAdapter> {
    return this.open(this.options.databaseUrl);
  }

  /**
   * Fix 3. adapter-pg's version creates the shadow database but then connects with
   * `{ ...config, database }`, where pg lets `connectionString` win: the "shadow" work (which resets the
   * schema!) would run on the main database. It also drops the shadow database before closing its pool.
   * Ours connects to the database it created and drops it (WITH (FORCE)) only after the pool is closed.
   */
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const { databaseUrl, shadowDatabaseUrl, log } = this.options;
    if (shadowDatabaseUrl) {
      // The native engine wipes a configured shadow database before replaying the migrations into it; the
      // Wasm engine does not, and leftovers from the last run would show up as drift.
      const schema = `"${schemaOf(shadowDatabaseUrl).replace(/"/g, '""')}"`;
      await runAdminStatement(shadowDatabaseUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
      return this.open(shadowDatabaseUrl);
    }

    // Same name pattern as Prisma's, so an operator recognises a leftover after a killed run.
    const shadowName = `prisma_migrate_shadow_db_${randomUUID()}`;
    await runAdminStatement(databaseUrl, `CREATE DATABASE "${shadowName}"`);
    log?.(`created shadow database ${shadowName}`);
    const dropShadow = async () => {
      await runAdminStatement(databaseUrl, `DROP DATABASE IF EXISTS "${shadowName}" WITH (FORCE)`);
      log?.(`dropped shadow database ${shadowName}`);
    };
    try {
      return await this.open(databaseUrlWithName(databaseUrl, shadowName), dropShadow);
    } catch (error) {
      await dropShadow();
      throw error;
    }
  }

  /**
   * Closes every pool this factory opened. The engine takes `pg_advisory_lock(72707369)` and never unlocks
   * (the native engine relies on its process exiting); a pool left open would hold that lock and make the
   * next command on the same database wait.
   */
  async disposeAll(): Promise<void> {
    const adapters = [...this.opened];
    this.opened.clear();
    await Promise.allSettled(adapters.map((adapter) => adapter.dispose()));
  }
}
