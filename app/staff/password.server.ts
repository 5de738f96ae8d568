// Staff passwords: a slow, salted scrypt hash in the same `scrypt$N$r$p$salt$hash` shape as the user code
// (app/activation/user-code.server.ts), checked in constant time. Passwords never reach logs or audit details.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { staffPasswordSchema } from "./schema";

const PARAMS = { N: 2 ** 16, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

interface Params {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, params: Params): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** Refuses a password the policy does not allow (ZodError), then hashes it. */
export async function hashStaffPassword(password: string): Promise<string> {
  const valid = staffPasswordSchema.parse(password);
  const salt = randomBytes(16);
  const key = await derive(valid, salt, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

function parseHash(stored: string): { params: Params; salt: Buffer; hash: Buffer } {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash || rest.length > 0) throw new Error("unrecognised staff password hash format");
  return { params: { N: Number(n), r: Number(r), p: Number(p) }, salt: Buffer.from(salt, "base64url"), hash: Buffer.from(hash, "base64url") };
}

export async function verifyStaffPassword(password: string, stored: string): Promise<boolean> {
  const { params, salt, hash } = parseHash(stored);
  const actual = await derive(password, salt, params);
  return actual.length === hash.length && timingSafeEqual(actual, hash);
}

let decoy: Promise<string> | undefined;

/**
 * For a username that does not exist: costs one scrypt at the current parameters, like a real check, so the
 * answer's timing does not tell which usernames exist. Always false.
 */
export async function spendDecoyVerification(password: string): Promise<false> {
  decoy ??= hashStaffPassword(randomBytes(18).toString("base64url"));
  await verifyStaffPassword(password, await decoy);
  return false;
}
