// The card file: what a test card "holds" — its card number, the signing and encryption certificates and
// their private keys — for the card simulator to serve as HiCOS would. `pin` is our addition: a real card
// checks its PIN itself, so the simulator needs to know it. Server-only (reads and writes files).
//
//   { "cardNumber": "TP03120111098939",
//     "signing":    { "certPem": "-----BEGIN CERTIFICATE-----…", "keyPem": "-----BEGIN PRIVATE KEY-----…" },
//     "encryption": { "certPem": "…", "keyPem": "…" },
//     "pin": "123456" }
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { cardNumberSchema } from "./schema";

/** The simulator's default PIN (a real card's default is the birth date in the ROC calendar, 6 digits). */
export const DEFAULT_CARD_PIN = "123456";

// domain: a PIN is 6–8 characters. Printable ASCII without spaces: what a card reader's PIN pad can type.
export const cardPinSchema = z
  .string()
  .regex(/^[\x21-\x7e]{6,8}$/, { error: "PIN 為 6–8 個字元 / A PIN is 6–8 characters" });

const pem = (label: string) =>
  z
    .string()
    .trim()
    .refine((text) => text.startsWith(`-----BEGIN ${label}-----`) && text.endsWith(`-----END ${label}-----`), {
      error: `expected a PEM "${label}"`,
    });

const usageSchema = z.object({ certPem: pem("CERTIFICATE"), keyPem: pem("PRIVATE KEY") });

export const cardFileSchema = z.object({
  cardNumber: cardNumberSchema,
  signing: usageSchema,
  encryption: usageSchema,
  pin: cardPinSchema.default(DEFAULT_CARD_PIN),
});

export type CardFile = z.output<typeof cardFileSchema>;

export const CARD_FILE_NAME = "card.json";

/** Writes `dir/card.json` (creating `dir`), readable by the owner only: it holds private keys. Returns its path. */
export async function writeCardFile(dir: string, file: z.input<typeof cardFileSchema>): Promise<string> {
  const valid = cardFileSchema.parse(file);
  const target = path.join(dir, CARD_FILE_NAME);
  await mkdir(dir, { recursive: true });
  await writeFile(target, JSON.stringify(valid, null, 2) + "\n", { mode: 0o600 });
  await chmod(target, 0o600); // writeFile's mode applies only when it creates the file
  return target;
}

/** Reads and validates `dir/card.json`; the error names the file and what is wrong, never the keys. */
export async function readCardFile(dir: string): Promise<CardFile> {
  const target = path.join(dir, CARD_FILE_NAME);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(target, "utf8"));
  } catch (error) {
    const reason =
      error instanceof SyntaxError ? "not JSON" : (error as { code?: string }).code === "ENOENT" ? "no such file" : String(error);
    throw new Error(`${target}: ${reason}`, { cause: error });
  }
  const result = cardFileSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`${target}: not a card file (${problems.join("; ")})`);
  }
  return result.data;
}
