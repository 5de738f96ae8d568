import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { createTestIssuer, issueCardCertificate, type TestIssuer } from "../../test/factories/certificates";
import { nationalIdWithCheckDigit } from "../../test/factories/national-ids";
import { describeCertificate, expireLapsedCertificates, recordCard } from "./certificates.server";
import { nationalIdHash } from "./national-id.server";

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});

async function cardCertificates(name: string, idLast4: string, notAfter: Date, status: "VALID" | "REVOKED" = "VALID") {
  const notBefore = new Date(notAfter.getTime() - 5 * 365 * 24 * 3600 * 1000);
  return Promise.all(
    (["SIGNING", "ENCRYPTION"] as const).map(async (usage) => ({
      der: (await issueCardCertificate({ issuer, name, idLast4, usage, notBefore, notAfter })).der,
      usage,
      status,
    })),
  );
}

describe("describeCertificate", () => {
  it("reads serial, names and validity from DER", async () => {
    const notAfter = new Date("2030-05-01T00:00:00Z");
    const [signing] = await cardCertificates("王小明", "6789", notAfter);
    const facts = describeCertificate(signing!.der);
    expect(facts).toMatchObject({ commonName: "王小明", subjectIdLast4: "6789", notAfter });
    expect(facts.issuerDn).toContain("內政部憑證管理中心");
    expect(facts.serialNumber).toMatch(/^[0-9a-f]+$/);
  });

  it("refuses bytes that are not a certificate", () => {
    expect(() => describeCertificate(new Uint8Array([0x30, 0x03, 0x02, 0x01]))).toThrow();
  });
});

describe("recordCard", () => {
  it("stores the holder by keyed hash and last 4 digits only, with both certificates", async () => {
    const certificates = await cardCertificates("陳美玲", "6789", new Date("2031-01-01T00:00:00Z"));
    const { holder, card } = await recordCard({
      holder: { nationalId: "a123456789", name: "陳美玲" }, cardNumber: "tp03120111098939", certificates,
    });
    expect(card.cardNumber).toBe("TP03120111098939");
    expect(holder.nationalIdHash).toBe(nationalIdHash("A123456789"));
    expect(holder.nationalIdLast4).toBe("6789");
    const stored = await prisma.holder.findUniqueOrThrow({ where: { id: holder.id } });
    expect(JSON.stringify(stored)).not.toContain("123456789");
    expect(card.certificates.map((c) => c.usage).sort()).toEqual(["ENCRYPTION", "SIGNING"]);
    const audit = await prisma.auditEvent.findFirst({ where: { action: "card.recorded", subjectId: card.id } });
    expect(audit).not.toBeNull();
  });

  it("refuses certificates that name someone else, and records nothing", async () => {
    const certificates = await cardCertificates("林志豪", "0000", new Date("2031-01-01T00:00:00Z"));
    await expect(
      recordCard({ holder: { nationalId: "A123456789", name: "林志豪" }, cardNumber: "TP00000000000077", certificates }),
    ).rejects.toThrow(/does not name this holder/);
    expect(await prisma.card.count({ where: { cardNumber: "TP00000000000077" } })).toBe(0);
  });

  it("refuses an invalid ID number or card number", async () => {
    const certificates = await cardCertificates("林志豪", "6788", new Date("2031-01-01T00:00:00Z"));
    await expect(
      recordCard({ holder: { nationalId: "A123456788", name: "林志豪" }, cardNumber: "TP00000000000078", certificates }),
    ).rejects.toThrow(/檢查碼/);
    await expect(
      recordCard({ holder: { nationalId: "A123456789", name: "林志豪" }, cardNumber: "TP123", certificates }),
    ).rejects.toThrow(/14/);
  });
});

describe("expireLapsedCertificates", () => {
  it("expires valid certificates past their end, and only those", async () => {
    const now = new Date("2030-06-01T00:00:00Z");
    const holder = { nationalId: nationalIdWithCheckDigit("B12000123"), name: "張淑芬" };
    const last4 = holder.nationalId.slice(-4);
    const record = async (cardNumber: string, notAfter: string, status?: "REVOKED") =>
      (await recordCard({ holder, cardNumber, certificates: await cardCertificates("張淑芬", last4, new Date(notAfter), status) })).card.id;
    const lapsed = await record("TP00000000000101", "2030-05-31T23:59:59Z");
    const current = await record("TP00000000000102", "2030-06-02T00:00:00Z");
    const revoked = await record("TP00000000000103", "2030-05-01T00:00:00Z", "REVOKED");

    expect(await expireLapsedCertificates({ now })).toBe(2);
    const statuses = async (cardId: string) =>
      (await prisma.certificate.findMany({ where: { cardId } })).map((x) => x.status);
    expect(await statuses(lapsed)).toEqual(["EXPIRED", "EXPIRED"]);
    expect(await statuses(current)).toEqual(["VALID", "VALID"]);
    expect(await statuses(revoked)).toEqual(["REVOKED", "REVOKED"]);
    expect(await prisma.auditEvent.count({ where: { action: "certificate.expired_lapsed" } })).toBe(1);
    expect(await expireLapsedCertificates({ now })).toBe(0);
  });
});
