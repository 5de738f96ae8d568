// A throwaway database for a benchmark, on the dev cluster (or DATABASE_URL's server), migrated, with its own queue
// prefix: nothing a benchmark writes reaches the dev data. Removed afterwards unless kept.
import path from "node:path";
import { deployMigrations } from "../migrate/engine";
import { repoRoot } from "../services/dev-environment";

export async function withBenchDatabase<T>(
  prefix: string,
  work: (database: { name: string; url: string }) => Promise<T>,
  { keep = false, cleanUp }: { keep?: boolean; cleanUp?: () => Promise<void> } = {},
): Promise<T> {
  // The dev server's own database URL reaches its admin database too: a scratch database beside it.
  process.env.TEST_PG_ADMIN_URL ??= process.env.DATABASE_URL;
  const { createScratchDatabase } = await import("../../test/support/databases");
  const scratch = await createScratchDatabase({ prefix });
  Object.assign(process.env, { DATABASE_URL: scratch.url, LOG_LEVEL: "silent", QUEUE_PREFIX: scratch.name });
  try {
    await deployMigrations({
      databaseUrl: scratch.url,
      migrationsDir: path.join(repoRoot, "prisma/migrations"),
      schemaPath: path.join(repoRoot, "prisma/schema.prisma"),
    });
    return await work({ name: scratch.name, url: scratch.url });
  } finally {
    await cleanUp?.().catch(() => {});
    const { disconnectAll } = await import("~/lib/shutdown.server");
    await disconnectAll();
    if (keep) console.log(`kept database ${scratch.name} (on DATABASE_URL's server; drop it when done)`);
    else await scratch.drop();
  }
}
