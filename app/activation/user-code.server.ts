// 002: the CA keeps no copy of the user code. Only a slow, salted scrypt hash is stored; it is checked in
// constant time. The code itself never reaches logs, job payloads or e-mail.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { userCodeSchema } from "./schema";

// ~64 MiB and tens of milliseconds per hash: a 6–10 character code is guessable offline if this is cheap.
const PARAMS = { N: 2 ** 16, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(code: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(code.normalize("NFC"), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url), so the parameters can be raised later without breaking old hashes. */
export async function hashUserCode(code: string): Promise<string> {
  const valid = userCodeSchema.parse(code);
  const salt = randomBytes(16);
  const key = await derive(valid, salt, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyUserCode(code: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) throw new Error("unrecognised user-code hash format");
  const expected = Buffer.from(hash, "base64url");
  const actual = await derive(code, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
