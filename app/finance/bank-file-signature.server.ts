// The bank signs each daily file: Ed25519 (RFC 8032) over the file's exact bytes, sent as a detached signature
// (FILE.csv.sig: the 64 raw bytes, or them in base64). Verified with the public key in BANK_FILE_PUBLIC_KEY_FILE.
// Format and commands: docs/bank-interfaces.md; why: docs/decisions/010-bank-file-four-eyes.md.
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { env } from "~/lib/env.server";
import { AppError } from "~/lib/errors.server";

const ED25519_SIGNATURE_BYTES = 64;
/** A signature file is 64 bytes raw or ~88 characters of base64; anything much larger is not one. */
export const BANK_SIGNATURE_MAX_BYTES = 1024;

/** A signature was given and does not verify: the file was changed, or signed by someone else. Nothing is imported. */
export class BankFileSignatureError extends AppError {
  constructor(readonly why: "malformed" | "mismatch") {
    super(
      "BANK_FILE_SIGNATURE_INVALID",
      why === "malformed"
        ? { "zh-TW": "簽章檔格式不正確（應為 64 位元組的 Ed25519 簽章，原始或 base64）；未匯入任何資料。", en: "The signature file is not an Ed25519 signature (64 bytes, raw or base64); nothing was imported." }
        : { "zh-TW": "銀行簽章與檔案內容不符（檔案遭修改或非銀行所簽）；未匯入任何資料，請向銀行索取原檔。", en: "The bank's signature does not match this file (changed, or not signed by the bank); nothing was imported — ask the bank for the original." },
      422,
    );
    this.name = "BankFileSignatureError";
  }
}

/** A signature was given but the service has no bank key to check it with: refused, never taken on trust. */
export class BankFileKeyMissingError extends AppError {
  constructor() {
    super(
      "BANK_FILE_KEY_NOT_CONFIGURED",
      { "zh-TW": "尚未設定銀行公鑰（BANK_FILE_PUBLIC_KEY_FILE），無法驗證簽章；未匯入任何資料。", en: "The bank's public key (BANK_FILE_PUBLIC_KEY_FILE) is not configured, so the signature cannot be checked; nothing was imported." },
      503,
    );
    this.name = "BankFileKeyMissingError";
  }
}

/** The bank's key from configuration, read each time (a rotated key file takes effect without a restart). */
export function bankFilePublicKey(): KeyObject {
  const file = env().BANK_FILE_PUBLIC_KEY_FILE;
  if (!file) throw new BankFileKeyMissingError();
  let key: KeyObject;
  try {
    key = createPublicKey(readFileSync(file));
  } catch {
    throw new BankFileKeyMissingError();
  }
  if (key.asymmetricKeyType !== "ed25519") throw new BankFileKeyMissingError();
  return key;
}

/** The 64 signature bytes from a .sig file: raw, or base64 text (surrounding whitespace and a newline allowed). */
export function decodeBankFileSignature(sig: Uint8Array): Buffer | null {
  if (sig.byteLength === ED25519_SIGNATURE_BYTES) return Buffer.from(sig);
  if (sig.byteLength > BANK_SIGNATURE_MAX_BYTES) return null;
  const text = Buffer.from(sig).toString("latin1").trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  return bytes.byteLength === ED25519_SIGNATURE_BYTES ? bytes : null;
}

/** Throws BankFileSignatureError unless `signature` is the bank's signature over exactly `content`. */
export function verifyBankFileSignature({ content, signature, publicKey = bankFilePublicKey() }: {
  content: Uint8Array;
  signature: Uint8Array;
  publicKey?: KeyObject;
}): void {
  const bytes = decodeBankFileSignature(signature);
  if (!bytes) throw new BankFileSignatureError("malformed");
  // Ed25519 takes no digest: null, and it signs the message itself (no pre-hash).
  if (!verify(null, content, publicKey, bytes)) throw new BankFileSignatureError("mismatch");
}
