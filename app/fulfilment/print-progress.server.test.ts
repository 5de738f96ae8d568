// The print hand-off end to end against the demo vendor (answering over msw, as the real vendor would over HTTP),
// with one controlled clock for the service and the vendor.
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { createDemoVendor, type DemoVendor } from "../../scripts/demo-partners/vendor";
import { createPaidOrderFixture } from "../../test/factories/fulfilment";
import { createMswServer } from "../../test/msw/server";
import { vendorHandlers } from "../../test/msw/vendor";
import { assemblePrintBatches, loadBatchSubmission } from "./print-batches.server";
import { claimDueBatch, CLAIM_LEASE_MS } from "./print-lease.server";
import { advancePrintBatches, applyBatchStatus } from "./print-progress.server";
import { createVendorClient } from "./vendor-client.server";
import type { PrintVendor } from "./vendor-protocol";

const VENDOR_URL = "https://print-vendor.test";
const SECRET = "print-vendor-test-secret-0123456789abcdef";
const SECOND = 1000;
/** The vendor is asked again after PRINT_POLL_INTERVAL_SECONDS (120 by default); its steps take 10 s here. */
const POLL = 121 * SECOND;

const server = createMswServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let clock: Date;
let vendor: DemoVendor;
let client: PrintVendor;
let dispatched: string[];

beforeEach(() => {
  clock = new Date("2026-11-20T01:00:00Z"); // a Friday, 09:00 in Taipei
  dispatched = [];
  vendor = createDemoVendor({
    secret: SECRET,
    now: () => clock,
    personaliseAfterMs: 10 * SECOND,
    dispatchAfterMs: 10 * SECOND,
    failChip: (orderNumber) => chipFailures.has(orderNumber),
    onDispatched: ({ mailNumber }) => void dispatched.push(mailNumber),
  });
  chipFailures.clear();
  server.use(...vendorHandlers(vendor, VENDOR_URL));
  client = createVendorClient({ baseUrl: VENDOR_URL, secret: SECRET, now: () => clock });
});
const chipFailures = new Set<string>();

const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));
const run = () => advancePrintBatches({ vendor: client, clock: () => clock });

async function orderState(orderId: string) {
  const order = await prisma.reissueOrder.findUniqueOrThrow({
    where: { id: orderId },
    select: {
      status: true,
      printItem: { select: { status: true, rejectionCode: true } },
      registeredMail: { select: { mailNumber: true, estimatedFrom: true, estimatedTo: true } },
      newCard: { select: { cardNumber: true, certificates: { select: { usage: true, status: true } } } },
      outboxMails: { select: { kind: true } },
    },
  });
  return order;
}

