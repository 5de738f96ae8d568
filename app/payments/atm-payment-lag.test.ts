// Decision 011 for ATM transfers (pretix #827): a transfer the bank dated by the deadline pays its order however
// late its notice, because erasure waits until the bank file for the day the payment window closed has been
// imported (or ATM_REPORTING_MAX_HOURS have passed). The holder still sees the 48-hour deadline.
import { describe, expect, it, vi } from "vitest";

const BANK_SECRET = vi.hoisted(() => {
  // why: env() is read once per module graph; the secret must be in place before the modules load.
  process.env.BANK_CALLBACK_SECRET = "bank-callback-lag-test-secret-0123456789abcdef";
  return process.env.BANK_CALLBACK_SECRET;
});

import { approveBankImport } from "~/finance/bank-file-approval.server";
import { importBankFile as importBankFileAsSent } from "~/finance/bank-file.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { deleteUnpaidOrder, sweepUnpaidOrders } from "~/orders/deletion.server";
import { loadOrderStatus } from "~/orders/order-status.server";
import { lastBankDayReported } from "~/orders/payment-reports.server";
import { signBankFileForTest } from "../../test/factories/finance";
import { createOrderFixture } from "../../test/factories/orders";
import { createStaffActor } from "../../test/factories/support";
import { handleBankCallback, signBankCallback } from "./bank-callback.server";
import { closeUnpaidOrder } from "./checkout-expiry.server";

/** The bank's daily file as the bank sends it: signed, so it is applied (and reports its day) at import. */
const importBankFile = (input: Omit<Parameters<typeof importBankFileAsSent>[0], "signature">) =>
  importBankFileAsSent({ ...input, signature: signBankFileForTest(input.content) });

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const taipei = (text: string) => new Date(`${text}+08:00`);
/** A bank timestamp with the Taipei offset, as the bank writes it. */
const iso = (date: Date) => new Date(date.getTime() + 8 * HOUR).toISOString().replace("Z", "+08:00").replace(".000", "");

async function orderDueAt(deadline: Date) {
  const { order } = await createOrderFixture({ createdAt: new Date(deadline.getTime() - 48 * HOUR), paymentDeadline: deadline });
  return order;
}

function bankFile(lines: Array<{ paidAt: Date; virtualAccount: string; amount?: number; txn: string }>) {
  const rows = lines.map((l) => `${iso(l.paidAt)},822,${l.virtualAccount},${l.amount ?? 228},${l.txn}`);
  return new TextEncoder().encode(["paid_at,bank_code,virtual_account,amount,bank_txn_id", ...rows, ""].join("\n"));
}

async function state(orderId: string) {
  return prisma.reissueOrder.findUniqueOrThrow({
    where: { id: orderId },
    include: { payments: true, outboxMails: true, financeExceptions: true, application: true },
  });
}

const deletions = (orderId: string) => prisma.auditEvent.count({ where: { action: "order.deleted_unpaid", subjectId: orderId } });

