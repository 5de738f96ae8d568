// A vendor's `personalised` reply becomes a card: the chip's PKCS#10 requests (made here with a fresh key pair,
// as the chip would) are certified by the issuing CA in the holder's name, chain to the root login trusts, and
// are recorded AWAITING_ACTIVATION — which login refuses until the holder activates the card.
import { KeyObject, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { issueCard } from "~/cards/issue-card.server";
import { importPrivateKeyPem, newKeyPair, RSA_SHA256 } from "~/cards/test-ca.server";
import { verifyCardLogin } from "~/auth/card-login.server";
import { trustStore, verifyChain } from "~/auth/trust.server";
import { prisma } from "~/lib/db.server";
import { x509 } from "~/lib/x509.server";
import { signedCardLogin } from "../../test/factories/card-login";
import { createPaidOrderFixture } from "../../test/factories/fulfilment";
import { nationalIdWithCheckDigit } from "../../test/factories/national-ids";
import { loadIssuingCa, type IssuingCa } from "./issuing-ca.server";
import {
  issueReplacementCertificates,
  readCardKeyRequest,
  recordReplacementCard,
  ReplacementCardError,
} from "./replacement-card.server";

const b64 = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString("base64");
const wholeSecond = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);
const validFrom = wholeSecond(new Date());
const validUntil = new Date(validFrom);
validUntil.setUTCFullYear(validUntil.getUTCFullYear() + 5);

let ca: IssuingCa;
beforeAll(async () => {
  ca = await loadIssuingCa();
});

/** What the chip does: a key pair, and a PKCS#10 request signed with it. Its subject is the vendor's affair. */
async function chipRequest(o: { keys?: CryptoKeyPair; signingAlgorithm?: Algorithm & { hash?: string }; name?: string } = {}) {
  const keys = o.keys ?? (await newKeyPair());
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: o.name ?? "CN=chip 0001, O=Card Vendor",
    keys,
    signingAlgorithm: o.signingAlgorithm ?? RSA_SHA256,
  });
  return { keys, csr: b64(csr.rawData) };
}

async function chipCard() {
  const [signing, encryption] = [await chipRequest(), await chipRequest()];
  return { signing, encryption };
}

const refusal = (code: string) => expect.objectContaining({ name: "ReplacementCardError", code });
const cardNumber = () => `TP${randomBytes(8).readBigUInt64BE(0).toString().slice(0, 14).padStart(14, "0")}`;

async function issueFor(holder: { name: string; nationalIdLast4: string }, chip: Awaited<ReturnType<typeof chipCard>>) {
  return issueReplacementCertificates({
    ca, holder: { name: holder.name, idLast4: holder.nationalIdLast4 }, validFrom, validUntil,
    signingCsr: chip.signing.csr, encryptionCsr: chip.encryption.csr,
  });
}

