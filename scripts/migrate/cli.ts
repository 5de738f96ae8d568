// Offline stand-in for `prisma migrate` (see docs/decisions/002-offline-migrations.md):
//   tsx scripts/migrate/cli.ts dev --name <what_changed> [--create-only] [--accept-data-loss]
//   tsx scripts/migrate/cli.ts deploy
//   tsx scripts/migrate/cli.ts status            (exit 1 when a migration is pending or failed)
//   tsx scripts/migrate/cli.ts reset --force
//   tsx scripts/migrate/cli.ts resolve --rolled-back <migration>
// DATABASE_URL (and optionally SHADOW_DATABASE_URL) come from the environment. Errors: one line on stderr,
// exit code 1.
import path from "node:path";
import { parseArgs } from "node:util";
import {
  MigrationError,
  createMigration,
  deployMigrations,
  markRolledBack,
  migrationStatus,
  resetDatabase,
  type MigrateOptions,
} from "./engine";

const root = path.resolve(import.meta.dirname, "../..");

const USAGE =
  "usage: migrate <dev --name NAME [--create-only] [--accept-data-loss] | deploy | status | reset --force | resolve --rolled-back NAME>";

function options(): MigrateOptions {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new MigrationError("DATABASE_URL is not set: point it at the PostgreSQL database to migrate");
  return {
    databaseUrl,
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL || undefined,
    migrationsDir: path.join(root, "prisma/migrations"),
    schemaPath: path.join(root, "prisma/schema.prisma"),
    log: (line) => console.log(line),
  };
}

function list(title: string, names: string[] | undefined): void {
  if (!names?.length) return;
  console.log(`${title}:`);
  for (const name of names) console.log(`  ${name}`);
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string", short: "n" },
      "create-only": { type: "boolean" },
      "accept-data-loss": { type: "boolean" },
      force: { type: "boolean" },
      "rolled-back": { type: "string" },
    },
  });
  const [command, ...extra] = positionals;
  if (extra.length > 0) throw new MigrationError(`unexpected argument "${extra[0]}"; ${USAGE}`);

  switch (command) {
    case "dev": {
      if (!values.name) throw new MigrationError("dev needs --name <what_changed>, e.g. --name add_payment_index");
      const { created, applied } = await createMigration({
        ...options(),
        name: values.name,
        createOnly: values["create-only"],
        acceptDataLoss: values["accept-data-loss"],
      });
      if (created && values["create-only"]) console.log(`Created ${created} without applying it: edit it, then run dev or deploy.`);
      else if (created) console.log(`Created and applied ${created}. The database is in sync with the schema.`);
      else console.log(applied.length ? "Applied pending migrations; the schema had no further change." : "Already in sync: nothing to create.");
      return 0;
    }
    case "deploy": {
      const { applied } = await deployMigrations(options());
      console.log(applied.length ? `Applied ${applied.length} migration(s).` : "No pending migrations to apply.");
      return 0;
    }
    case "status": {
      const status = await migrationStatus({ ...options(), log: undefined });
      console.log(`${status.applied.length} migration(s) applied.`);
      list("Pending", status.pending);
      list("Failed (resolve with: resolve --rolled-back NAME, after fixing)", status.failed);
      list("Edited after being applied (checksum differs)", status.edited);
      list("Applied but missing from prisma/migrations", status.missingLocally);
      const blocked = status.pending.length > 0 || status.failed.length > 0;
      if (!blocked) console.log("Database schema is up to date.");
      return blocked ? 1 : 0;
    }
    case "reset": {
      if (!values.force) throw new MigrationError("reset drops every table and all data: confirm with --force");
      const { applied } = await resetDatabase(options());
      console.log(`Database reset; applied ${applied.length} migration(s).`);
      return 0;
    }
    case "resolve": {
      const migration = values["rolled-back"];
      if (!migration) throw new MigrationError("resolve needs --rolled-back <migration>");
      await markRolledBack({ ...options(), migration });
      console.log(`Marked ${migration} as rolled back; fix its migration.sql, then deploy.`);
      return 0;
    }
    default:
      throw new MigrationError(command ? `unknown command "${command}"; ${USAGE}` : USAGE);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // One line for people; the stack of a MigrationError would only repeat it.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`migrate: ${message.replace(/\s*\n\s*/g, " ")}`);
  process.exitCode = 1;
}
