// The local test CA, from the command line (development and tests only; production trusts CARD_TRUST_ANCHORS):
//   tsx scripts/ca.ts issue-card --id A123456789 --name 王小明 --issued 2018-11-20 [--extended]
//                                [--status valid|suspended|revoked] [--pin 123456] [--card-number TP…] --out DIR
//   tsx scripts/ca.ts show
//   tsx scripts/ca.ts revoke --card TP… [--reason keyCompromise] | suspend --card TP… | resume --card TP…
//   tsx scripts/ca.ts responder [--port 4012] [--host 127.0.0.1]
// issue-card writes DIR/card.json for the card simulator and records the card in DATABASE_URL's database.
// revoke / suspend / resume change the card's status at the test CA's own store (never the service's database):
// the service learns it from the CA's OCSP responder (`responder`, run by `npm start`) within a minute.
// Output never shows the ID number in full (A12345****). Bad flags: one line on stderr, exit 1.
import { createHash } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { cardPinSchema, writeCardFile } from "~/cards/card-file";
import { maskNationalId } from "~/cards/national-id";
import { cardNumberSchema, nationalIdSchema } from "~/cards/schema";
import { ConfigError, env } from "~/lib/env.server";
import type { x509 } from "~/lib/x509.server";

const USAGE =
  "usage: ca.ts issue-card --id ID --name NAME --issued YYYY-MM-DD [--extended] " +
  "[--status valid|suspended|revoked] [--pin 123456] [--card-number TP…] --out DIR | ca.ts show | " +
  "ca.ts revoke --card TP… [--reason keyCompromise] | ca.ts suspend --card TP… | ca.ts resume --card TP… | " +
  "ca.ts responder [--port 4012]";

/** A flag the operator got wrong: printed as one line, exit 1. */
class UsageError extends Error {}

// An operator in Taiwan means a Taipei calendar day (UTC+8, no daylight saving).
const taipeiDate = z.string().transform((text, ctx) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(`${text}T00:00:00+08:00`) : new Date(NaN);
  if (!match || Number.isNaN(date.getTime()) || taipeiDay(date) !== text) {
    ctx.addIssue({ code: "custom", message: `not a date YYYY-MM-DD (e.g. 2018-11-20): ${text}` });
    return z.NEVER;
  }
  return date;
});

const issueCardFlags = z.object({
  id: nationalIdSchema,
  name: z.string().trim().min(1).max(64, { error: "at most 64 characters (an X.509 common name)" }),
  issued: taipeiDate,
  extended: z.boolean().default(false),
  status: z.enum(["valid", "suspended", "revoked"], { error: "must be valid, suspended or revoked" }).default("valid"),
  pin: cardPinSchema.optional(),
  "card-number": cardNumberSchema.optional(),
  out: z.string().min(1),
});

