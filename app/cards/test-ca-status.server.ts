// The test CA's own record of what it issued and whether each certificate is good, suspended or revoked —
// what the local OCSP responder and CRL (scripts/ocsp-responder/) answer from. Development and tests only, and
// deliberately not the service's database: the service must learn a revocation from the CA, as it would from
// MOICA. One small JSON file per certificate (status/<serial>.json) and one per card (cards/<number>.json),
// each written to a temporary name and renamed into place, so a reader never sees half a file and two processes
// (`npm run ca`, the responder, the service's issuing CA) can share the folder; a status change holds a per-card
// lock (an exclusive mkdir) so a resume racing a revoke cannot undo it.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CertificateUsage } from "./test-ca.server";

export type TestCaCertificateStatus = "good" | "suspended" | "revoked";

/** RFC 5280 CRLReason names a registrar may give for a revocation (certificateHold is what `suspend` records). */
export const REVOCATION_REASONS = [
  "unspecified", "keyCompromise", "affiliationChanged", "superseded", "cessationOfOperation", "privilegeWithdrawn",
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export interface TestCaStatusEntry {
  /** Lower-case hex, as the service's certificate rows keep it. */
  serial: string;
  usage?: CertificateUsage;
  status: TestCaCertificateStatus;
  issuedAt: string;
  /** When it was revoked or suspended (the OCSP revocationTime / CRL revocationDate). */
  revokedAt?: string;
  reason?: RevocationReason;
}

export type StatusAction = "revoke" | "suspend" | "resume";

export interface StatusChange {
  serial: string;
  usage?: CertificateUsage;
  from: TestCaCertificateStatus;
  to: TestCaCertificateStatus;
}

/** A status change the CA refuses (unknown card, revoked is final, resume only from suspended). */
export class StatusChangeRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StatusChangeRefused";
  }
}

const serialFile = (store: string, serial: string) => path.join(store, "status", `${normaliseSerial(serial)}.json`);
const cardFile = (store: string, cardNumber: string) => path.join(store, "cards", `${cardNumber.toUpperCase()}.json`);

function normaliseSerial(serial: string): string {
  const hex = serial.toLowerCase();
  if (!/^[0-9a-f]{1,42}$/.test(hex)) throw new Error("a certificate serial is 1–20 octets in hex");
  return hex.replace(/^0+(?=.)/, "");
}

async function writeAtomically(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, JSON.stringify(value) + "\n");
  await rename(temporary, file);
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return null;
    throw error;
  }
}

/** Records a certificate the test CA just signed (good unless asked otherwise), and the card it went on if known. */
export async function recordIssuedCertificate(
  store: string,
  o: { serial: string; usage?: CertificateUsage; cardNumber?: string; status?: TestCaCertificateStatus; now?: Date },
): Promise<void> {
  const now = (o.now ?? new Date()).toISOString();
  const status = o.status ?? "good";
  await writeAtomically(serialFile(store, o.serial), {
    serial: normaliseSerial(o.serial), usage: o.usage, status, issuedAt: now,
    ...(status === "good" ? {} : { revokedAt: now, reason: status === "revoked" ? "unspecified" : undefined }),
  } satisfies TestCaStatusEntry);
  if (o.cardNumber) await assignCertificatesToCard(store, o.cardNumber, [o.serial]);
}

/** Which card a set of certificates went on, so `ca revoke --card` finds both (004: 憑證序號 0 and 1). */
export async function assignCertificatesToCard(store: string, cardNumber: string, serials: string[]): Promise<void> {
  await withCardLock(store, cardNumber, async () => {
    const known = (await readJson<{ serials: string[] }>(cardFile(store, cardNumber)))?.serials ?? [];
    const all = [...new Set([...known, ...serials.map(normaliseSerial)])];
    await writeAtomically(cardFile(store, cardNumber), { cardNumber: cardNumber.toUpperCase(), serials: all });
  });
}

