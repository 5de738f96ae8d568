// `npm run bench:orders`: order creations per second through the domain (createReissueOrder: eligibility, holder
// lock, order + application + audit, the deletion job in Redis) against this same run's raw single-row INSERT
// rate into a table shaped like reissue_order — a ratio, so it means the same on a busy or an idle machine — and
// the time to sweep 100,000 unpaid orders. Runs in a throwaway database on the dev cluster (or DATABASE_URL's
// server) with its own queue prefix, and removes both. Timings are printed, never asserted.
import { pathToFileURL } from "node:url";
import { withBenchDatabase } from "./scratch-database";

type Db = { $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number> };

/**
 * Unpaid orders with their applications, straight in SQL (one statement), all for one holder and card — what
 * the sweeper and its tests need in numbers no factory loop would make quickly.
 */
export async function bulkInsertUnpaidOrders(db: Db, opts: {
  count: number;
  paymentDeadline: Date;
  holderId: string;
  cardId: string;
  userCodeHash: string;
}): Promise<void> {
  // A per-call prefix keeps order numbers and virtual accounts unique across calls into the same database.
  const prefix = String(Date.now() % 100_000).padStart(5, "0") + String(Math.floor(Math.random() * 10));
  await db.$executeRawUnsafe(
    `WITH o AS (
       INSERT INTO reissue_order (id, order_number, holder_id, applied_with_card_id, status, card_fee_ntd,
                                  postage_fee_ntd, amount_ntd, payment_deadline, atm_bank_code, virtual_account,
                                  created_at, updated_at)
       SELECT gen_random_uuid(), $1 || lpad(g::text, 7, '0'), $2::uuid, $3::uuid, 'AWAITING_PAYMENT', 200, 28, 228,
              $4::timestamptz, '822', '952' || $1 || lpad(g::text, 7, '0'), $4::timestamptz - interval '48 hours', now()
         FROM generate_series(1, $5::int) AS g
       RETURNING id, created_at)
     INSERT INTO reissue_application (order_id, mobile, email, postcode, address, outlying_island, user_code_hash,
                                      terms_accepted_at, created_at)
     SELECT id, '0912345678', 'applicant@example.tw', '100', '臺北市中正區重慶南路一段 122 號', false, $6, created_at, created_at
       FROM o`,
    prefix, opts.holderId, opts.cardId, opts.paymentDeadline.toISOString(), opts.count, opts.userCodeHash,
  );
}

export interface OrdersBenchResult {
  orders: number;
  ordersPerSecond: number;
  rawInsertsPerSecond: number;
  sweep: { orders: number; deleted: number; batches: number; seconds: number };
}

/** The benchmark itself, against whatever DATABASE_URL/REDIS_URL/QUEUE_PREFIX this process has (tests call it with small numbers). */
export async function benchOrders({ orders, sweepOrders }: { orders: number; sweepOrders: number }): Promise<OrdersBenchResult> {
  const { createReissueOrder } = await import("~/orders/create-order.server");
  const { sweepUnpaidOrders } = await import("~/orders/deletion.server");
  const { deletionCertainAt } = await import("~/orders/payment-window.server");
  const { prisma } = await import("~/lib/db.server");
  const { recordEligibleCard, createHolderAndCard, testUserCodeHash } = await import("../../test/factories/orders");

  // Card recording (certificates) is the slow part and not what is measured: holders come first, untimed.
  const now = new Date();
  const holders = [];
  for (let i = 0; i < orders; i++) holders.push(await recordEligibleCard({ now }));
  const userCodeHash = await testUserCodeHash();
  const application = (i: number) => ({
    mobile: "0912345678", email: `bench${i}@example.tw`, postcode: "100", address: "臺北市中正區重慶南路一段 122 號",
    userCodeHash, termsAcceptedAt: now,
  });

  let started = performance.now();
  for (const [i, { holder, card }] of holders.entries()) {
    await createReissueOrder({ citizen: { holderId: holder.id, cardId: card.id }, application: application(i), now });
  }
  const ordersPerSecond = orders / ((performance.now() - started) / 1000);

  // The same database, one row per statement, no transaction around them: what a single INSERT costs here.
  await prisma.$executeRawUnsafe(`CREATE TABLE bench_raw_order (LIKE reissue_order INCLUDING ALL)`);
  let rawInsertsPerSecond: number;
  try {
    const { holder, card } = holders[0] ?? (await createHolderAndCard());
    started = performance.now();
    for (let i = 0; i < orders; i++) {
      await prisma.$executeRaw`
        INSERT INTO bench_raw_order (id, order_number, holder_id, applied_with_card_id, card_fee_ntd, postage_fee_ntd,
                                     amount_ntd, payment_deadline, atm_bank_code, virtual_account, updated_at)
        VALUES (gen_random_uuid(), ${`B${i}`}, ${holder.id}::uuid, ${card.id}::uuid, 200, 28, 228, ${now}, '822', ${`V${i}`}, now())`;
    }
    rawInsertsPerSecond = orders / ((performance.now() - started) / 1000);
  } finally {
    await prisma.$executeRawUnsafe(`DROP TABLE bench_raw_order`);
  }

  const { holder, card } = await createHolderAndCard();
  const overdue = new Date(now.getTime() - 60 * 60 * 1000);
  await bulkInsertUnpaidOrders(prisma, { count: sweepOrders, paymentDeadline: overdue, holderId: holder.id, cardId: card.id, userCodeHash });
  started = performance.now();
  // Swept once their wait for reports is over (decision 011); the orders made above are not due by then.
  const swept = await sweepUnpaidOrders({ now: deletionCertainAt(overdue) });
  const sweep = { orders: sweepOrders, ...swept, seconds: (performance.now() - started) / 1000 };
  return { orders, ordersPerSecond, rawInsertsPerSecond, sweep };
}

async function main() {
  const ORDERS = Number(process.env.BENCH_ORDERS ?? 300);
  const SWEEP = Number(process.env.BENCH_SWEEP_ORDERS ?? 100_000);
  const dropQueue = async () => {
    const { QUEUE_NAMES, queue } = await import("~/lib/queue.server");
    await queue(QUEUE_NAMES.orders).obliterate({ force: true });
  };
  await withBenchDatabase("bench_orders", async () => {
    const result = await benchOrders({ orders: ORDERS, sweepOrders: SWEEP });
    console.log(`order creations: ${result.ordersPerSecond.toFixed(0)}/s (${ORDERS} sequential createReissueOrder: eligibility, holder lock, order + application + audit, deletion job in Redis)`);
    console.log(`raw single-row INSERT (table shaped like reissue_order): ${result.rawInsertsPerSecond.toFixed(0)}/s`);
    console.log(`ratio orders/raw: ${(result.ordersPerSecond / result.rawInsertsPerSecond).toFixed(3)} (an order is one transaction of ~8 statements plus the eligibility reads and a Redis round trip)`);
    console.log(`sweep of ${result.sweep.orders} unpaid orders: ${result.sweep.seconds.toFixed(2)} s (${result.sweep.deleted} deleted in ${result.sweep.batches} batches, ${(result.sweep.deleted / result.sweep.seconds).toFixed(0)}/s)`);
  }, { cleanUp: dropQueue });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
