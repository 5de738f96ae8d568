// Staff second factor: TOTP (RFC 6238 over RFC 4226 HOTP) as every authenticator app does it — HMAC-SHA1,
// 6 digits, 30-second steps, base32 secrets of 20 random bytes. Secrets are kept encrypted (AES-256-GCM, the
// account id as associated data, so a ciphertext copied onto another account does not decrypt). A code is used
// once: the step it was accepted for is claimed by one conditional UPDATE, which parallel requests cannot both win.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import QRCode from "qrcode";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { env, type Env } from "~/lib/env.server";

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that are accepted: clocks drift, and people type slowly. */
export const TOTP_WINDOW_STEPS = 1;
export const TOTP_SECRET_BYTES = 20;
/** What the authenticator app shows above the code. */
export const TOTP_ISSUER = "自然人憑證線上續卡後台";

const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Accepts what people type: any case, spaces, dashes and padding. Throws on any other character. */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, "");
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32_ALPHABET.indexOf(char);
    if (index < 0) throw new Error("not a base32 secret");
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new secret for an authenticator, base32 (32 characters). */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(TOTP_SECRET_BYTES));
}

/** The secret in groups of 4, for typing into an app by hand. */
export function groupTotpSecret(secretBase32: string): string {
  return secretBase32.replace(/(.{4})(?=.)/g, "$1 ");
}

