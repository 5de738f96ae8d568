// `npm run staff:create` end to end: the CLI as a child process against this file's test database, the password
// piped on stdin as an operator's script would.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { verifyStaffPassword } from "~/staff/password.server";
import { enrolStaffTotpForDemo, totpCodeFor } from "~/staff/totp.server";
import { runCli, type CliRun } from "../../test/support/run-cli";

const scratch = await mkdtemp(path.join(os.tmpdir(), "staff-create-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const PASSWORD = "a long staff password";

function create(args: string[], input: string, { viaNpmScript = false } = {}): Promise<CliRun> {
  return runCli("scripts/staff/create.ts", args, { scratch, viaNpmScript, input });
}

describe("npm run staff:create", () => {
  it("creates the account from piped stdin and prints only its id", { timeout: 60_000 }, async () => {
    const run = await create(["--username", "Chen.Support", "--name", "客服 陳小姐", "--role", "support", "--role", "REGISTRAR"], `${PASSWORD}\n`, { viaNpmScript: true });
    expect(run.stderr).not.toContain(PASSWORD);
    expect(run.stderr).toMatch(/authenticator app \(TOTP\)/);
    expect(run.code).toBe(0);
    const id = run.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const account = await prisma.staffAccount.findUniqueOrThrow({ where: { id } });
    // Issue 13: whoever typed the password at the terminal must not keep the account (the first admin included).
    expect(run.stderr).toMatch(/chooses their own password/);
    expect(account).toMatchObject({ username: "chen.support", displayName: "客服 陳小姐", roles: ["SUPPORT", "REGISTRAR"], passwordChangeRequired: true });
    expect(await verifyStaffPassword(PASSWORD, account.passwordHash)).toBe(true);
    expect(await prisma.auditEvent.count({ where: { action: "staff.account_created", subjectId: id, actorType: "SYSTEM" } })).toBe(1);
  });

  it("refuses a weak password, a taken username, an unknown role and missing options, creating nothing", { timeout: 60_000 }, async () => {
    const before = await prisma.staffAccount.count();
    const weak = await create(["--username", "lin.registrar", "--name", "戶政 林先生", "--role", "registrar"], "short pass\n");
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/至少須 12 個字元.*at least 12 characters/);
    expect(weak.stdout).toBe("");
    const empty = await create(["--username", "lin.registrar", "--name", "戶政 林先生", "--role", "registrar"], "");
    expect(empty.code).toBe(1);
    const role = await create(["--username", "lin.registrar", "--name", "x", "--role", "janitor"], `${PASSWORD}\n`);
    expect([role.code, role.stderr.includes("unknown role: janitor")]).toEqual([1, true]);
    const missing = await create(["--username", "lin.registrar", "--role", "support"], `${PASSWORD}\n`);
    expect([missing.code, missing.stderr.includes("--name is required")]).toEqual([1, true]);
    expect(await prisma.staffAccount.count()).toBe(before);

    const first = await create(["--username", "twice", "--name", "x", "--role", "admin"], `${PASSWORD}\n`);
    expect(first.code).toBe(0);
    const second = await create(["--username", "twice", "--name", "y", "--role", "admin"], `${PASSWORD}\n`);
    expect([second.code, second.stderr.includes("already taken")]).toEqual([1, true]);
  });

  it("--print-code prints a demo account's current code (development only)", { timeout: 60_000 }, async () => {
    const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    const made = await create(["--username", "demo.finance", "--name", "財務示範", "--role", "finance"], `${PASSWORD}\n`);
    expect(made.code).toBe(0);
    await enrolStaffTotpForDemo("demo.finance", secret);
    const before = new Date();
    const run = await runCli("scripts/staff/create.ts", ["--print-code", "demo.finance"], { scratch });
    const after = new Date();
    expect(run.code).toBe(0);
    // The child read the clock between `before` and `after` (a step boundary may fall in between).
    expect([totpCodeFor(secret, before), totpCodeFor(secret, after)]).toContain(run.stdout.trim());

    const unknown = await runCli("scripts/staff/create.ts", ["--print-code", "nobody.here"], { scratch });
    expect([unknown.code, unknown.stdout]).toEqual([1, ""]);
    const production = await runCli("scripts/staff/create.ts", ["--print-code", "demo.finance"], { scratch, env: { NODE_ENV: "production" } });
    expect(production.code).not.toBe(0);
    expect(production.stdout).not.toMatch(/\d{6}/);
  });

  it("explains itself with --help", async () => {
    const run = await runCli("scripts/staff/create.ts", ["--help"], { scratch });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--username/);
    expect(run.stdout).toMatch(/support \| registrar \| finance \| admin/);
    expect(run.stdout).toMatch(/at least 12 characters/);
    expect(run.stdout).toMatch(/authenticator app/);
    expect(run.stdout).toMatch(/--print-code/);
  });
});
