// scripts/ca.ts end to end: a child process against this file's test database and the run's test CA.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readCardFile } from "~/cards/card-file";
import { loadTestCa } from "~/cards/test-ca.server";
import { prisma } from "~/lib/db.server";
import { x509 } from "~/lib/x509.server";
import { nationalIdWithCheckDigit } from "../test/factories/national-ids";

const repoRoot = path.resolve(import.meta.dirname, "..");
const scratch = await mkdtemp(path.join(os.tmpdir(), "ca-cli-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

function ca(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { INIT_CWD: _, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(
      path.join(repoRoot, "node_modules/.bin/tsx"),
      ["scripts/ca.ts", ...args],
      {
        cwd: repoRoot,
        env: {
          ...inherited,
          DATABASE_URL: process.env.DATABASE_URL,
          CARD_TEST_CA_DIR: process.env.CARD_TEST_CA_DIR,
          NATIONAL_ID_HASH_KEY: process.env.NATIONAL_ID_HASH_KEY,
          SESSION_SECRET: process.env.SESSION_SECRET,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("ca issue-card", () => {
  it("writes card.json, records the card and prints serials and validity with the ID masked", { timeout: 60_000 }, async () => {
    const out = path.join(scratch, "card-1");
    const run = await ca("issue-card", "--id", "A123456789", "--name", "王小明", "--issued", "2018-11-20", "--extended", "--pin", "13572468", "--out", out);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("A12345****");
    expect(run.stdout).not.toContain("A123456789");
    expect(run.stdout).not.toContain("王小明");
    // 2018-11-20 in Taipei, extended once: an 8-year end on 2026-11-20 (001).
    expect(run.stdout).toMatch(/signing\s+serial [0-9a-f]+\s+2018-11-20 00:00:00 → 2026-11-20 00:00:00 \(Asia\/Taipei\)/);
    expect(run.stdout).toMatch(/encryption\s+serial [0-9a-f]+/);

    const file = await readCardFile(out);
    expect(file.pin).toBe("13572468");
    expect(run.stdout).toContain(`card ${file.cardNumber}`);
    expect(run.stdout).toContain(path.join(out, "card.json"));
    const card = await prisma.card.findUniqueOrThrow({ where: { cardNumber: file.cardNumber }, include: { certificates: true } });
    expect(card.certificates).toHaveLength(2);
    const notAfter = new Date("2026-11-19T16:00:00Z");
    for (const certificate of card.certificates) {
      expect(certificate).toMatchObject({ notAfter, extended: true, status: notAfter <= new Date() ? "EXPIRED" : "VALID" });
      expect(run.stdout).toContain(certificate.serialNumber);
    }
    const { issuing } = await loadTestCa();
    expect(await new x509.X509Certificate(file.signing.certPem).verify({ publicKey: issuing, signatureOnly: true })).toBe(true);
  });

  it("records the status asked for", { timeout: 60_000 }, async () => {
    const out = path.join(scratch, "card-2");
    const run = await ca("issue-card", "--id", "B223456782", "--name", "陳美玲", "--issued", "2024-01-05", "--status", "suspended", "--card-number", "TP00000000000777", "--out", out);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^card TP00000000000777\s+holder B22345\*\*\*\*\s+PIN 123456$/m);
    const certificates = await prisma.certificate.findMany({ where: { card: { cardNumber: "TP00000000000777" } } });
    expect(certificates.map((c) => c.status)).toEqual(["SUSPENDED", "SUSPENDED"]);
  });

  it("answers a bad flag with one line on stderr and exit 1", { timeout: 60_000 }, async () => {
    const out = path.join(scratch, "never");
    const base = ["issue-card", "--name", "王小明", "--out", out];
    const cases: Array<[string[], RegExp]> = [
      [[...base, "--id", "A123456788", "--issued", "2018-11-20"], /^ca: --id: 身分證字號格式或檢查碼不正確/],
      [[...base, "--id", "A123456789", "--issued", "2018-02-30"], /^ca: --issued: not a date YYYY-MM-DD/],
      [[...base, "--id", "A123456789", "--issued", "2018-11-20", "--status", "lost"], /^ca: --status: must be valid, suspended or revoked/],
      [[...base, "--id", "A123456789", "--issued", "2018-11-20", "--pin", "12"], /^ca: --pin: PIN 為 6–8 個字元/],
      [[...base, "--id", "A123456789", "--issued", "2018-11-20", "--colour", "red"], /^ca: Unknown option '--colour'/],
      [["issue-card", "--id", "A123456789", "--name", "王小明", "--issued", "2018-11-20"], /^ca: --out is required/],
      [["mint"], /^ca: unknown command mint — usage:/],
    ];
    const runs = await Promise.all(cases.map(([args]) => ca(...args)));
    runs.forEach((run, i) => {
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(cases[i]![1]);
      expect(run.stderr).not.toContain("A123456789");
    });
    await expect(readCardFile(out)).rejects.toThrow(/no such file/);
  });
});

describe("ca show", () => {
  it("prints the CA folder and each CA's subject, serial, validity and SHA-256 fingerprint", { timeout: 60_000 }, async () => {
    const run = await ca("show");
    expect(run.code).toBe(0);
    const { root, issuing, dir } = await loadTestCa();
    expect(run.stdout).toContain(`test CA folder: ${dir}`);
    for (const certificate of [root, issuing]) {
      const fingerprint = Buffer.from(await certificate.getThumbprint("SHA-256")).toString("hex").toUpperCase();
      expect(run.stdout).toContain(`subject  ${certificate.subject}`);
      expect(run.stdout).toContain(`serial   ${certificate.serialNumber.toLowerCase()}`);
      expect(run.stdout).toContain(fingerprint.match(/../g)!.join(":"));
    }
    expect(run.stdout).toContain("valid    2000-01-01 08:00:00 → 2060-01-01 08:00:00 (Asia/Taipei)");
  });
});

describe("a card from the CLI logs in", () => {
  it("challenge → sign with card.json's key (as the card would) → verify", { timeout: 60_000 }, async () => {
    const { verifyCardLogin } = await import("~/auth/card-login.server");
    const { cardSigningKey, signedCardLogin } = await import("../test/factories/card-login");
    const issued = new Date();
    issued.setUTCFullYear(issued.getUTCFullYear() - 8);
    issued.setUTCDate(issued.getUTCDate() + 20); // its 8-year end is about 20 days away: inside the window
    const out = path.join(scratch, "card-login");
    const run = await ca("issue-card", "--id", "F129876548", "--name", "陳美玲", "--issued", issued.toISOString().slice(0, 10), "--extended", "--out", out);
    expect(run.code, run.stderr).toBe(0);

    const card = await readCardFile(out);
    const { body, preLoginToken } = await signedCardLogin(cardSigningKey(card), { signatureType: "PKCS7" });
    const login = await verifyCardLogin({ body, preLoginToken, ip: "192.0.2.10" });
    const recorded = await prisma.card.findUniqueOrThrow({ where: { cardNumber: card.cardNumber } });
    expect(login).toMatchObject({ cardId: recorded.id, scope: "full" });
  });
});


describe("ca revoke / suspend / resume", () => {
  // The test CA's status store outlives a run (it sits beside the CA's keys): numbers new to it each run, so a
  // card revoked by an earlier run in this checkout is never met again ("revocation is final").
  const runDigits = `${String(Date.now()).slice(-10)}${String(process.pid % 1000).padStart(3, "0")}`;
  const REVOKED_CARD = `TP${runDigits}1`;
  const SUSPENDED_CARD = `TP${runDigits}2`;

  const issue = async (cardNumber: string) => {
    const run = await ca("issue-card", "--id", nationalIdWithCheckDigit("E12345678"), "--name", "林志豪", "--issued", "2022-03-01", "--card-number", cardNumber, "--out", path.join(scratch, cardNumber));
    expect(run.code, run.stderr).toBe(0);
    return readCardFile(path.join(scratch, cardNumber));
  };
  const statusAtTheCa = async (certPem: string) => {
    const { queryOcsp } = await import("~/auth/ocsp.server");
    const { issuing } = await loadTestCa();
    return queryOcsp({ url: process.env.CARD_OCSP_URL!, certificate: new x509.X509Certificate(certPem), issuer: issuing, now: new Date() });
  };

  it("revoke changes both certificates at the test CA (not the service's rows), prints what changed; revoked is final", { timeout: 120_000 }, async () => {
    const card = await issue(REVOKED_CARD);
    const run = await ca("revoke", "--card", REVOKED_CARD, "--reason", "keyCompromise");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^card ${REVOKED_CARD}: revoked \\(keyCompromise\\) at the test CA$`, "m"));
    expect(run.stdout).toMatch(/signing\s+serial [0-9a-f]+\s+good → revoked/);
    expect(run.stdout).toMatch(/encryption\s+serial [0-9a-f]+\s+good → revoked/);
    expect(run.stdout).not.toContain(nationalIdWithCheckDigit("E12345678"));
    for (const part of [card.signing, card.encryption]) expect(await statusAtTheCa(part.certPem)).toMatchObject({ status: "revoked", reason: 1 });
    const rows = await prisma.certificate.findMany({ where: { card: { cardNumber: REVOKED_CARD } } });
    expect(rows.map((r) => r.status)).toEqual(["VALID", "VALID"]);

    for (const again of [["resume"], ["suspend"], ["revoke"]]) {
      const refused = await ca(...again, "--card", REVOKED_CARD);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`^ca: card ${REVOKED_CARD} is revoked; revocation is final\\n$`));
    }
  });

  it("suspend puts the card on hold, resume lifts it; resume only from suspended", { timeout: 120_000 }, async () => {
    const card = await issue(SUSPENDED_CARD);
    const notSuspended = await ca("resume", "--card", SUSPENDED_CARD);
    expect(notSuspended.code).toBe(1);
    expect(notSuspended.stderr).toMatch(new RegExp(`^ca: card ${SUSPENDED_CARD} is not suspended; only a suspended card can be resumed\\n$`));

    const suspend = await ca("suspend", "--card", SUSPENDED_CARD);
    expect(suspend.code, suspend.stderr).toBe(0);
    expect(suspend.stdout).toMatch(/signing\s+serial [0-9a-f]+\s+good → suspended/);
    expect(await statusAtTheCa(card.signing.certPem)).toMatchObject({ status: "revoked", reason: 6 });

    const resume = await ca("resume", "--card", SUSPENDED_CARD);
    expect(resume.code, resume.stderr).toBe(0);
    expect(resume.stdout).toMatch(/signing\s+serial [0-9a-f]+\s+suspended → good/);
    expect(await statusAtTheCa(card.signing.certPem)).toMatchObject({ status: "good" });
  });

  it("issue-card --status revoked is recorded at the test CA too", { timeout: 120_000 }, async () => {
    const out = path.join(scratch, "revoked-at-issue");
    const run = await ca("issue-card", "--id", nationalIdWithCheckDigit("F22345678"), "--name", "黃怡君", "--issued", "2022-03-01", "--status", "revoked", "--out", out);
    expect(run.code, run.stderr).toBe(0);
    expect(await statusAtTheCa((await readCardFile(out)).signing.certPem)).toMatchObject({ status: "revoked" });
  });

  it("answers a bad flag or an unknown card with one line on stderr and exit 1", { timeout: 120_000 }, async () => {
    const cases: Array<[string[], RegExp]> = [
      [["revoke"], /^ca: --card is required$/],
      [["revoke", "--card", "TP123"], /^ca: --card: /],
      [["revoke", "--card", "TP00000000000999", "--reason", "lost"], /^ca: --reason: must be one of unspecified, keyCompromise/],
      [["suspend", "--card", "TP00000000000999", "--reason", "keyCompromise"], /^ca: Unknown option '--reason'/],
      [["revoke", "--card", "TP00000000000999"], /^ca: card TP00000000000999 was not issued by the test CA$/],
    ];
    const runs = await Promise.all(cases.map(([args]) => ca(...args)));
    runs.forEach((run, i) => {
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(run.stderr.trimEnd()).toMatch(cases[i]![1]);
    });
  });
});

describe("ca responder", () => {
  it("stops on SIGTERM when run as npm start runs it (its own group, an IPC channel)", async () => {
    const child = spawn(process.execPath, [path.join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/ca.ts", "responder", "--port", "0"], {
      cwd: repoRoot,
      env: { ...process.env, CARD_TEST_CA_DIR: process.env.CARD_TEST_CA_DIR },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      detached: true,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (chunk: Buffer) => { if (chunk.toString().includes("[ocsp] test CA responder")) resolve(); });
        child.once("exit", (code) => reject(new Error(`responder exited early (${code})`)));
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      const code = await Promise.race([exited, new Promise<"still running">((r) => setTimeout(() => r("still running"), 10_000))]);
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
    }
  });
});
