// The CLI as a deploy pipeline runs it: exit codes, one-line errors, and a prompt exit once done.
// Only read-only or deploy commands: `dev` would write into the repository's prisma/migrations.
import { execFile } from "node:child_process";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../../test/support/databases";

const cli = path.join(import.meta.dirname, "cli.ts");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", cli, ...args],
      // Only what the CLI needs: nothing of the test run's own database settings leaks in.
      { env: { NODE_ENV: "production", PATH: process.env.PATH ?? "", ...env }, timeout: 60_000, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let db: ScratchDatabase;
beforeEach(async () => {
  db = await createScratchDatabase({ prefix: "cli" });
});
afterEach(() => db.drop());

describe("scripts/migrate/cli.ts", () => {
  it("status fails while migrations are pending, deploy applies them, then status passes", async () => {
    const env = { DATABASE_URL: db.url };

    const before = await run(["status"], env);
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/^Pending:\n {2}\d{14}_init$/m);

    const deploy = await run(["deploy"], env);
    expect(deploy).toMatchObject({ code: 0, stderr: "" });
    expect(deploy.stdout).toMatch(/^applied \d{14}_init$/m);
    expect(deploy.stdout).toMatch(/^Applied \d+ migration\(s\)\.$/m);

    const after = await run(["status"], env);
    expect(after).toMatchObject({ code: 0, stderr: "" });
    expect(after.stdout).toContain("Database schema is up to date.");
  }, 60_000);

  it("prints one line on stderr, without the password, and exits 1 when the database is unreachable", async () => {
    const result = await run(["deploy"], { DATABASE_URL: "postgresql://postgres:hunter2-pw@127.0.0.1:1/moica" });
    expect(result).toMatchObject({
      code: 1,
      stdout: "",
      stderr: "migrate: Cannot reach PostgreSQL at 127.0.0.1:1 (connection refused) — check DATABASE_URL\n",
    });
  });

  it("refuses unclear requests with a one-line usage error", async () => {
    const env = { DATABASE_URL: db.url };
    expect(await run(["reset"], env)).toMatchObject({ code: 1, stderr: "migrate: reset drops every table and all data: confirm with --force\n" });
    expect(await run(["dev"], env)).toMatchObject({ code: 1, stderr: "migrate: dev needs --name <what_changed>, e.g. --name add_payment_index\n" });
    expect(await run(["status"], {})).toMatchObject({ code: 1, stderr: expect.stringMatching(/^migrate: DATABASE_URL is not set[^\n]*\n$/) });
    const unknown = await run(["migrate-everything"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^migrate: unknown command "migrate-everything"; usage: [^\n]+\n$/);
  }, 30_000);
});
