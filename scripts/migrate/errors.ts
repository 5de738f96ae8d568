// Errors meant for the person running a migration: one line, what went wrong and what to check, and
// never the password from the connection string.
import pg from "pg";

export class MigrationError extends Error {
  override name = "MigrationError";
}

interface ConnectionTarget {
  host: string;
  port: string;
  user: string;
  database: string;
  password: string;
}

function target(url: string): ConnectionTarget | null {
  try {
    const parsed = new URL(url);
    return {
      host: parsed.hostname || "localhost",
      port: parsed.port || "5432",
      user: decodeURIComponent(parsed.username),
      database: decodeURIComponent(parsed.pathname.replace(/^\//, "")),
      password: decodeURIComponent(parsed.password),
    };
  } catch {
    return null;
  }
}

/** Removes the password (raw and URL-encoded) and collapses the text to one line. */
export function redact(text: string, url: string): string {
  let line = text.replace(/\s*\n\s*/g, " ").trim();
  const parsed = target(url);
  const secrets = parsed?.password ? [parsed.password, encodeURIComponent(parsed.password)] : [];
  for (const secret of secrets) line = line.split(secret).join("***");
  return line.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/g, "$1***@");
}

interface DriverLikeError {
  code?: unknown;
  kind?: unknown;
  cause?: unknown;
  message?: unknown;
}

/** Socket and login failures as the pg driver, adapter-pg or the engine (P1xxx) report them. */
export function describeDatabaseError(error: unknown, url: string, setting = "DATABASE_URL"): MigrationError | null {
  const t = target(url);
  if (!t) return new MigrationError(`${setting} is not a valid postgresql:// URL`);
  const where = `PostgreSQL at ${t.host}:${t.port}`;
  const e = (error ?? {}) as DriverLikeError;
  const adapterKind = typeof e.cause === "object" && e.cause ? (e.cause as DriverLikeError).kind : e.kind;
  const code = typeof e.code === "string" ? e.code : undefined;
  const say = (text: string) => new MigrationError(`${text} — check ${setting}`, { cause: error });

  if (code === "ECONNREFUSED" || code === "P1001" || adapterKind === "DatabaseNotReachable") {
    return say(`Cannot reach ${where} (connection refused)`);
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return say(`Cannot reach ${where} (host not found)`);
  if (code === "ETIMEDOUT" || code === "P1002" || adapterKind === "SocketTimeout") {
    return say(`Cannot reach ${where} (timed out)`);
  }
  if (code === "28P01" || code === "P1000" || adapterKind === "AuthenticationFailed") {
    return say(`${where} rejected the credentials of user "${t.user}" (authentication failed)`);
  }
  if (code === "28000" || code === "P1010" || adapterKind === "DatabaseAccessDenied") {
    return say(`${where} denied user "${t.user}" access to database "${t.database}"`);
  }
  if (code === "3D000" || code === "P1003" || adapterKind === "DatabaseDoesNotExist") {
    return say(`Database "${t.database}" does not exist on ${where}`);
  }
  if (adapterKind === "TlsConnectionError") return say(`TLS connection to ${where} failed`);
  return null;
}

/** Connects once before the engine does, so that the usual mistakes come out as one clear line. */
export async function checkConnection(url: string, setting = "DATABASE_URL"): Promise<void> {
  if (!target(url)) throw new MigrationError(`${setting} is not a valid postgresql:// URL`);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // Without a listener, an error after connect (server shutdown) would crash the process.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    const described = describeDatabaseError(error, url, setting);
    if (described) throw described;
    const message = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Cannot connect to PostgreSQL: ${redact(message, url)} — check ${setting}`, { cause: error });
  } finally {
    await client.end().catch(() => {});
  }
}
