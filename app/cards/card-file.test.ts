import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { x509 } from "~/lib/x509.server";
import { cardFileSchema, readCardFile, writeCardFile, type CardFile } from "./card-file";
import { importPrivateKeyPem, issueCardCertificates, loadTestCa, privateKeyPem, RSA_SHA256 } from "./test-ca.server";

const scratch = await mkdtemp(path.join(os.tmpdir(), "card-file-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

let file: CardFile;
beforeAll(async () => {
  const card = await issueCardCertificates(await loadTestCa(), {
    name: "王小明", idLast4: "6789", issuedAt: new Date("2020-01-01T00:00:00Z"), extended: false,
  });
  file = {
    cardNumber: "TP03120111098939",
    signing: { certPem: card.signing.certificate.toString("pem"), keyPem: await privateKeyPem(card.signing.keys.privateKey) },
    encryption: {
      certPem: card.encryption.certificate.toString("pem"), keyPem: await privateKeyPem(card.encryption.keys.privateKey),
    },
    pin: "246810",
  };
});

describe("card file", () => {
  it("round-trips through dir/card.json, which only its owner can read", async () => {
    const dir = path.join(scratch, "cards", "TP03120111098939");
    const written = await writeCardFile(dir, file);
    expect(written).toBe(path.join(dir, "card.json"));
    expect((await stat(written)).mode & 0o777).toBe(0o600);
    expect(await readCardFile(dir)).toEqual(file);
    const json = JSON.parse(await readFile(written, "utf8"));
    expect(Object.keys(json)).toEqual(["cardNumber", "signing", "encryption", "pin"]);
    expect(json.signing.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it("holds PKCS#8 keys that sign what the certificate's public key verifies", async () => {
    const data = new TextEncoder().encode("nonce-0123456789");
    for (const usage of [file.signing, file.encryption]) {
      const key = await importPrivateKeyPem(usage.keyPem);
      const signature = await crypto.subtle.sign(RSA_SHA256, key, data);
      const publicKey = await new x509.X509Certificate(usage.certPem).publicKey.export(RSA_SHA256, ["verify"]);
      expect(await crypto.subtle.verify(RSA_SHA256, publicKey, signature, data)).toBe(true);
    }
    // The signing key does not match the encryption certificate: each certificate has its own pair.
    const signingKey = await importPrivateKeyPem(file.signing.keyPem);
    const signature = await crypto.subtle.sign(RSA_SHA256, signingKey, data);
    const encryptionPublic = await new x509.X509Certificate(file.encryption.certPem).publicKey.export(RSA_SHA256, ["verify"]);
    expect(await crypto.subtle.verify(RSA_SHA256, encryptionPublic, signature, data)).toBe(false);
  });

  it("defaults the PIN to 123456 and refuses a PIN outside 6–8 characters", () => {
    const { pin: _, ...withoutPin } = file;
    expect(cardFileSchema.parse(withoutPin).pin).toBe("123456");
    expect(cardFileSchema.safeParse({ ...file, pin: "12345" }).success).toBe(false);
    expect(cardFileSchema.safeParse({ ...file, pin: "123456789" }).success).toBe(false);
    expect(cardFileSchema.safeParse({ ...file, pin: "abc 1234" }).success).toBe(false);
    expect(cardFileSchema.parse({ ...file, pin: "Ab3$5678" }).pin).toBe("Ab3$5678");
  });

  it("refuses a malformed file, naming the file and the field but never a key", async () => {
    const dir = path.join(scratch, "bad");
    await writeCardFile(dir, file);
    const target = path.join(dir, "card.json");
    await writeFile(target, JSON.stringify({ ...file, signing: { certPem: file.signing.certPem, keyPem: "not a key" } }));
    const error = await readCardFile(dir).catch((e: Error) => e);
    expect(String(error)).toContain(`${target}: not a card file (signing.keyPem: expected a PEM "PRIVATE KEY")`);
    expect(String(error)).not.toContain("not a key");

    await writeFile(target, "{");
    await expect(readCardFile(dir)).rejects.toThrow(`${target}: not JSON`);
    await expect(readCardFile(path.join(scratch, "none"))).rejects.toThrow(/card\.json: no such file/);
    await expect(writeCardFile(dir, { ...file, cardNumber: "TP123" })).rejects.toThrow(/14/);
  });
});
