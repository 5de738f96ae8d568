import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { x509 } from "~/lib/x509.server";
import { describeCertificate } from "./certificates.server";
import {
  cardCertificateValidity,
  issueCardCertificates,
  issueHolderCertificate,
  loadTestCa,
  testCaTrust,
  type TestCa,
} from "./test-ca.server";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const scratch = await mkdtemp(path.join(os.tmpdir(), "test-ca-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const rootFingerprint = async (ca: TestCa) => Buffer.from(await ca.root.getThumbprint("SHA-256")).toString("hex");

describe("loadTestCa", () => {
  it("creates the CA files once, keys readable by the owner only, and reuses them", async () => {
    const dir = path.join(scratch, "once", "ca");
    const first = await loadTestCa(dir);
    expect((await readdir(dir)).sort()).toEqual(["issuing-key.pem", "issuing.pem", "root-key.pem", "root.pem"]);
    for (const key of ["root-key.pem", "issuing-key.pem"]) {
      expect((await stat(path.join(dir, key))).mode & 0o777).toBe(0o600);
    }
    const second = await loadTestCa(dir);
    expect(await rootFingerprint(second)).toBe(await rootFingerprint(first));
    expect(second.dir).toBe(dir);
    expect(await readdir(path.dirname(dir))).toEqual(["ca"]); // no temporary folder left beside it
  });

  it("ends with one CA when several first loads race in one process", async () => {
    const dir = path.join(scratch, "promises", "ca");
    const cas = await Promise.all([1, 2, 3, 4].map(() => loadTestCa(dir)));
    const winner = await rootFingerprint(await loadTestCa(dir));
    expect(await Promise.all(cas.map(rootFingerprint))).toEqual([winner, winner, winner, winner]);
    expect(await readdir(path.dirname(dir))).toEqual(["ca"]);
  });

  it("ends with one CA when several processes start at once", { timeout: 60_000 }, async () => {
    const dir = path.join(scratch, "processes", "ca");
    const show = () =>
      promisify(execFile)(path.join(repoRoot, "node_modules/.bin/tsx"), ["scripts/ca.ts", "show"], {
        cwd: repoRoot,
        env: { ...process.env, CARD_TEST_CA_DIR: dir },
      });
    const outputs = await Promise.all([show(), show(), show()]);
    // The root's fingerprint is the first SHA-256 line `show` prints.
    const printed = outputs.map(({ stdout }) => /SHA-256\s+([0-9A-F:]+)/.exec(stdout)?.[1]?.replaceAll(":", "").toLowerCase());
    const winner = await rootFingerprint(await loadTestCa(dir));
    expect(printed).toEqual([winner, winner, winner]);
    expect(await readdir(path.dirname(dir))).toEqual(["ca"]);
  });

  it("creates the CA in an empty folder, and refuses a folder with some of the files missing", async () => {
    const empty = path.join(scratch, "empty");
    await mkdir(empty, { recursive: true });
    await expect(loadTestCa(empty)).resolves.toMatchObject({ dir: empty });

    const partial = path.join(scratch, "partial");
    await mkdir(partial, { recursive: true });
    await writeFile(path.join(partial, "root.pem"), "");
    await expect(loadTestCa(partial)).rejects.toThrow(/lacks root-key\.pem, issuing\.pem, issuing-key\.pem: remove the folder/);
  });
});

describe("the test CA's shape", () => {
  let ca: TestCa;
  beforeAll(async () => {
    ca = await loadTestCa(); // the run's shared CA (CARD_TEST_CA_DIR, set by test/setup-file.ts)
  });

  it("is a self-signed GRCA-like root over a MOICA-like issuing CA", async () => {
    expect(ca.dir).toBe(process.env.CARD_TEST_CA_DIR);
    expect(ca.root.subject).toBe("C=TW, O=行政院, OU=政府憑證總管理中心 (測試)");
    expect(ca.issuing.subject).toBe("C=TW, O=行政院, OU=內政部憑證管理中心 (測試)");
    expect(ca.issuing.issuer).toBe(ca.root.subject);
    expect(await ca.root.isSelfSigned()).toBe(true);
    expect(await ca.issuing.verify({ publicKey: ca.root, signatureOnly: true })).toBe(true);
    expect(ca.root.signatureAlgorithm).toMatchObject({ name: "RSASSA-PKCS1-v1_5", hash: { name: "SHA-256" } });
    expect(ca.issuing.publicKey.algorithm).toMatchObject({ modulusLength: 2048 });

    const constraints = (c: x509.X509Certificate) => c.getExtension(x509.BasicConstraintsExtension)!;
    expect(constraints(ca.root)).toMatchObject({ ca: true, pathLength: 1, critical: true });
    expect(constraints(ca.issuing)).toMatchObject({ ca: true, pathLength: 0, critical: true });
    for (const c of [ca.root, ca.issuing]) {
      expect(c.getExtension(x509.KeyUsagesExtension)!.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    }
    const rootKeyId = ca.root.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
    expect(ca.issuing.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(rootKeyId);
    expect(testCaTrust(ca)).toEqual({ anchors: [ca.root], intermediates: [ca.issuing] });
  });
});

describe("issueCardCertificates", () => {
  let ca: TestCa;
  beforeAll(async () => {
    ca = await loadTestCa();
  });
  const issuedAt = new Date("2018-11-20T00:00:00+08:00");

  it("issues two certificates that chain to the root through the issuing CA", async () => {
    const card = await issueCardCertificates(ca, { name: "王小明", idLast4: "6789", issuedAt, extended: true });
    for (const { certificate } of [card.signing, card.encryption]) {
      expect(certificate.issuer).toBe(ca.issuing.subject);
      expect(await certificate.verify({ publicKey: ca.issuing, signatureOnly: true })).toBe(true);
      expect(await certificate.verify({ publicKey: ca.root, signatureOnly: true })).toBe(false);
      const aki = certificate.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId;
      expect(aki).toBe(ca.issuing.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);

      const { anchors, intermediates } = testCaTrust(ca);
      const chain = await new x509.X509ChainBuilder({ certificates: [...intermediates, ...anchors] }).build(certificate);
      expect(chain.map((c) => c.subject)).toEqual([certificate.subject, ca.issuing.subject, ca.root.subject]);
    }
    expect(card.signing.certificate.serialNumber).not.toBe(card.encryption.certificate.serialNumber);
    expect(card.signing.certificate.serialNumber).toMatch(/^[4-7][0-9a-f]{31}$/i); // positive, 16 bytes
  });

  it("names the holder as MOICA does: CN = name, serialNumber (2.5.4.5) = last 4 ID digits", async () => {
    const card = await issueCardCertificates(ca, { name: "陳美玲", idLast4: "0123", issuedAt, extended: false });
    const { subjectName } = card.signing.certificate;
    expect(subjectName.getField("C")).toEqual(["TW"]);
    expect(subjectName.getField("2.5.4.5")).toEqual(["0123"]);
    const facts = describeCertificate(new Uint8Array(card.encryption.certificate.rawData));
    expect(facts).toMatchObject({ commonName: "陳美玲", subjectIdLast4: "0123" });
    expect(facts.issuerDn).toBe(ca.issuing.subject);
  });

  it("ends 5 years after issue, or 8 when extended (001: once, by 3 years), to the second", async () => {
    const at = new Date("2018-11-19T16:00:00.750Z");
    const five = await issueCardCertificates(ca, { name: "林志豪", idLast4: "1111", issuedAt: at, extended: false });
    const eight = await issueCardCertificates(ca, { name: "林志豪", idLast4: "1111", issuedAt: at, extended: true });
    expect(five.signing.certificate.notBefore.toISOString()).toBe("2018-11-19T16:00:00.000Z");
    expect(five.signing.certificate.notAfter.toISOString()).toBe("2023-11-19T16:00:00.000Z");
    expect(eight.encryption.certificate.notAfter.toISOString()).toBe("2026-11-19T16:00:00.000Z");
    // The extension counts 3 years from the 5-year expiry, so a 29 February issue ends on 1 March.
    const leap = cardCertificateValidity({ issuedAt: new Date("2016-02-29T00:00:00Z"), extended: true });
    expect(leap.notAfter.toISOString()).toBe("2024-03-01T00:00:00.000Z");
  });

  it("gives each certificate its own key pair and the key usage of its purpose", async () => {
    const card = await issueCardCertificates(ca, { name: "李建宏", idLast4: "2222", issuedAt, extended: false });
    const usages = (c: x509.X509Certificate) => c.getExtension(x509.KeyUsagesExtension)!;
    expect(usages(card.signing.certificate)).toMatchObject({
      usages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, critical: true,
    });
    expect(usages(card.encryption.certificate)).toMatchObject({
      usages: x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.dataEncipherment, critical: true,
    });
    expect(card.signing.certificate.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    const spki = async (keys: CryptoKeyPair) => Buffer.from(await crypto.subtle.exportKey("spki", keys.publicKey)).toString("hex");
    expect(await spki(card.signing.keys)).not.toBe(await spki(card.encryption.keys));
    expect(Buffer.from(card.signing.certificate.publicKey.rawData).toString("hex")).toBe(await spki(card.signing.keys));
  });

  it("refuses a validity outside the issuing CA's, a bad last-4 and an empty name", async () => {
    const o = { name: "黃怡君", idLast4: "3333", usage: "SIGNING" as const, notBefore: issuedAt };
    await expect(issueHolderCertificate(ca, { ...o, notAfter: new Date("2070-01-01T00:00:00Z") })).rejects.toThrow(/outlive/);
    await expect(issueCardCertificates(ca, { ...o, idLast4: "12a4", issuedAt, extended: false })).rejects.toThrow(/idLast4/);
    await expect(issueCardCertificates(ca, { ...o, name: " ", issuedAt, extended: false })).rejects.toThrow(/name/);
  });
});
