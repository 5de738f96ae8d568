import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { x509 } from "~/lib/x509.server";
import { nationalIdWithCheckDigit } from "../../test/factories/national-ids";
import { issueCard, randomCardNumber } from "./issue-card.server";
import { nationalIdHash } from "./national-id.server";
import { loadTestCa } from "./test-ca.server";

const YEAR = 365 * 24 * 3600 * 1000;
const statuses = async (cardId: string) =>
  (await prisma.certificate.findMany({ where: { cardId }, orderBy: { usage: "asc" } })).map((c) => [c.usage, c.status]);

describe("issueCard", () => {
  it("records holder, card and both certificates, and returns the matching card file", async () => {
    const nationalId = nationalIdWithCheckDigit("A10000001");
    const issuedAt = new Date(Date.now() - YEAR);
    const card = await issueCard({ nationalId, name: "王小明", issuedAt, extended: false, status: "valid" });

    expect(card.file.cardNumber).toMatch(/^TP\d{14}$/);
    expect(card.file.pin).toBe("123456");
    const row = await prisma.card.findUniqueOrThrow({
      where: { cardNumber: card.file.cardNumber }, include: { holder: true, certificates: true },
    });
    expect(row.id).toBe(card.cardId);
    expect(row.holder).toMatchObject({ nationalIdHash: nationalIdHash(nationalId), nationalIdLast4: nationalId.slice(-4), name: "王小明" });
    expect(await statuses(row.id)).toEqual([["SIGNING", "VALID"], ["ENCRYPTION", "VALID"]]);
    for (const usage of ["SIGNING", "ENCRYPTION"] as const) {
      const stored = row.certificates.find((c) => c.usage === usage)!;
      const inFile = new x509.X509Certificate((usage === "SIGNING" ? card.file.signing : card.file.encryption).certPem);
      expect(Buffer.from(stored.der).equals(Buffer.from(inFile.rawData))).toBe(true);
      expect(stored).toMatchObject({ extended: false, serialNumber: inFile.serialNumber.toLowerCase() });
      expect(stored.notAfter.getTime() - stored.notBefore.getTime()).toBeGreaterThanOrEqual(5 * YEAR);
    }
    expect(card.certificates.map((c) => c.usage).sort()).toEqual(["ENCRYPTION", "SIGNING"]);
  });

  it("records suspended and revoked as asked, and a valid certificate past its 8-year end as expired", async () => {
    const holder = { nationalId: nationalIdWithCheckDigit("B20000002"), name: "陳美玲" };
    const now = new Date("2026-06-01T00:00:00Z");
    const lapsed = new Date("2018-05-31T00:00:00Z"); // 8-year end 2026-05-31, the day before `now`
    const issue = (status: "valid" | "suspended" | "revoked", issuedAt: Date) =>
      issueCard({ ...holder, issuedAt, extended: true, status }, { now });

    const expired = await issue("valid", lapsed);
    expect(await statuses(expired.cardId)).toEqual([["SIGNING", "EXPIRED"], ["ENCRYPTION", "EXPIRED"]]);
    expect(expired.certificates[0]!.notAfter.toISOString()).toBe("2026-05-31T00:00:00.000Z");
    const row = await prisma.certificate.findFirstOrThrow({ where: { cardId: expired.cardId } });
    expect(row.extended).toBe(true);

    const current = await issue("valid", new Date("2018-06-02T00:00:00Z"));
    expect(await statuses(current.cardId)).toEqual([["SIGNING", "VALID"], ["ENCRYPTION", "VALID"]]);
    expect(await statuses((await issue("suspended", lapsed)).cardId)).toEqual([["SIGNING", "SUSPENDED"], ["ENCRYPTION", "SUSPENDED"]]);
    expect(await statuses((await issue("revoked", lapsed)).cardId)).toEqual([["SIGNING", "REVOKED"], ["ENCRYPTION", "REVOKED"]]);
    // One holder, four cards (found by the keyed ID hash each time).
    const holderRow = await prisma.holder.findUniqueOrThrow({
      where: { nationalIdHash: nationalIdHash(holder.nationalId) }, include: { cards: true },
    });
    expect(holderRow.cards).toHaveLength(4);
  });

  it("uses a given card number and PIN, and refuses a card number already recorded", async () => {
    const o = { nationalId: nationalIdWithCheckDigit("F10000003"), name: "林志豪", issuedAt: new Date(), extended: false, status: "valid" as const };
    const card = await issueCard({ ...o, cardNumber: "tp00000000000301", pin: "87654321" });
    expect(card.file).toMatchObject({ cardNumber: "TP00000000000301", pin: "87654321" });
    await expect(issueCard({ ...o, cardNumber: "TP00000000000301" })).rejects.toThrow(/TP00000000000301 is already recorded/);
    expect(await prisma.card.count({ where: { holder: { nationalIdHash: nationalIdHash(o.nationalId) } } })).toBe(1);
  });

  it("draws another card number when a generated one is taken", async () => {
    const o = { nationalId: nationalIdWithCheckDigit("H20000004"), name: "張淑芬", issuedAt: new Date(), extended: false, status: "valid" as const };
    await issueCard({ ...o, cardNumber: "TP00000000000401" });
    const drawn = ["TP00000000000401", "TP00000000000402"];
    const card = await issueCard(o, { newCardNumber: () => drawn.shift()! });
    expect(card.file.cardNumber).toBe("TP00000000000402");
    expect(drawn).toEqual([]);
  });

  it("refuses an ID with a wrong check digit or a bad PIN before issuing anything", async () => {
    const o = { name: "李建宏", issuedAt: new Date(), extended: false, status: "valid" as const };
    const before = await prisma.certificate.count();
    await expect(issueCard({ ...o, nationalId: "A123456788" })).rejects.toThrow(/檢查碼/);
    await expect(issueCard({ ...o, nationalId: "A123456789", pin: "123" })).rejects.toThrow(/6–8/);
    expect(await prisma.certificate.count()).toBe(before);
  });

  it("generates card numbers of two letters and 14 digits", () => {
    const numbers = Array.from({ length: 50 }, randomCardNumber);
    expect(numbers.every((n) => /^TP\d{14}$/.test(n))).toBe(true);
    expect(new Set(numbers).size).toBe(50);
  });

  it("issues with the CA it is given", async () => {
    const ca = await loadTestCa();
    const card = await issueCard(
      { nationalId: nationalIdWithCheckDigit("E10000005"), name: "吳家豪", issuedAt: new Date(), extended: false, status: "valid" },
      { ca },
    );
    expect(await new x509.X509Certificate(card.file.signing.certPem).verify({ publicKey: ca.issuing, signatureOnly: true })).toBe(true);
  });
});
