// The issuing CA: the test CA outside production (so new cards chain to the root login trusts), and the
// production loader's checks on the configured files — run here on copies of the test CA's own files.
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueHolderCertificateForKey, loadTestCa, newKeyPair, RSA_SHA256, type TestCa } from "~/cards/test-ca.server";
import { x509 } from "~/lib/x509.server";
import { loadIssuingCa, readIssuingCaFiles } from "./issuing-ca.server";

const scratch = await mkdtemp(path.join(os.tmpdir(), "issuing-ca-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

let testCa: TestCa;
beforeAll(async () => {
  testCa = await loadTestCa();
});

const file = (name: string) => path.join(scratch, name);
const caFile = (name: string) => path.join(testCa.dir, name);
const thumbprint = async (c: x509.X509Certificate) => Buffer.from(await c.getThumbprint("SHA-256")).toString("hex");

/** A CA-looking certificate with its key, as PEM files, built by the caller's rules. */
async function writeCertificateAndKey(name: string, o: { ca: boolean; keyUsage: number }) {
  const keys = await newKeyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "0a1b2c",
    name: "C=TW, O=行政院, OU=不是憑證管理中心 (測試)",
    notBefore: new Date("2020-01-01T00:00:00Z"),
    notAfter: new Date("2050-01-01T00:00:00Z"),
    keys,
    signingAlgorithm: RSA_SHA256,
    extensions: [new x509.BasicConstraintsExtension(o.ca, undefined, true), new x509.KeyUsagesExtension(o.keyUsage, true)],
  });
  await writeFile(file(`${name}.pem`), certificate.toString("pem"));
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  await writeFile(file(`${name}-key.pem`), x509.PemConverter.encode(pkcs8, "PRIVATE KEY"));
  return { certFile: file(`${name}.pem`), keyFile: file(`${name}-key.pem`) };
}

describe("loadIssuingCa outside production", () => {
  it("is the local test CA's issuing CA, loaded once per process", async () => {
    const first = loadIssuingCa();
    expect(loadIssuingCa()).toBe(first);
    const ca = await first;
    expect(await thumbprint(ca.issuing)).toBe(await thumbprint(testCa.issuing));
    expect(ca.issuing.subject).toBe("C=TW, O=行政院, OU=內政部憑證管理中心 (測試)");
    // …with the test CA's status store, so its OCSP responder knows every reissued card's certificates.
    expect(Object.keys(ca).sort()).toEqual(["issuing", "issuingKey", "statusStore"]);
    expect(ca.statusStore).toBe(testCa.statusStore);
  });
});

describe("readIssuingCaFiles (production's CARD_ISSUING_CA_CERT_FILE / CARD_ISSUING_CA_KEY_FILE)", () => {
  it("loads a CA certificate with its own key, and what it issues verifies with the certificate", async () => {
    const ca = await readIssuingCaFiles({ certFile: caFile("issuing.pem"), keyFile: caFile("issuing-key.pem") });
    expect(await thumbprint(ca.issuing)).toBe(await thumbprint(testCa.issuing));
    const holder = await newKeyPair();
    const certificate = await issueHolderCertificateForKey(ca, {
      name: "王小明", idLast4: "6789", usage: "SIGNING", publicKey: holder.publicKey,
      notBefore: new Date("2026-01-01T00:00:00Z"), notAfter: new Date("2031-01-01T00:00:00Z"),
    });
    expect(await certificate.verify({ publicKey: testCa.issuing, signatureOnly: true })).toBe(true);
  });

  it("refuses a key that is not the certificate's, naming the variable and printing no key", async () => {
    const error = await readIssuingCaFiles({ certFile: caFile("issuing.pem"), keyFile: caFile("root-key.pem") }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^CARD_ISSUING_CA_KEY_FILE: .*root-key\.pem is not the private key of the certificate/);
    const keyBody = (await readFile(caFile("root-key.pem"), "utf8")).split("\n")[1]!;
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(keyBody.slice(0, 40));
  });

  it("refuses a key file that holds no key, without echoing its contents", async () => {
    await writeFile(file("garbage-key.pem"), "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWlzaC1ieXRlcw==\n-----END PRIVATE KEY-----\n");
    const error = (await readIssuingCaFiles({ certFile: caFile("issuing.pem"), keyFile: file("garbage-key.pem") }).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/^CARD_ISSUING_CA_KEY_FILE: .* holds no unencrypted PKCS#8 RSA private key/);
    expect(error.message).not.toContain("c2VjcmV0");
    expect(error.cause).toBeUndefined();
  });

  it("refuses a certificate that is not a CA, or a CA that may not sign certificates", async () => {
    const leaf = await writeCertificateAndKey("leaf", { ca: false, keyUsage: x509.KeyUsageFlags.keyCertSign });
    await expect(readIssuingCaFiles(leaf)).rejects.toThrow(/^CARD_ISSUING_CA_CERT_FILE: .* is not a CA certificate/);
    const noCertSign = await writeCertificateAndKey("crl-only", { ca: true, keyUsage: x509.KeyUsageFlags.cRLSign });
    await expect(readIssuingCaFiles(noCertSign)).rejects.toThrow(/^CARD_ISSUING_CA_CERT_FILE: .* lacks keyCertSign/);
    const good = await writeCertificateAndKey("good", { ca: true, keyUsage: x509.KeyUsageFlags.keyCertSign });
    await expect(readIssuingCaFiles(good)).resolves.toHaveProperty("issuingKey");
  });

  it("refuses an issuing CA that has expired", async () => {
    await expect(
      readIssuingCaFiles({ certFile: caFile("issuing.pem"), keyFile: caFile("issuing-key.pem"), now: new Date("2056-01-01T00:00:00Z") }),
    ).rejects.toThrow(/^CARD_ISSUING_CA_CERT_FILE: .* is not valid now/);
  });

  it("names a missing variable, a missing file and a file that is no certificate", async () => {
    await expect(readIssuingCaFiles({ certFile: undefined, keyFile: "x" })).rejects.toThrow(/^CARD_ISSUING_CA_CERT_FILE: required/);
    await expect(readIssuingCaFiles({ certFile: caFile("issuing.pem"), keyFile: undefined })).rejects.toThrow(/^CARD_ISSUING_CA_KEY_FILE: required/);
    await expect(readIssuingCaFiles({ certFile: file("nowhere.pem"), keyFile: caFile("issuing-key.pem") })).rejects.toThrow(
      /^CARD_ISSUING_CA_CERT_FILE: cannot read .*nowhere\.pem \(ENOENT\)/,
    );
    await copyFile(caFile("issuing-key.pem"), file("key-as-cert.pem"));
    await expect(readIssuingCaFiles({ certFile: file("key-as-cert.pem"), keyFile: caFile("issuing-key.pem") })).rejects.toThrow(
      /^CARD_ISSUING_CA_CERT_FILE: .* holds no readable PEM certificate/,
    );
  });
});
