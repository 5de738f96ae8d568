// The support desk's search: each key finds the right order (and only it), every look-up is audited by kind and
// count without what was typed, the ID is shown masked, and every query the search runs can use an index.
import { describe, expect, it } from "vitest";
import { maskNationalId } from "~/cards/national-id";
import { prisma } from "~/lib/db.server";
import { formatOrderNumber, newOrderNumber } from "~/orders/order-number";
import { createAwaitingActivationFixture } from "../../test/factories/activation";
import { createOrderFixture } from "../../test/factories/orders";
import { createStaffActor } from "../../test/factories/support";
import { formatMailNumber } from "~/fulfilment/post-tracking-link";
import { findOrderByMailNumber, searchOrders } from "./search.server";

const lookups = (staffId: string) =>
  prisma.auditEvent.findMany({ where: { action: "support.looked_up", actorId: staffId }, orderBy: { id: "asc" } });

describe("searchOrders", () => {
  it("finds the order by mail number, order number, old card, new card and national ID, auditing each", async () => {
    const staff = await createStaffActor(["SUPPORT"]);
    const f = await createAwaitingActivationFixture();
    await createAwaitingActivationFixture(); // another holder's order, never in the answers
    const oldCard = await prisma.card.findUniqueOrThrow({ where: { id: f.oldCardId } });
    const queries = {
      mail_number: formatMailNumber(f.registeredMail.mailNumber),
      order_number: formatOrderNumber(f.order.orderNumber),
      card_number: oldCard.cardNumber.toLowerCase(),
      new_card: f.cardNumber,
      national_id: f.nationalId.toLowerCase(),
    };
    for (const [label, query] of Object.entries(queries)) {
      const result = await searchOrders({ staff, query, requestId: `req-${label}` });
      expect(result.matches.map((m) => m.orderNumber), label).toEqual([f.order.orderNumber]);
      expect(result.by).toBe(label === "new_card" ? "card_number" : label);
    }
    const events = await lookups(staff.id);
    expect(events.map((e) => e.details)).toEqual([
      { by: "mail_number", count: 1 }, { by: "order_number", count: 1 }, { by: "card_number", count: 1 },
      { by: "card_number", count: 1 }, { by: "national_id", count: 1 },
    ]);
    expect(events.every((e) => e.subjectType === "order" && e.subjectId === f.order.id && e.actorType === "STAFF")).toBe(true);
    expect(events.map((e) => e.requestId)).toEqual(Object.keys(queries).map((label) => `req-${label}`));
    // Nothing typed reaches the audit trail.
    const written = JSON.stringify(events.map(({ id, ...rest }) => rest));
    for (const typed of [f.registeredMail.mailNumber, f.cardNumber, oldCard.cardNumber, f.nationalId, f.nationalId.slice(0, 6)]) {
      expect(written).not.toContain(typed);
    }
  });

  it("lists all of a holder's orders by national ID, newest first, with the typed ID masked", async () => {
    const staff = await createStaffActor(["SUPPORT"]);
    const f = await createAwaitingActivationFixture();
    const older = await createOrderFixture({
      status: "DELETED_UNPAID", createdAt: new Date(Date.now() - 30 * 86_400_000), appliedWith: { holderId: f.holder.id, cardId: f.oldCardId },
    });
    const result = await searchOrders({ staff, query: f.nationalId });
    expect(result.matches.map((m) => m.orderNumber)).toEqual([f.order.orderNumber, older.order.orderNumber]);
    expect(result.maskedIdHint).toBe(maskNationalId(f.nationalId));
    expect(result.matches[0]).toMatchObject({ holderName: "王小明", nationalIdMasked: `${f.nationalId.slice(0, 6)}****`, status: "MAILED" });
    // By another key the page shows only the last 4 digits the database keeps.
    const byOrder = await searchOrders({ staff, query: f.order.orderNumber });
    expect(byOrder.matches[0]!.nationalIdMasked).toBe(`******${f.nationalId.slice(-4)}`);
    expect(byOrder.maskedIdHint).toBeNull();
    expect((await lookups(staff.id)).map((e) => [e.details, e.subjectId])).toEqual([
      [{ by: "national_id", count: 2 }, null],
      [{ by: "order_number", count: 1 }, f.order.id],
    ]);
  });

  it("finds nothing for unknown keys and audits that too; refuses what is no key at all", async () => {
    const staff = await createStaffActor(["SUPPORT"]);
    for (const query of ["12345678901234567890", "TP99999999999999", "A123456789", formatOrderNumber(newOrderNumber(new Date(), () => 0.999))]) {
      expect((await searchOrders({ staff, query })).matches).toEqual([]);
    }
    expect((await lookups(staff.id)).map((e) => e.details)).toEqual([
      { by: "mail_number", count: 0 }, { by: "card_number", count: 0 }, { by: "national_id", count: 0 }, { by: "order_number", count: 0 },
    ]);
    await expect(searchOrders({ staff, query: "A123456788" })).rejects.toMatchObject({ code: "QUERY_FORMAT" });
    await expect(searchOrders({ staff, query: "hello" })).rejects.toMatchObject({ code: "QUERY_FORMAT" });
    expect(await lookups(staff.id)).toHaveLength(4);
  });

  it("is for the support desk only", async () => {
    for (const roles of [["FINANCE"], ["REGISTRAR"], ["ADMIN"], []] as const) {
      const staff = await createStaffActor([...roles]);
      await expect(searchOrders({ staff, query: "12345678901234567890" })).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
      expect(await lookups(staff.id)).toEqual([]);
    }
  });
});

