// `npm run demo:sign-bank-file -- FILE.csv` as a child process: the .sig it writes verifies with the public key
// that the dev environment hands the service, and only over the exact bytes it signed.
import { createPublicKey } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BankFileSignatureError, verifyBankFileSignature } from "~/finance/bank-file-signature.server";
import { runCli } from "../../test/support/run-cli";
import { bankFileKeyFiles } from "./bank-file-signer";

const scratch = await mkdtemp(path.join(os.tmpdir(), "sign-bank-file-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("demo:sign-bank-file", () => {
  it("writes FILE.csv.sig that the demo bank's public key verifies over exactly that file", { timeout: 60_000 }, async () => {
    const file = path.join(scratch, "demo.csv");
    const content = "paid_at,bank_code,virtual_account,amount,bank_txn_id\n2026-11-25T14:03:00+08:00,822,95281234567897,228,DEMO-1\n";
    await writeFile(file, content);
    const run = await runCli("scripts/demo-partners/sign-bank-file.ts", [file], { scratch, drop: ["BANK_FILE_PUBLIC_KEY_FILE"] });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`--signature ${file}.sig`);
    const signature = await readFile(`${file}.sig`);
    expect(signature.toString()).toMatch(/^[A-Za-z0-9+/]{86}==\n$/);
    const publicKey = createPublicKey(await readFile(bankFileKeyFiles(path.join(scratch, "dev-data")).publicKeyFile));
    expect(() => verifyBankFileSignature({ content: new TextEncoder().encode(content), signature, publicKey })).not.toThrow();
    expect(() => verifyBankFileSignature({ content: new TextEncoder().encode(content.replace("228,", "229,")), signature, publicKey })).toThrow(BankFileSignatureError);
  });
});