// The tests run in order and each uses a later bank day than the one before: a file reports its day and all before.
describe("ATM transfers are decided by the bank's time, not by the lag of its report (decision 011)", () => {
  it("pays an order by a transfer dated 23:59 on the deadline day that only the next morning's file reports", async () => {
    const deadline = taipei("2027-03-10T23:59:30");
    const order = await orderDueAt(deadline);
    const unpaid = await orderDueAt(taipei("2027-03-10T16:00:00"));

    // The deletion job at the deadline and the sweeper through the night leave both orders: the day's file is not in.
    expect(await closeUnpaidOrder({ orderId: order.id, now: deadline })).toMatchObject({ result: "waiting" });
    expect(await sweepUnpaidOrders({ now: taipei("2027-03-11T07:50:00") })).toMatchObject({ deleted: 0 });
    expect(await lastBankDayReported(prisma)).toBeNull();

    const imported = await importBankFile({
      fileName: "20270310.csv",
      content: bankFile([{ paidAt: taipei("2027-03-10T23:59:00"), virtualAccount: order.virtualAccount, txn: "20270310822000999" }]),
      importedBy: "finance:test",
      receivedAt: taipei("2027-03-11T08:00:00"),
    });
    expect(imported).toMatchObject({ ok: true, summary: { appliedPayments: 1, exceptions: 0 } });
    const paid = await state(order.id);
    expect(paid).toMatchObject({ status: "PAID", paidAt: taipei("2027-03-10T23:59:00"), financeExceptions: [] });
    expect(paid.payments).toMatchObject([{ method: "ATM", outcome: "APPLIED" }]);
    expect(paid.outboxMails).toMatchObject([{ kind: "PAID" }]);
    expect(await deletions(order.id)).toBe(0);

    // The file reports the whole day: the order nobody paid is erased as soon as the sweeper runs.
    expect(await lastBankDayReported(prisma)).toBe("2027-03-10");
    expect(await sweepUnpaidOrders({ now: taipei("2027-03-11T08:10:00") })).toMatchObject({ deleted: 1 });
    expect(await state(unpaid.id)).toMatchObject({ status: "DELETED_UNPAID", application: null });
  });

  it("lists a transfer dated 1 s after the deadline as a late payment for refund, as before", async () => {
    const deadline = taipei("2027-03-20T15:00:00");
    const order = await orderDueAt(deadline);
    const imported = await importBankFile({
      fileName: "20270320.csv",
      content: bankFile([{ paidAt: new Date(deadline.getTime() + SECOND), virtualAccount: order.virtualAccount, txn: "20270320822000001" }]),
      importedBy: "finance:test",
      receivedAt: taipei("2027-03-21T08:00:00"),
    });
    expect(imported).toMatchObject({ ok: true, summary: { appliedPayments: 0, exceptions: 1, exceptionsByKind: { LATE_PAYMENT: 1 } } });
    const after = await state(order.id);
    expect(after.status).not.toBe("PAID");
    expect(after.financeExceptions).toMatchObject([{ kind: "LATE_PAYMENT", method: "ATM", amountNtd: 228 }]);
    expect(await sweepUnpaidOrders({ now: taipei("2027-03-21T08:10:00") })).toMatchObject({ deleted: 1 });
    expect(await state(order.id)).toMatchObject({ status: "DELETED_UNPAID", application: null });
  });

  it("pays by a callback that arrives 1 minute, or 20 hours, after an on-time transfer", async () => {
    for (const [noticeAfter, n] of [[MINUTE, 1], [20 * HOUR, 2]] as const) {
      const deadline = taipei(`2027-04-0${n}T11:00:00`);
      const order = await orderDueAt(deadline);
      expect((await closeUnpaidOrder({ orderId: order.id, now: deadline })).result).toBe("waiting");
      const now = new Date(deadline.getTime() + noticeAfter);
      const rawBody = JSON.stringify({
        bank_txn_id: `2027040${n}822000123`, bank_code: "822", virtual_account: order.virtualAccount, amount: 228,
        paid_at: iso(new Date(deadline.getTime() - SECOND)),
      });
      const signatureHeader = signBankCallback(rawBody, BANK_SECRET, Math.floor(now.getTime() / 1000));
      expect(await handleBankCallback({ rawBody, signatureHeader, now })).toEqual({ status: "accepted", outcome: "APPLIED" });
      expect(await state(order.id)).toMatchObject({ status: "PAID", financeExceptions: [] });
      expect(await deletions(order.id)).toBe(0);
    }
  });

  it("keeps showing the holder the 48-hour deadline while erasure waits, and no way left to pay", async () => {
    const deadline = taipei("2027-04-10T09:30:00");
    const order = await orderDueAt(deadline);
    const now = new Date(deadline.getTime() + MINUTE);
    expect((await closeUnpaidOrder({ orderId: order.id, now })).result).toBe("waiting");
    const view = await loadOrderStatus({ holderId: order.holderId, orderNumber: order.orderNumber, now });
    expect(view).toMatchObject({ status: "AWAITING_PAYMENT", secondsRemaining: 0, atm: null, card: { available: false } });
    expect(Date.parse(view!.paymentDeadline) - Date.parse(view!.createdAt)).toBe(48 * HOUR);
    expect(view!.paymentDeadline).toBe(deadline.toISOString());
  });

  it("does not take an intraday file or an earlier day's file for the day's report; the bounded wait ends without one", async () => {
    // Orders the tests above left waiting have passed their own bound by then: out of this test's counts.
    await sweepUnpaidOrders({ now: taipei("2027-04-30T00:00:00") });
    const deadline = taipei("2027-05-01T10:00:00");
    const order = await orderDueAt(deadline);
    const file = (name: string, paidAt: Date, receivedAt: Date) =>
      importBankFile({ fileName: name, content: bankFile([{ paidAt, virtualAccount: "95280000000000", txn: name }]), importedBy: "finance:test", receivedAt });
    // The day before, imported the next morning: reports 04-30 only.
    expect(await file("20270430.csv", taipei("2027-04-30T22:00:00"), taipei("2027-05-01T08:00:00"))).toMatchObject({ ok: true });
    // A file cut during the deadline day itself: that day is not over, so it still reports only 04-30.
    expect(await file("20270501-noon.csv", taipei("2027-05-01T11:30:00"), taipei("2027-05-01T12:00:00"))).toMatchObject({ ok: true });
    expect(await lastBankDayReported(prisma)).toBe("2027-04-30");
    expect(await deleteUnpaidOrder({ orderId: order.id, now: taipei("2027-05-01T13:00:00") })).toBe("waiting");

    expect(env().ATM_REPORTING_MAX_HOURS).toBe(72);
    const bound = new Date(deadline.getTime() + 72 * HOUR);
    expect(await sweepUnpaidOrders({ now: new Date(bound.getTime() - SECOND) })).toMatchObject({ deleted: 0 });
    expect(await sweepUnpaidOrders({ now: bound })).toMatchObject({ deleted: 1 });
    expect(await state(order.id)).toMatchObject({ status: "DELETED_UNPAID", application: null });
  });
  it("counts an unsigned file's day only once a second FINANCE member has approved it (issue 13)", async () => {
    await sweepUnpaidOrders({ now: taipei("2027-06-01T00:00:00") });
    const deadline = taipei("2027-06-10T15:00:00");
    const order = await orderDueAt(deadline);
    const content = bankFile([{ paidAt: taipei("2027-06-10T23:59:00"), virtualAccount: "95280000000000", txn: "20270610822000777" }]);
    const parked = await importBankFileAsSent({ fileName: "20270610.csv", content, importedBy: "finance:test", receivedAt: taipei("2027-06-11T08:00:00") });
    expect(parked).toMatchObject({ ok: true, summary: { status: "AWAITING_APPROVAL" } });
    // Its transfers may still pay this order once approved: the order is not erased while it waits.
    expect(await lastBankDayReported(prisma)).not.toBe("2027-06-10");
    expect(await deleteUnpaidOrder({ orderId: order.id, now: taipei("2027-06-11T09:00:00") })).toBe("waiting");

    const approver = await createStaffActor(["FINANCE"]);
    if (!parked.ok) throw new Error("parked import expected");
    await approveBankImport({ staff: approver, importId: parked.summary.importId, reason: "checked against the bank's portal", now: taipei("2027-06-11T10:00:00") });
    expect(await lastBankDayReported(prisma)).toBe("2027-06-10");
    expect(await deleteUnpaidOrder({ orderId: order.id, now: taipei("2027-06-11T10:01:00") })).toBe("deleted");
  });
});