describe("findOrderByMailNumber", () => {
  it("answers the order number of a letter, or null, without an audit event", async () => {
    const f = await createAwaitingActivationFixture();
    const before = await prisma.auditEvent.count();
    expect(await findOrderByMailNumber(f.registeredMail.mailNumber)).toEqual({ orderNumber: f.order.orderNumber });
    expect(await findOrderByMailNumber("00000000000000000000")).toBeNull();
    expect(await prisma.auditEvent.count()).toBe(before);
  });
});

describe("every look-up uses an index", () => {
  // With sequential scans priced out, PostgreSQL still picks one when no index serves the condition: a "Seq Scan"
  // in the plan means a query that would read the whole table at a million orders.
  const uuid = "00000000-0000-7000-8000-000000000000";
  const statements = {
    mailNumber: `SELECT o.order_number FROM registered_mail m JOIN reissue_order o ON o.id = m.order_id WHERE m.mail_number = '1'`,
    orderNumber: `SELECT * FROM reissue_order WHERE order_number = '1'`,
    card: `SELECT * FROM card WHERE card_number = 'TP1'`,
    newCard: `SELECT * FROM reissue_order WHERE new_card_id = '${uuid}'`,
    oldCard: `SELECT * FROM reissue_order WHERE holder_id = '${uuid}' AND applied_with_card_id = '${uuid}' ORDER BY created_at DESC LIMIT 20`,
    printItemCard: `SELECT * FROM print_item WHERE card_number = 'TP1'`,
    holder: `SELECT * FROM holder WHERE national_id_hash = '${"0".repeat(64)}'`,
    holderOrders: `SELECT * FROM reissue_order WHERE holder_id = '${uuid}' ORDER BY created_at DESC LIMIT 20`,
    orderAudit: `SELECT * FROM audit_event WHERE subject_type = 'order' AND subject_id = '${uuid}' ORDER BY occurred_at DESC LIMIT 200`,
    notes: `SELECT * FROM support_note WHERE order_id = '${uuid}' ORDER BY created_at DESC LIMIT 50`,
    cases: `SELECT * FROM support_case WHERE order_id = '${uuid}'`,
  };
  it.each(Object.entries(statements))("%s", async (_, sql) => {
    const plan = await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      return tx.$queryRawUnsafe<Array<{ "QUERY PLAN": string }>>(`EXPLAIN ${sql}`);
    });
    const text = plan.map((row) => row["QUERY PLAN"]).join("\n");
    expect(text).not.toMatch(/Seq Scan/);
    expect(text).toMatch(/Index/);
  });
});