export function readCertificateStatus(store: string, serial: string): Promise<TestCaStatusEntry | null> {
  return readJson<TestCaStatusEntry>(serialFile(store, serial));
}

/** Every certificate that is not good: what the CRL lists (suspended ones with reason certificateHold). */
export async function listRevokedCertificates(store: string): Promise<TestCaStatusEntry[]> {
  let files: string[];
  try {
    files = await readdir(path.join(store, "status"));
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return [];
    throw error;
  }
  const entries = await Promise.all(
    files.filter((f) => f.endsWith(".json")).map((f) => readJson<TestCaStatusEntry>(path.join(store, "status", f))),
  );
  return entries.filter((e): e is TestCaStatusEntry => e !== null && e.status !== "good");
}

const TARGET: Record<StatusAction, TestCaCertificateStatus> = { revoke: "revoked", suspend: "suspended", resume: "good" };

/**
 * Revokes, suspends or resumes both certificates of a card at the test CA. Revoked is final; resume only
 * undoes a suspension (003/004: 停用 / 復用). Nothing is written unless every certificate of the card may change.
 */
export async function changeCardStatus(
  store: string,
  o: { cardNumber: string; action: StatusAction; reason?: RevocationReason; now?: Date },
): Promise<StatusChange[]> {
  if (o.reason && o.action !== "revoke") throw new StatusChangeRefused("a reason is given only for revoke");
  const to = TARGET[o.action];
  return withCardLock(store, o.cardNumber, async () => {
    const serials = (await readJson<{ serials: string[] }>(cardFile(store, o.cardNumber)))?.serials;
    if (!serials?.length) throw new StatusChangeRefused(`card ${o.cardNumber.toUpperCase()} was not issued by the test CA`);
    const entries = await Promise.all(serials.map((s) => readCertificateStatus(store, s)));
    const changes: Array<{ entry: TestCaStatusEntry; from: TestCaCertificateStatus }> = [];
    for (const [i, entry] of entries.entries()) {
      if (!entry) throw new StatusChangeRefused(`certificate ${serials[i]} is missing from the test CA's store`);
      if (entry.status === "revoked") throw new StatusChangeRefused(`card ${o.cardNumber.toUpperCase()} is revoked; revocation is final`);
      if (o.action === "resume" && entry.status !== "suspended") {
        throw new StatusChangeRefused(`card ${o.cardNumber.toUpperCase()} is not suspended; only a suspended card can be resumed`);
      }
      if (entry.status !== to) changes.push({ entry, from: entry.status });
    }
    if (changes.length === 0) throw new StatusChangeRefused(`card ${o.cardNumber.toUpperCase()} is already ${to}`);
    const at = (o.now ?? new Date()).toISOString();
    for (const { entry } of changes) {
      const { revokedAt: _, reason: __, ...rest } = entry;
      const next: TestCaStatusEntry =
        to === "good" ? { ...rest, status: to } : { ...rest, status: to, revokedAt: at, ...(to === "revoked" ? { reason: o.reason ?? "unspecified" } : {}) };
      await writeAtomically(serialFile(store, entry.serial), next);
    }
    return changes.map(({ entry, from }) => ({ serial: entry.serial, usage: entry.usage, from, to }));
  });
}

const LOCK_STALE_MS = 10_000;

async function withCardLock<T>(store: string, cardNumber: string, work: () => Promise<T>): Promise<T> {
  const lock = path.join(store, "locks", `${cardNumber.toUpperCase()}.lock`);
  await mkdir(path.dirname(lock), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
      // A process that died holding the lock must not block the card for ever.
      const since = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (since > LOCK_STALE_MS) await rm(lock, { recursive: true, force: true });
      else if (attempt > 500) throw new Error(`card ${cardNumber} is locked at the test CA (${lock})`);
      else await new Promise((r) => setTimeout(r, 10));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