/** RFC 4226 HOTP with HMAC-SHA1 and dynamic truncation. */
export function hotp(key: Uint8Array, counter: bigint, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The 30-second step a moment falls in (RFC 6238 T, with T0 = 0). */
export function totpStep(at: Date): bigint {
  return BigInt(Math.floor(at.getTime() / 1000 / TOTP_STEP_SECONDS));
}

/** The code an authenticator holding this secret shows at `at`. */
export function totpCodeFor(secretBase32: string, at: Date): string {
  return hotp(base32Decode(secretBase32), totpStep(at));
}

/**
 * The step (now ±1) whose code this is, or null. Every candidate is compared in constant time, so the answer's
 * timing does not tell how close a guess came.
 */
export function matchTotpStep(secretBase32: string, code: string, now: Date): bigint | null {
  if (!/^\d{6}$/.test(code)) return null;
  const key = base32Decode(secretBase32);
  const typed = Buffer.from(code);
  const current = totpStep(now);
  let match: bigint | null = null;
  for (let delta = -TOTP_WINDOW_STEPS; delta <= TOTP_WINDOW_STEPS; delta++) {
    const step = current + BigInt(delta);
    if (timingSafeEqual(Buffer.from(hotp(key, step)), typed) && match === null) match = step;
  }
  return match;
}

/** The otpauth:// URI an authenticator app reads from the QR code (Google Authenticator's key-uri format). */
export function totpUri(username: string, secretBase32: string): string {
  const label = `${encodeURIComponent(TOTP_ISSUER)}:${encodeURIComponent(username)}`;
  const query = new URLSearchParams({ secret: secretBase32, issuer: TOTP_ISSUER, algorithm: "SHA1", digits: String(TOTP_DIGITS), period: String(TOTP_STEP_SECONDS) });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, "%20")}`;
}

export function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

type KeySource = Pick<Env, "NODE_ENV" | "STAFF_TOTP_KEY" | "SESSION_SECRET">;

/**
 * The AES-256 key: HKDF-SHA256 over STAFF_TOTP_KEY; outside production, when it is unset, over SESSION_SECRET
 * (with its own label, so the two uses of that secret never share a key).
 */
export function totpEncryptionKey(source: KeySource = env()): Buffer {
  if (!source.STAFF_TOTP_KEY && source.NODE_ENV === "production") throw new Error("STAFF_TOTP_KEY is required in production");
  const material = source.STAFF_TOTP_KEY ?? source.SESSION_SECRET;
  const info = source.STAFF_TOTP_KEY ? "moica staff totp secret v1" : "moica staff totp secret v1 (from SESSION_SECRET)";
  return Buffer.from(hkdfSync("sha256", material, "", info, 32));
}

/** `v1.<iv>.<ciphertext>.<tag>` (base64url), bound to the account it belongs to. */
export function encryptTotpSecret(secretBase32: string, staffId: string, key = totpEncryptionKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(staffId));
  const ciphertext = Buffer.concat([cipher.update(secretBase32, "utf8"), cipher.final()]);
  return ["v1", iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

/** Throws when the text was altered, belongs to another account or was encrypted under another key. */
export function decryptTotpSecret(encrypted: string, staffId: string, key = totpEncryptionKey()): string {
  const [version, iv, ciphertext, tag] = encrypted.split(".");
  if (version !== "v1" || !iv || !ciphertext || !tag) throw new Error("unknown TOTP secret format");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(staffId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/**
 * Uses up `step` for a sign-in: one UPDATE that succeeds only if the account is enrolled, enabled, not locked and
 * no code of this or a later step was accepted before. Of two requests with the same code, one wins. A full
 * sign-in also clears the wrong-try counter (wrong passwords and wrong codes count together).
 */
export async function claimTotpStepForSignIn(staffId: string, step: bigint, now: Date): Promise<boolean> {
  const claimed = await prisma.$executeRaw`
    UPDATE staff_account
       SET totp_last_step = ${step}, failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = ${now}::timestamptz, updated_at = ${now}::timestamptz
     WHERE id = ${staffId}::uuid
       AND totp_enabled_at IS NOT NULL AND disabled_at IS NULL
       AND (locked_until IS NULL OR locked_until <= ${now}::timestamptz)
       AND (totp_last_step IS NULL OR totp_last_step < ${step})`;
  return claimed === 1;
}

function refuseInProduction(what: string): void {
  if (env().NODE_ENV === "production" || process.env.NODE_ENV === "production") throw new Error(`${what} is for development and tests only`);
}

/**
 * Development and tests only (the seed, e2e tests): enrols a known secret for a demo account, so it can sign in
 * without a phone. Throws in production and for an unknown username.
 */
export async function enrolStaffTotpForDemo(username: string, secretBase32: string, now = new Date()): Promise<void> {
  refuseInProduction("enrolStaffTotpForDemo");
  const secret = base32Encode(base32Decode(secretBase32));
  if (base32Decode(secret).length < 10) throw new Error("a TOTP secret needs at least 80 bits");
  const account = await prisma.staffAccount.findUniqueOrThrow({ where: { username }, select: { id: true } });
  await prisma.$transaction(async (tx) => {
    await tx.staffAccount.update({
      where: { id: account.id },
      // A demo account's password is the README's, known to all: asking its owner to change it would only break
      // the demo sign-in (issue 13), so it counts as chosen by the member.
      data: { totpSecretEnc: encryptTotpSecret(secret, account.id), totpEnabledAt: now, totpLastStep: null, passwordChangeRequired: false },
    });
    await recordAuditEvent({ actor: { type: "SYSTEM" }, action: "staff.totp_enrolled", subject: { type: "staff_account", id: account.id }, details: { demo: true } }, tx);
  });
}

/** Development and tests only: an enrolled account's secret and the last step used, for scripts/staff/totp-code.ts. */
export async function readStaffTotpForDemo(username: string): Promise<{ secretBase32: string; lastStep: bigint | null }> {
  refuseInProduction("readStaffTotpForDemo");
  const account = await prisma.staffAccount.findUnique({
    where: { username: username.trim().toLowerCase() },
    select: { id: true, totpSecretEnc: true, totpEnabledAt: true, totpLastStep: true },
  });
  if (!account?.totpSecretEnc || !account.totpEnabledAt) throw new Error(`no enrolled authenticator for ${username}`);
  return { secretBase32: decryptTotpSecret(account.totpSecretEnc, account.id), lastStep: account.totpLastStep };
}
