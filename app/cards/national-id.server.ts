import { createHmac } from "node:crypto";
import { env } from "~/lib/env.server";
import { normalizeNationalId } from "./national-id";

/**
 * The keyed hash the holder table is looked up by. HMAC (not a plain hash): ID numbers are few enough to
 * enumerate, so without the key a copy of the database must not reveal them.
 */
export function nationalIdHash(id: string, key = env().NATIONAL_ID_HASH_KEY): string {
  return createHmac("sha256", key).update(normalizeNationalId(id), "utf8").digest("hex");
}