describe("the print hand-off", () => {
  it("takes paid orders through submission, new certificates and dispatch to MAILED, with the mailed e-mail queued", async () => {
    const main = await createPaidOrderFixture();
    const penghu = await createPaidOrderFixture({ application: { postcode: "880", address: "澎湖縣馬公市治平路 1 號" } });
    const [batch] = await assemblePrintBatches({ now: clock, maxSize: 10 });

    expect(await run()).toMatchObject({ submitted: 1 });
    expect((await orderState(main.order.id)).printItem?.status).toBe("SUBMITTED");

    advance(POLL);
    expect(await run()).toMatchObject({ polled: 1 });
    for (const { order } of [main, penghu]) {
      const state = await orderState(order.id);
      expect(state.printItem?.status).toBe("CERTIFICATES_DELIVERED");
      expect(state.newCard?.certificates.map((c) => `${c.usage}:${c.status}`).sort()).toEqual([
        "ENCRYPTION:AWAITING_ACTIVATION",
        "SIGNING:AWAITING_ACTIVATION",
      ]);
    }

    advance(POLL);
    expect(await run()).toMatchObject({ polled: 1, dispatched: 2 });
    const mainState = await orderState(main.order.id);
    const penghuState = await orderState(penghu.order.id);
    expect(mainState).toMatchObject({ status: "MAILED", printItem: { status: "DISPATCHED" }, outboxMails: [{ kind: "MAILED" }] });
    expect(dispatched.sort()).toEqual([mainState.registeredMail!.mailNumber, penghuState.registeredMail!.mailNumber].sort());
    // Dispatched Friday 20 Nov (Taipei): 7 working days → Tue 1 Dec; outlying islands 2–3 more → Thu 3 – Fri 4 Dec.
    expect(mainState.registeredMail).toMatchObject({ estimatedFrom: new Date("2026-12-01"), estimatedTo: new Date("2026-12-01") });
    expect(penghuState.registeredMail).toMatchObject({ estimatedFrom: new Date("2026-12-03"), estimatedTo: new Date("2026-12-04") });
    expect(await prisma.printBatch.findUniqueOrThrow({ where: { id: batch!.id } })).toMatchObject({ status: "COMPLETED" });
    expect(vendor.printCount(main.order.orderNumber)).toBe(1);

    // Nothing is due any more: another run asks the vendor nothing.
    advance(60 * 60 * SECOND);
    expect(await run()).toMatchObject({ submitted: 0, polled: 0 });
  });

  it("prints each card once when a batch is re-sent after a crash between the vendor's acceptance and our record", async () => {
    const orders = [await createPaidOrderFixture(), await createPaidOrderFixture()];
    const [batch] = await assemblePrintBatches({ now: clock, maxSize: 10 });

    // A worker claims the batch, the vendor accepts it … and the process dies before writing anything down.
    const claimed = await claimDueBatch("ASSEMBLED", { clock: () => clock });
    expect(claimed?.id).toBe(batch!.id);
    await client.submitBatch(await loadBatchSubmission(claimed!.id));

    // While the dead worker's lease runs, nobody sends it again; after it, the batch goes out again — same number.
    advance(CLAIM_LEASE_MS - SECOND);
    expect(await run()).toMatchObject({ submitted: 0 });
    advance(2 * SECOND);
    expect(await run()).toMatchObject({ submitted: 1 });
    expect(vendor.submissionCount(batch!.batchNumber)).toBe(2);

    advance(POLL);
    await run();
    advance(POLL);
    await run();
    for (const { order } of orders) {
      expect(vendor.printCount(order.orderNumber)).toBe(1);
      expect((await orderState(order.id)).status).toBe("MAILED");
      expect(await prisma.card.count({ where: { ordersReplacedBy: { some: { id: order.id } } } })).toBe(1);
    }
  });

  it("applies the same vendor reply once when two workers apply it at the same time", async () => {
    const { order } = await createPaidOrderFixture();
    const [batch] = await assemblePrintBatches({ now: clock, maxSize: 10 });
    await run();
    advance(POLL);
    const status = await client.getBatch(batch!.batchNumber);
    const results = await Promise.all([1, 2, 3].map(() => applyBatchStatus(batch!.id, status, { vendor: client, now: clock })));
    expect(results.reduce((sum, r) => sum + r.issued, 0)).toBe(1);
    expect(await prisma.certificate.count({ where: { card: { ordersReplacedBy: { some: { id: order.id } } } } })).toBe(2);
    expect(await prisma.auditEvent.count({ where: { action: "order.certificates_issued", subjectId: order.id } })).toBe(1);
  });

  it("sends a card the vendor rejects to the support queue, once, with the code and no personal data; the rest go on", async () => {
    const rare = await createPaidOrderFixture({ holderName: "王𪜶明" }); // a character outside the BMP: not on the card font
    const chip = await createPaidOrderFixture();
    const fine = await createPaidOrderFixture();
    chipFailures.add(chip.order.orderNumber);
    const [batch] = await assemblePrintBatches({ now: clock, maxSize: 10 });
    await run();
    advance(POLL);
    await run();
    advance(POLL);
    await run(); // the same rejections reported again open nothing new

    const cases = await prisma.supportCase.findMany({ where: { kind: "PRINT_REJECTED" }, orderBy: { reason: "asc" } });
    expect(cases.map((c) => [c.orderId, c.batchId])).toEqual(
      expect.arrayContaining([[rare.order.id, batch!.id], [chip.order.id, batch!.id]]),
    );
    expect(cases).toHaveLength(2);
    expect(cases.some((c) => c.reason.includes("NAME_NOT_PRINTABLE"))).toBe(true);
    expect(cases.some((c) => c.reason.includes("CHIP_FAILURE"))).toBe(true);
    expect(JSON.stringify(cases)).not.toContain("𪜶");
    expect((await orderState(rare.order.id)).printItem).toMatchObject({ status: "REJECTED", rejectionCode: "NAME_NOT_PRINTABLE" });
    expect(await prisma.auditEvent.count({ where: { action: "order.print_rejected", subjectId: rare.order.id } })).toBe(1);

    advance(POLL);
    await run();
    expect((await orderState(fine.order.id)).status).toBe("MAILED");
    expect(await prisma.printBatch.findUniqueOrThrow({ where: { id: batch!.id } })).toMatchObject({ status: "COMPLETED" });
  });

  it("fails a batch the vendor refuses and tells support", async () => {
    const { order } = await createPaidOrderFixture();
    const [batch] = await assemblePrintBatches({ now: clock, maxSize: 10 });
    // Someone else already sent different cards under this number: the vendor answers 409 BATCH_CONFLICT.
    await client.submitBatch({ batchNumber: batch!.batchNumber, cards: [{ orderNumber: "1151120000017", holderName: "陳大文", validFrom: "2026-11-20", validUntil: "2031-11-20" }] });
    expect(await run()).toMatchObject({ failed: 1 });
    expect(await prisma.printBatch.findUniqueOrThrow({ where: { id: batch!.id } })).toMatchObject({ status: "FAILED", lastError: expect.stringContaining("BATCH_CONFLICT") });
    const [supportCase] = await prisma.supportCase.findMany({ where: { kind: "PRINT_VENDOR_ERROR", batchId: batch!.id } });
    expect(supportCase?.reason).toContain("BATCH_CONFLICT");
    expect(vendor.printCount(order.orderNumber)).toBe(0);
  });

  it("retries a vendor that cannot be reached with growing delays, and tells support after 8 attempts", async () => {
    await createPaidOrderFixture();
    const [batch] = await assemblePrintBatches({ now: clock, maxSize: 10 });
    server.use(http.put(`${VENDOR_URL}/v1/batches/:number`, () => HttpResponse.error()));

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      expect(await run()).toMatchObject({ retrying: 1 });
      const row = await prisma.printBatch.findUniqueOrThrow({ where: { id: batch!.id } });
      delays.push((row.nextActionAt.getTime() - clock.getTime()) / SECOND);
      expect(await prisma.supportCase.count({ where: { batchId: batch!.id } })).toBe(attempt < 8 ? 0 : 1);
      clock = row.nextActionAt;
    }
    expect(delays).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600]);
    expect(await prisma.printBatch.findUniqueOrThrow({ where: { id: batch!.id } })).toMatchObject({ status: "ASSEMBLED", submitAttempts: 8 });
  });
});