async function issueCardCommand(args: string[]): Promise<void> {
  const flags = parseFlags(args, {
    id: { type: "string" }, name: { type: "string" }, issued: { type: "string" }, extended: { type: "boolean" },
    status: { type: "string" }, pin: { type: "string" }, "card-number": { type: "string" }, out: { type: "string" },
  });
  for (const required of ["id", "name", "issued", "out"]) {
    if (flags[required] === undefined) throw new UsageError(`--${required} is required`);
  }
  const parsed = issueCardFlags.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--${issue.path.join(".")}: ${issue.message}`);
  }
  const o = parsed.data;
  // npm runs scripts in the package root; INIT_CWD is where the operator typed the command.
  const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), o.out);

  env();
  // Imported only now: the database client reads the environment when it loads.
  const { issueCard } = await import("~/cards/issue-card.server");
  const { disconnectAll } = await import("~/lib/shutdown.server");
  const card = await issueCard({
    nationalId: o.id, name: o.name, issuedAt: o.issued, extended: o.extended, status: o.status, pin: o.pin,
    cardNumber: o["card-number"],
  }).finally(disconnectAll);
  const file = await writeCardFile(out, card.file);
  console.log(`card ${card.file.cardNumber}  holder ${maskNationalId(o.id)}  PIN ${card.file.pin}`);
  for (const c of card.certificates) {
    const validity = `${taipeiTime(c.notBefore)} → ${taipeiTime(c.notAfter)} (Asia/Taipei)`;
    console.log(`  ${c.usage.toLowerCase().padEnd(10)}  serial ${c.serialNumber}  ${validity}  ${c.status}`);
  }
  console.log(`card file: ${file}`);
}

async function showCommand(args: string[]): Promise<void> {
  parseFlags(args, {});
  const { loadTestCa } = await import("~/cards/test-ca.server");
  const ca = await loadTestCa(env().CARD_TEST_CA_DIR);
  console.log(`test CA folder: ${ca.dir}`);
  for (const [role, certificate] of [["root", ca.root], ["issuing", ca.issuing]] as const) {
    console.log(`${role}:`);
    console.log(`  subject  ${certificate.subject}`);
    console.log(`  serial   ${certificate.serialNumber.toLowerCase()}`);
    console.log(`  valid    ${taipeiTime(certificate.notBefore)} → ${taipeiTime(certificate.notAfter)} (Asia/Taipei)`);
    console.log(`  SHA-256  ${sha256Fingerprint(certificate)}`);
  }
}

async function statusCommand(action: "revoke" | "suspend" | "resume", args: string[]): Promise<void> {
  const flags = parseFlags(args, { card: { type: "string" }, ...(action === "revoke" ? { reason: { type: "string" } } : {}) });
  if (flags.card === undefined) throw new UsageError("--card is required");
  const card = cardNumberSchema.safeParse(flags.card);
  if (!card.success) throw new UsageError(`--card: ${card.error.issues[0]!.message}`);
  const { REVOCATION_REASONS, StatusChangeRefused, changeCardStatus } = await import("~/cards/test-ca-status.server");
  const reason = flags.reason as string | undefined;
  if (reason !== undefined && !(REVOCATION_REASONS as readonly string[]).includes(reason)) {
    throw new UsageError(`--reason: must be one of ${REVOCATION_REASONS.join(", ")}`);
  }
  const { loadTestCa } = await import("~/cards/test-ca.server");
  const ca = await loadTestCa(env().CARD_TEST_CA_DIR);
  try {
    const changes = await changeCardStatus(ca.statusStore, {
      cardNumber: card.data, action, reason: reason as (typeof REVOCATION_REASONS)[number] | undefined,
    });
    console.log(`card ${card.data}: ${action === "revoke" ? `revoked (${reason ?? "unspecified"})` : action === "suspend" ? "suspended" : "resumed"} at the test CA`);
    for (const c of changes) console.log(`  ${(c.usage ?? "certificate").toLowerCase().padEnd(10)}  serial ${c.serial}  ${c.from} → ${c.to}`);
    console.log("the service sees it at its next status check (within a minute: OCSP answers are kept at most 60 s)");
  } catch (error) {
    if (error instanceof StatusChangeRefused) throw new UsageError(error.message);
    throw error;
  }
}

async function responderCommand(args: string[]): Promise<void> {
  const flags = parseFlags(args, { port: { type: "string" }, host: { type: "string" } });
  const port = Number(flags.port ?? process.env.LOCAL_OCSP_PORT ?? 4012);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: not a port number: ${String(flags.port)}`);
  const host = (flags.host as string | undefined) ?? "127.0.0.1";
  const { startOcspResponder } = await import("./ocsp-responder/server");
  const running = await startOcspResponder({ port, host }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === "EADDRINUSE" ? new UsageError(`--port: ${port} is in use (is npm start running?)`) : error;
  });
  console.log(`[ocsp] test CA responder ${running.url}  CRL ${running.crlUrl}  (CARD_OCSP_URL / CARD_CRL_URL)`);
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void running.close().then(resolve));
    process.once("disconnect", () => void running.close().then(resolve));
  });
  // Under npm start (and tsx) an IPC channel stays open and would keep the process alive after the server closed:
  // end it here, as the card simulator and the demo partners do.
  process.exit(0);
}

function parseFlags(args: string[], options: NonNullable<Parameters<typeof parseArgs>[0]>["options"]) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<string, unknown>;
  } catch (error) {
    // node:util's messages name the flag ("Unknown option '--x'"); drop its hint to use "--" for positionals.
    throw new UsageError((error as Error).message.split(". ")[0]!.replace(/\.$/, ""));
  }
}

function sha256Fingerprint(certificate: x509.X509Certificate): string {
  const hex = createHash("sha256").update(new Uint8Array(certificate.rawData)).digest("hex").toUpperCase();
  return hex.match(/../g)!.join(":");
}

function taipeiDay(date: Date): string {
  return date.toLocaleDateString("sv-SE", { timeZone: "Asia/Taipei" });
}

function taipeiTime(date: Date): string {
  return date.toLocaleString("sv-SE", { timeZone: "Asia/Taipei" });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === "issue-card") await issueCardCommand(args);
    else if (command === "show") await showCommand(args);
    else if (command === "revoke" || command === "suspend" || command === "resume") await statusCommand(command, args);
    else if (command === "responder") await responderCommand(args);
    else throw new UsageError(`${command ? `unknown command ${command}` : "a command is required"} — ${USAGE}`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) console.error(`ca: ${error.message}`);
    else if (error instanceof ConfigError) console.error(error.message);
    else if (process.env.DEBUG) console.error(error);
    // Anything else (database down, card number taken): the message on one line, no stack trace.
    else console.error(`ca: ${String((error as Error).message ?? error).replace(/\s+/g, " ").trim()}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