describe("issueReplacementCertificates", () => {
  it("certifies the chip's keys in the holder's name, chaining to the root login trusts", async () => {
    const chip = await chipCard();
    const issued = await issueFor({ name: "陳美玲", nationalIdLast4: "0123" }, chip);

    const trust = await trustStore(); // what verifyCardLogin checks chains against
    for (const [usage, der] of [["signing", issued.signing], ["encryption", issued.encryption]] as const) {
      const certificate = new x509.X509Certificate(Uint8Array.from(der));
      const chain = await verifyChain(certificate, trust, new Date());
      expect(chain.map((c) => c.subject)).toEqual([certificate.subject, ca.issuing.subject, trust.anchors[0]!.subject]);
      expect(certificate.subjectName.getField("CN")).toEqual(["陳美玲"]);
      expect(certificate.subjectName.getField("2.5.4.5")).toEqual(["0123"]);
      expect(certificate.subjectName.getField("C")).toEqual(["TW"]);
      expect(certificate.subject).not.toMatch(/chip|Vendor/); // the request's own subject is ignored
      expect(certificate.notBefore).toEqual(validFrom);
      expect(certificate.notAfter).toEqual(validUntil);
      expect(certificate.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
      // The chip's own key: a signature made with the chip's private key verifies with the certificate.
      const data = randomBytes(32);
      const signature = await crypto.subtle.sign(RSA_SHA256, chip[usage].keys.privateKey, data);
      expect(await crypto.subtle.verify(RSA_SHA256, await certificate.publicKey.export(RSA_SHA256, ["verify"]), signature, data)).toBe(true);
    }
    const usages = (der: Uint8Array) => new x509.X509Certificate(Uint8Array.from(der)).getExtension(x509.KeyUsagesExtension)!;
    expect(usages(issued.signing)).toMatchObject({
      usages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, critical: true,
    });
    expect(usages(issued.encryption)).toMatchObject({
      usages: x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.dataEncipherment, critical: true,
    });
  });

  it("refuses the same key in both requests", async () => {
    const signing = await chipRequest();
    const encryption = await chipRequest({ keys: signing.keys, name: "CN=chip 0002" }); // another request, same key
    expect(encryption.csr).not.toBe(signing.csr);
    await expect(issueFor({ name: "王小明", nationalIdLast4: "1234" }, { signing, encryption })).rejects.toEqual(refusal("SAME_KEY_TWICE"));
  });

  it("refuses a validity the issuing CA does not cover", async () => {
    const chip = await chipCard();
    const input = { ca, holder: { name: "王小明", idLast4: "1234" }, signingCsr: chip.signing.csr, encryptionCsr: chip.encryption.csr };
    await expect(issueReplacementCertificates({ ...input, validFrom, validUntil: new Date("2070-01-01T00:00:00Z") })).rejects.toEqual(
      refusal("VALIDITY_OUTSIDE_CA"),
    );
    await expect(issueReplacementCertificates({ ...input, validFrom: new Date("1999-01-01T00:00:00Z"), validUntil })).rejects.toEqual(
      refusal("VALIDITY_OUTSIDE_CA"),
    );
  });
});

describe("readCardKeyRequest", () => {
  it("answers the key and its SubjectPublicKeyInfo hash", async () => {
    const { keys, csr } = await chipRequest();
    const read = await readCardKeyRequest(csr);
    const spki = new Uint8Array(await crypto.subtle.exportKey("spki", keys.publicKey));
    expect(new Uint8Array(await crypto.subtle.exportKey("spki", read.publicKey))).toEqual(spki);
    expect(read.spkiSha256).toBe(Buffer.from(await crypto.subtle.digest("SHA-256", spki)).toString("hex"));
  });

  it("refuses a request whose signature was tampered with, or that another key signed", async () => {
    const { csr } = await chipRequest();
    const der = Buffer.from(csr, "base64");
    der[der.length - 1]! ^= 0x01; // the last byte of the signature
    await expect(readCardKeyRequest(der.toString("base64"))).rejects.toEqual(refusal("CSR_SIGNATURE_INVALID"));

    // The chip's public key in a request signed by someone else's key: no proof of possession.
    const chip = await newKeyPair();
    const other = await newKeyPair();
    const forged = await chipRequest({ keys: { publicKey: chip.publicKey, privateKey: other.privateKey } });
    await expect(readCardKeyRequest(forged.csr)).rejects.toEqual(refusal("CSR_SIGNATURE_INVALID"));
  });

  it("refuses a request signed with SHA-1", async () => {
    // The generator signs with the hash the key was made for.
    const keys = (await crypto.subtle.generateKey({ ...RSA_SHA256, hash: "SHA-1" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const { csr } = await chipRequest({ keys, signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-1" } });
    expect(new x509.Pkcs10CertificateRequest(Buffer.from(csr, "base64")).signatureAlgorithm).toMatchObject({ hash: { name: "SHA-1" } });
    await expect(readCardKeyRequest(csr)).rejects.toEqual(refusal("CSR_SIGNATURE_INVALID"));
  });

  it("refuses RSA-1024 and EC keys", async () => {
    const rsa1024 = (await crypto.subtle.generateKey({ ...RSA_SHA256, modulusLength: 1024 }, true, ["sign", "verify"])) as CryptoKeyPair;
    await expect(readCardKeyRequest((await chipRequest({ keys: rsa1024 })).csr)).rejects.toEqual(refusal("KEY_NOT_ALLOWED"));
    const ec = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const ecRequest = await chipRequest({ keys: ec, signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } });
    await expect(readCardKeyRequest(ecRequest.csr)).rejects.toEqual(refusal("KEY_NOT_ALLOWED"));
  });

  it("refuses what is not a PKCS#10 request in base64", async () => {
    for (const junk of ["", "not base64!", b64(randomBytes(64)), b64(new TextEncoder().encode("-----BEGIN CERTIFICATE REQUEST-----"))]) {
      await expect(readCardKeyRequest(junk)).rejects.toEqual(refusal("CSR_MALFORMED"));
    }
    const { signing: aCertificate } = await issueFor({ name: "王小明", nationalIdLast4: "1234" }, await chipCard());
    await expect(readCardKeyRequest(b64(aCertificate))).rejects.toEqual(refusal("CSR_MALFORMED"));
  });
});

describe("recordReplacementCard", () => {
  async function paidOrderWithCertificates(holderName = "林志豪") {
    const fixture = await createPaidOrderFixture({ holderName });
    const chip = await chipCard();
    const issued = await issueFor(fixture.holder, chip);
    return { ...fixture, chip, issued };
  }

  const record = (o: { order: { id: string; holderId: string }; issued: { signing: Uint8Array; encryption: Uint8Array } }, number = cardNumber()) =>
    prisma.$transaction((tx) =>
      recordReplacementCard(tx, { orderId: o.order.id, holderId: o.order.holderId, cardNumber: number, ...o.issued }),
    );

  it("records the card, both certificates AWAITING_ACTIVATION, the order's new card and the audit trail", async () => {
    const fixture = await paidOrderWithCertificates();
    const number = cardNumber();
    const result = await record(fixture, number);

    const card = await prisma.card.findUniqueOrThrow({ where: { id: result.cardId }, include: { certificates: true } });
    expect(card).toMatchObject({ cardNumber: number, holderId: fixture.holder.id });
    expect(card.certificates.map((c) => c.usage).sort()).toEqual(["ENCRYPTION", "SIGNING"]);
    for (const row of card.certificates) {
      const der = row.usage === "SIGNING" ? fixture.issued.signing : fixture.issued.encryption;
      const certificate = new x509.X509Certificate(Uint8Array.from(der));
      expect(row).toMatchObject({
        status: "AWAITING_ACTIVATION", extended: false, serialNumber: certificate.serialNumber.toLowerCase(),
        issuerDn: ca.issuing.subject, subjectDn: certificate.subject, notBefore: validFrom, notAfter: validUntil,
      });
      expect(Buffer.from(row.der).equals(Buffer.from(der))).toBe(true);
    }
    expect(result.certificates).toEqual(
      (["SIGNING", "ENCRYPTION"] as const).map((usage) => ({ usage, serialNumber: card.certificates.find((c) => c.usage === usage)!.serialNumber })),
    );
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: fixture.order.id } })).newCardId).toBe(card.id);

    const issuedEvent = await prisma.auditEvent.findFirstOrThrow({ where: { action: "order.certificates_issued", subjectId: fixture.order.id } });
    expect(issuedEvent.details).toEqual({
      cardId: card.id, signingSerial: result.certificates[0]!.serialNumber, encryptionSerial: result.certificates[1]!.serialNumber,
    });
    await prisma.auditEvent.findFirstOrThrow({ where: { action: "card.recorded", subjectId: card.id } });
    const audit = await prisma.auditEvent.findMany({ where: { subjectId: { in: [card.id, fixture.order.id] } } });
    expect(JSON.stringify(audit, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(
      new RegExp(`林志豪|${fixture.holder.nationalIdLast4}|${number}`),
    );
  });

  it("is not a valid login certificate until activated: login refuses it as not activated", async () => {
    const fixture = await paidOrderWithCertificates();
    const number = cardNumber();
    await record(fixture, number);
    const { body, preLoginToken } = await signedCardLogin({
      key: KeyObject.from(fixture.chip.signing.keys.privateKey), certificateDer: fixture.issued.signing, cardNumber: number,
    });
    // The chain and the signature pass; the CA's record (AWAITING_ACTIVATION) is what refuses.
    await expect(verifyCardLogin({ body, preLoginToken, ip: "203.0.113.77" })).rejects.toMatchObject({ code: "CARD_NOT_ACTIVATED" });
  });

  it("refuses a card number already recorded, leaving the transaction usable and nothing written", async () => {
    const first = await paidOrderWithCertificates();
    const number = cardNumber();
    await record(first, number);
    const second = await paidOrderWithCertificates();

    const outcome = await prisma.$transaction(async (tx) => {
      const error = await recordReplacementCard(tx, { orderId: second.order.id, holderId: second.order.holderId, cardNumber: number, ...second.issued })
        .catch((e: unknown) => e);
      // The caller can go on in the same transaction (e.g. open a support case): no statement failed.
      await tx.auditEvent.create({ data: { actorType: "SYSTEM", action: "test.after_refusal", subjectType: "order", subjectId: second.order.id } });
      return error;
    });
    expect(outcome).toBeInstanceOf(ReplacementCardError);
    expect(outcome).toMatchObject({ code: "CARD_NUMBER_TAKEN" });
    expect((outcome as Error).message).not.toContain(number);
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: second.order.id } })).newCardId).toBeNull();
    expect(await prisma.card.count({ where: { holderId: second.holder.id } })).toBe(1); // only the old card
    expect(await prisma.auditEvent.count({ where: { action: "test.after_refusal", subjectId: second.order.id } })).toBe(1);
  });

  it("refuses a card number recorded concurrently (the insert collides; the caller's transaction rolls back)", async () => {
    const first = await paidOrderWithCertificates();
    const second = await paidOrderWithCertificates();
    const number = cardNumber();
    let firstRecorded!: () => void;
    const recorded = new Promise<void>((resolve) => (firstRecorded = resolve));
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    const firstTx = prisma.$transaction(async (tx) => {
      const result = await recordReplacementCard(tx, { orderId: first.order.id, holderId: first.order.holderId, cardNumber: number, ...first.issued });
      firstRecorded();
      await firstMayCommit; // the card row exists, uncommitted: the second's check cannot see it
      return result;
    }, { timeout: 15_000 });
    await recorded;
    const secondTx = prisma.$transaction((tx) =>
      recordReplacementCard(tx, { orderId: second.order.id, holderId: second.order.holderId, cardNumber: number, ...second.issued }),
    ).catch((e: unknown) => e);
    // Commit the first only once the second's insert is waiting on the first's row.
    const waitingOnLock = () =>
      prisma.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    await expect.poll(async () => (await waitingOnLock())[0]!.n, { timeout: 10_000 }).toBeGreaterThan(0);
    releaseFirst();
    await expect(firstTx).resolves.toHaveProperty("cardId");
    const error = await secondTx;
    expect(error).toEqual(refusal("CARD_NUMBER_TAKEN"));
    expect((error as Error).cause).toMatchObject({ code: "P2002" }); // the insert's collision, not the check
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: second.order.id } })).newCardId).toBeNull();
  });

  it("refuses a key already certified — on this service's cards of any holder", async () => {
    const first = await paidOrderWithCertificates();
    await record(first);
    const second = await createPaidOrderFixture({ holderName: "林志豪" });
    // A chip that repeats the first card's signing key (a new encryption key beside it).
    const reused = { signing: await chipRequest({ keys: first.chip.signing.keys }), encryption: await chipRequest() };
    const issued = await issueFor(second.holder, reused);
    await expect(record({ ...second, issued })).rejects.toEqual(refusal("KEY_ALREADY_CERTIFIED"));

    // The key of a card recorded at login (another holder, issued by the test CA).
    const existing = await issueCard({ nationalId: nationalIdWithCheckDigit("B12345678"), name: "黃怡君", issuedAt: new Date(), extended: false, status: "valid" });
    const existingPrivate = await importPrivateKeyPem(existing.file.encryption.keyPem);
    const existingPublic = await new x509.X509Certificate(existing.file.encryption.certPem).publicKey.export(RSA_SHA256, ["verify"]);
    const third = await createPaidOrderFixture();
    const fromLogin = { signing: await chipRequest(), encryption: await chipRequest({ keys: { publicKey: existingPublic, privateKey: existingPrivate } }) };
    await expect(record({ ...third, issued: await issueFor(third.holder, fromLogin) })).rejects.toEqual(refusal("KEY_ALREADY_CERTIFIED"));
    expect(await prisma.card.count({ where: { holderId: { in: [second.holder.id, third.holder.id] } } })).toBe(2); // their old cards only
  });

  it("refuses certificates that do not name the order's holder (name or ID suffix)", async () => {
    const fixture = await createPaidOrderFixture({ holderName: "王小明" });
    const otherName = await issueFor({ name: "王大明", nationalIdLast4: fixture.holder.nationalIdLast4 }, await chipCard());
    await expect(record({ ...fixture, issued: otherName })).rejects.toEqual(refusal("HOLDER_MISMATCH"));
    const otherSuffix = fixture.holder.nationalIdLast4 === "0000" ? "0001" : "0000";
    const otherId = await issueFor({ name: "王小明", nationalIdLast4: otherSuffix }, await chipCard());
    await expect(record({ ...fixture, issued: otherId })).rejects.toEqual(refusal("HOLDER_MISMATCH"));
    // Either certificate counts: a right signing certificate beside a wrong encryption one is refused too.
    const right = await issueFor(fixture.holder, await chipCard());
    await expect(record({ ...fixture, issued: { signing: right.signing, encryption: otherName.encryption } })).rejects.toEqual(refusal("HOLDER_MISMATCH"));
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: fixture.order.id } })).newCardId).toBeNull();
    // …and the right pair is then accepted for the same order.
    await expect(record({ ...fixture, issued: right })).resolves.toHaveProperty("cardId");
  });

  it("gives an order one new card only", async () => {
    const fixture = await paidOrderWithCertificates();
    await record(fixture);
    await expect(record({ ...fixture, issued: await issueFor(fixture.holder, await chipCard()) })).rejects.toThrow(/already has its new card/);
  });
});
