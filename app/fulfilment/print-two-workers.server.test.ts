// Two worker processes on the same print batches (decision 014): each worker here has its own Prisma client and
// pg pool (a second copy of the domain modules), the vendor is the demo vendor over msw, and every request that
// reaches it is counted — a batch handed over twice or a card's certificates delivered twice shows in the counts.
import { http } from "msw";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/lib/db.server";
import { createDemoVendor, type DemoVendor } from "../../scripts/demo-partners/vendor";
import { createPaidOrderFixture } from "../../test/factories/fulfilment";
import { createMswServer } from "../../test/msw/server";
import { loadIssuingCa, type IssuingCa } from "./issuing-ca.server";
import { assemblePrintBatches } from "./print-batches.server";
import { CLAIM_LEASE_MS } from "./print-lease.server";
import { advancePrintBatches, applyBatchStatus } from "./print-progress.server";
import { createVendorClient } from "./vendor-client.server";
import type { PrintVendor } from "./vendor-protocol";

const VENDOR_URL = "https://print-vendor.test";
const SECRET = "print-vendor-test-secret-0123456789abcdef";
const SECOND = 1000;
const POLL = 121 * SECOND;

/**
 * The second worker: the domain modules loaded again, so it has its own Prisma client (db.server keeps its client
 * on globalThis across dev reloads; it is set aside while the copy creates its own, then put back).
 */
async function loadSecondWorker() {
  const holder = globalThis as { prisma?: unknown };
  const first = holder.prisma;
  delete holder.prisma;
  vi.resetModules();
  try {
    const progress = await import("./print-progress.server");
    const db = await import("~/lib/db.server");
    return { advancePrintBatches: progress.advancePrintBatches, applyBatchStatus: progress.applyBatchStatus, prisma: db.prisma };
  } finally {
    holder.prisma = first;
  }
}

const server = createMswServer();
let second: Awaited<ReturnType<typeof loadSecondWorker>>;
beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  second = await loadSecondWorker();
});
afterEach(() => server.resetHandlers());
afterAll(async () => {
  server.close();
  await second.prisma.$disconnect();
});

let clock: Date;
let vendor: DemoVendor;
let client: PrintVendor;
/** Requests that reached the vendor: batch submissions by batch number, certificate deliveries by order number. */
let submissions: Map<string, number>;
let deliveries: Map<string, number>;
/** Runs around each vendor request: before it reaches the vendor, and after the vendor answered. */
let hooks: { before?: (path: string) => Promise<void>; after?: (path: string) => Promise<void> };

const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

beforeEach(async () => {
  // An earlier test's open batches were sent to that test's vendor, which is gone.
  await prisma.printBatch.updateMany({ where: { status: { in: ["ASSEMBLED", "SUBMITTED"] } }, data: { status: "FAILED" } });
  clock = new Date("2026-11-20T01:00:00Z");
  submissions = new Map();
  deliveries = new Map();
  hooks = {};
  vendor = createDemoVendor({ secret: SECRET, now: () => clock, personaliseAfterMs: 10 * SECOND, dispatchAfterMs: 10 * SECOND });
  server.use(
    http.all(`${VENDOR_URL}/*`, async ({ request }) => {
      const path = new URL(request.url).pathname;
      await hooks.before?.(path);
      const delivery = /\/cards\/([^/]+)\/certificates$/.exec(path);
      if (request.method === "PUT" && delivery) bump(deliveries, decodeURIComponent(delivery[1]!));
      else if (request.method === "PUT") bump(submissions, decodeURIComponent(path.split("/").pop()!));
      const response = await vendor.handle(request);
      await hooks.after?.(path);
      return response;
    }),
  );
  client = createVendorClient({ baseUrl: VENDOR_URL, secret: SECRET, now: () => clock });
});

/** A gate a request waits at until opened; `reached` resolves when the first request arrives. */
function gate() {
  let open!: () => void;
  let reached!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  return { open, arrived, wait: () => (reached(), opened) };
}

async function certificatesOf(orderId: string) {
  return prisma.certificate.count({ where: { card: { ordersReplacedBy: { some: { id: orderId } } } } });
}

/** Waits (at most 2 s) for `check`; the assertions after it say what went wrong if it never holds. */
async function waitUntil(check: () => Promise<boolean>) {
  for (let i = 0; i < 80 && !(await check()); i++) await sleep(25);
}

