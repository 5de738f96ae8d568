// 002: the CA keeps no copy of the user code. Only a slow, salted scrypt hash is stored; it is checked in
// constant time. The code itself never reaches logs, job payloads or e-mail.
import { hashSecret, verifySecret } from "~/lib/scrypt-hash.server";
import { userCodeSchema } from "./schema";

export async function hashUserCode(code: string): Promise<string> {
  return hashSecret(userCodeSchema.parse(code));
}

export function verifyUserCode(code: string, stored: string): Promise<boolean> {
  return verifySecret(code, stored);
}
