// Dev only: plays the bank's side of signed daily files (docs/bank-interfaces.md) — an Ed25519 key pair kept
// under the dev data folder and a detached signature over a file's bytes. The service never reads the private
// key; it gets the public key through BANK_FILE_PUBLIC_KEY_FILE.
import { generateKeyPairSync, sign, createPrivateKey } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface BankFileKeyFiles {
  privateKeyFile: string;
  publicKeyFile: string;
}

export const bankFileKeyFiles = (dir: string): BankFileKeyFiles => ({
  privateKeyFile: path.join(dir, "demo-bank-file-key.pem"),
  publicKeyFile: path.join(dir, "demo-bank-file-key.pub.pem"),
});

/** The demo bank's key pair in `dir`, made on first use (the public half written last, so a reader sees a pair). */
export function ensureDemoBankFileKey(dir: string): BankFileKeyFiles {
  const files = bankFileKeyFiles(dir);
  if (existsSync(files.privateKeyFile) && existsSync(files.publicKeyFile)) return files;
  mkdirSync(dir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const write = (file: string, pem: string, mode: number) => {
    writeFileSync(`${file}.tmp-${process.pid}`, pem, { mode });
    renameSync(`${file}.tmp-${process.pid}`, file);
  };
  write(files.privateKeyFile, privateKey.export({ type: "pkcs8", format: "pem" }).toString(), 0o600);
  write(files.publicKeyFile, publicKey.export({ type: "spki", format: "pem" }).toString(), 0o644);
  return files;
}

/** The detached signature the bank would send with `content`, base64 + newline (what `openssl … | base64` gives). */
export function signBankFile(content: Uint8Array, privateKeyPem: string | Buffer): string {
  return `${sign(null, content, createPrivateKey(privateKeyPem)).toString("base64")}\n`;
}

export const readPrivateKey = (files: BankFileKeyFiles) => readFileSync(files.privateKeyFile);