describe("two workers on the same print batches", () => {
  it("hands each batch to the vendor once and gives each card one pair of certificates, delivered once, when both work at once", async () => {
    const orders: Array<{ id: string; orderNumber: string }> = [];
    for (let i = 0; i < 4; i++) orders.push((await createPaidOrderFixture()).order);
    const batches = await assemblePrintBatches({ now: clock, maxSize: 2 });
    expect(batches).toHaveLength(2);
    // A slow vendor: every answer arrives 10 s after the question (the claims' clock must be read after it).
    hooks.after = async () => {
      advance(10 * SECOND);
      await sleep(2);
    };

    const mailed = async () => (await prisma.reissueOrder.count({ where: { id: { in: orders.map((o) => o.id) }, status: "MAILED" } })) === orders.length;
    const lost = { first: 0, second: 0 };
    const running = { first: false, second: false };
    const work = async (which: "first" | "second") => {
      const run = which === "first" ? advancePrintBatches : second.advancePrintBatches;
      for (let round = 0; round < 400 && !(await mailed()); round++) {
        running[which] = true;
        const counts = await run({ vendor: client, clock: () => clock, renewEveryMs: 20 });
        running[which] = false;
        lost[which] += counts.leaseLost;
        // The scheduler's next run, 15 s later when there was nothing to do. Only while the other worker is not
        // in a run: simulated time must not race ahead of the real-time heartbeat of a worker that is working.
        if (counts.submitted + counts.polled + counts.retrying + counts.failed === 0) {
          if (!running[which === "first" ? "second" : "first"]) advance(15 * SECOND);
          await sleep(25);
        }
      }
    };
    await Promise.all([work("first"), work("second")]);

    expect(await mailed()).toBe(true);
    for (const batch of batches) expect(submissions.get(batch.batchNumber)).toBe(1);
    for (const order of orders) {
      expect(deliveries.get(order.orderNumber)).toBe(1);
      expect(await certificatesOf(order.id)).toBe(2);
      expect(vendor.printCount(order.orderNumber)).toBe(1);
      expect(await prisma.auditEvent.count({ where: { action: "order.certificates_issued", subjectId: order.id } })).toBe(1);
      expect(await prisma.registeredMail.count({ where: { orderId: order.id } })).toBe(1);
    }
    // Neither had to give a batch up: renewed leases kept the other out.
    expect(lost).toEqual({ first: 0, second: 0 });
    expect(await prisma.printBatch.count({ where: { leaseToken: { not: null } } })).toBe(0);
  }, 120_000);

  it("claims each batch with the clock read at its claim: after a hand-off longer than a lease, the next batch is still kept from the second worker", async () => {
    await createPaidOrderFixture();
    await createPaidOrderFixture();
    const batches = await assemblePrintBatches({ now: clock, maxSize: 1 });
    expect(batches).toHaveLength(2);
    // The vendor takes 3 minutes to accept a batch. When the first worker's second batch reaches it, the second
    // worker runs: a lease computed from the run's starting time would have ended already.
    let secondRun: Promise<Awaited<ReturnType<typeof advancePrintBatches>>> | undefined;
    hooks.before = async (path) => {
      if (!path.endsWith(batches[1]!.batchNumber) || secondRun) return;
      secondRun = second.advancePrintBatches({ vendor: client, clock: () => clock });
      await secondRun;
    };
    hooks.after = async () => void advance(3 * 60 * SECOND);

    expect(await advancePrintBatches({ vendor: client, clock: () => clock })).toMatchObject({ submitted: 2, leaseLost: 0 });
    expect(await secondRun).toMatchObject({ submitted: 0 });
    for (const batch of batches) expect(submissions.get(batch.batchNumber)).toBe(1);
  }, 60_000);

  it("renews the lease while the vendor is slow, so the second worker stays out after the first term has run out", async () => {
    const { order } = await createPaidOrderFixture();
    const [batch] = await assemblePrintBatches({ now: clock, maxSize: 10 });
    await advancePrintBatches({ vendor: client, clock: () => clock });
    advance(POLL);

    // The first worker's certificate delivery hangs at the vendor; meanwhile its first lease term passes.
    const slow = gate();
    let held = false;
    hooks.before = async (path) => {
      if (!path.endsWith("/certificates") || held) return;
      held = true;
      await slow.wait();
    };
    const first = advancePrintBatches({ vendor: client, clock: () => clock, renewEveryMs: 20 });
    await slow.arrived;
    advance(CLAIM_LEASE_MS + 60 * SECOND);
    // …and its heartbeat renews it.
    await waitUntil(async () => (await prisma.printBatch.findUniqueOrThrow({ where: { id: batch!.id } })).nextActionAt > clock);

    expect(await second.advancePrintBatches({ vendor: client, clock: () => clock })).toMatchObject({ submitted: 0, polled: 0 });
    slow.open();
    expect(await first).toMatchObject({ polled: 1, leaseLost: 0 });

    expect(deliveries.get(order.orderNumber)).toBe(1);
    expect(await certificatesOf(order.id)).toBe(2);
    expect(await prisma.printItem.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({ status: "CERTIFICATES_DELIVERED" });
    // Released: due again a poll interval after the work ended.
    expect(await prisma.printBatch.findUniqueOrThrow({ where: { id: batch!.id } })).toMatchObject({
      leaseToken: null,
      nextActionAt: new Date(clock.getTime() + POLL - SECOND),
    });
  }, 60_000);

  it("lets the second worker take over once a frozen worker's lease ends, without doing again what the first did, and the first writes nothing after", async () => {
    const one = (await createPaidOrderFixture()).order;
    const two = (await createPaidOrderFixture()).order;
    const [batch] = await assemblePrintBatches({ now: clock, maxSize: 10 });
    await advancePrintBatches({ vendor: client, clock: () => clock });
    advance(POLL);

    // The first worker delivers card one, then card two's certificates reach the vendor and the worker freezes
    // before it hears back: no answer, no heartbeat (its beat is an hour), as a process stopped mid-call would.
    const frozen = gate();
    hooks.after = async (path) => {
      if (path.endsWith(`/cards/${two.orderNumber}/certificates`) && deliveries.get(two.orderNumber) === 1) await frozen.wait();
    };
    const first = advancePrintBatches({ vendor: client, clock: () => clock, renewEveryMs: 60 * 60 * SECOND });
    await frozen.arrived;
    expect(await prisma.printItem.findUniqueOrThrow({ where: { orderId: one.id } })).toMatchObject({ status: "CERTIFICATES_DELIVERED" });

    advance(CLAIM_LEASE_MS - SECOND);
    expect(await second.advancePrintBatches({ vendor: client, clock: () => clock })).toMatchObject({ polled: 0 });
    advance(2 * SECOND);
    // The vendor has meanwhile written card two's certificates and posted both cards: recorded, nothing re-sent.
    expect(await second.advancePrintBatches({ vendor: client, clock: () => clock })).toMatchObject({ polled: 1, dispatched: 2, leaseLost: 0 });

    // The first worker wakes up, hears the vendor's answer, and finds its lease taken: it stops without writing.
    const before = await prisma.printBatch.findUniqueOrThrow({ where: { id: batch!.id } });
    expect(before).toMatchObject({ status: "COMPLETED", leaseToken: null });
    frozen.open();
    expect(await first).toMatchObject({ polled: 0, leaseLost: 1 });
    expect(await prisma.printBatch.findUniqueOrThrow({ where: { id: batch!.id } })).toEqual(before);

    for (const order of [one, two]) {
      expect(deliveries.get(order.orderNumber)).toBe(1);
      expect(await certificatesOf(order.id)).toBe(2);
      expect(await prisma.auditEvent.count({ where: { action: "order.certificates_issued", subjectId: order.id } })).toBe(1);
      expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("MAILED");
    }
    expect(submissions.get(batch!.batchNumber)).toBe(1);
  }, 60_000);

  it("signs a card's certificates only under its item's row lock: three appliers of one reply sign one pair", async () => {
    const { order } = await createPaidOrderFixture();
    const [batch] = await assemblePrintBatches({ now: clock, maxSize: 10 });
    await advancePrintBatches({ vendor: client, clock: () => clock });
    advance(POLL);
    const status = await client.getBatch(batch!.batchNumber);

    // The CA counts what it signs: a certificate signed and then thrown away would still be a certificate issued.
    const real = await loadIssuingCa();
    let signed = 0;
    const ca: IssuingCa = {
      issuing: real.issuing,
      get issuingKey() {
        signed++;
        return real.issuingKey;
      },
    };
    const appliers = [applyBatchStatus, second.applyBatchStatus, applyBatchStatus];
    await Promise.all(appliers.map((apply) => apply(batch!.id, status, { vendor: client, now: clock, ca })));

    expect(signed).toBe(2);
    expect(await certificatesOf(order.id)).toBe(2);
  }, 60_000);
});
