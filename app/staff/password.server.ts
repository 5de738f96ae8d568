// Staff passwords: a slow, salted scrypt hash in the same `scrypt$N$r$p$salt$hash` shape as the user code
// (app/activation/user-code.server.ts), checked in constant time. Passwords never reach logs or audit details.
import { randomBytes } from "node:crypto";
import { hashSecret, verifySecret } from "~/lib/scrypt-hash.server";
import { staffPasswordSchema } from "./schema";

/** Refuses a password the policy does not allow (ZodError), then hashes it. */
export async function hashStaffPassword(password: string): Promise<string> {
  return hashSecret(staffPasswordSchema.parse(password));
}

export function verifyStaffPassword(password: string, stored: string): Promise<boolean> {
  return verifySecret(password, stored);
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
