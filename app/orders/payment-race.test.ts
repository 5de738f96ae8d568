// docs/decisions/004: a payment racing the 2-day deletion ends in exactly one outcome, decided by the provider's
// payment time and the notice time against the deadline — never by which transaction took the order's lock first.
import { describe, expect, it } from "vitest";
import type { PaymentMethod } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { settlePayment } from "~/payments/settlement.server";
import { createOrderFixture } from "../../test/factories/orders";
import { deleteUnpaidOrder, sweepUnpaidOrders, type DeletionResult, type SweepReport } from "./deletion.server";

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const ITERATIONS = 100;
const PER_ROUND = 10;

interface Scenario {
  name: string;
  method: PaymentMethod;
  /** Provider's payment time, relative to the deadline. */
  paidAfterDeadlineMs: number;
  /** When the notice is handled and the deletion runs — the same instant: the two are racing. */
  nowAfterDeadlineMs: number;
}

// Both sides act at the same instant; the bank or Stripe dated the money at paidAt.
const SCENARIOS: Scenario[] = [
  { name: "card paid 1 s before the deadline, reported before deletion was due", method: "CARD", paidAfterDeadlineMs: -SECOND, nowAfterDeadlineMs: -SECOND / 2 },
  { name: "transfer dated 1 ms before the deadline, reported at once", method: "ATM", paidAfterDeadlineMs: -1, nowAfterDeadlineMs: -1 },
  { name: "card paid 1 s after the deadline", method: "CARD", paidAfterDeadlineMs: SECOND, nowAfterDeadlineMs: SECOND },
  { name: "transfer dated in time, reported the moment deletion fell due", method: "ATM", paidAfterDeadlineMs: -SECOND, nowAfterDeadlineMs: 0 },
  { name: "card paid in time, webhook delivered a day late", method: "CARD", paidAfterDeadlineMs: -SECOND, nowAfterDeadlineMs: 24 * HOUR },
];

/**
 * 004 from the timestamps alone: once deletion is due (deadline + ATM grace) the order is deleted whatever the
 * payment; before that, a payment the provider took by the deadline (+ grace for ATM) pays it.
 */
function expectedOutcome(s: Scenario, deadline: Date): "PAID" | "DELETED_UNPAID" | "LATE_BUT_OPEN" {
  const graceMs = env().ATM_PAYMENT_GRACE_MINUTES * 60_000;
  const now = deadline.getTime() + s.nowAfterDeadlineMs;
  const paidAt = deadline.getTime() + s.paidAfterDeadlineMs;
  if (now >= deadline.getTime() + graceMs) return "DELETED_UNPAID";
  return paidAt <= deadline.getTime() + (s.method === "ATM" ? graceMs : 0) ? "PAID" : "LATE_BUT_OPEN";
}

/** A few hundred microseconds to a couple of milliseconds, so either side may reach the lock first. */
const jitter = () => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 3));

/** Order numbers carry 5 random digits per day: among 100 orders of one day a clash is likely; draw again. */
async function orderWithDeadline(paymentDeadline: Date): ReturnType<typeof createOrderFixture> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createOrderFixture({ paymentDeadline });
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002" || attempt >= 5) throw error;
    }
  }
}

type Winner = "deletion" | "payment" | "sweeper-untouched";

async function raceOnce({ iteration, scenario, deadline, useSweeper }: {
  iteration: number;
  scenario: Scenario;
  deadline: Date;
  useSweeper: boolean;
}) {
  const { order } = await orderWithDeadline(deadline);
  const now = new Date(deadline.getTime() + scenario.nowAfterDeadlineMs);
  const reference = { provider: scenario.method === "CARD" ? "stripe" : "bank:822", providerReference: `race-${iteration}-${order.id}` };

  const [deletion, settlement] = await Promise.all([
    jitter().then((): Promise<DeletionResult | SweepReport> =>
      useSweeper ? sweepUnpaidOrders({ now, batchSize: 10 }) : deleteUnpaidOrder({ orderId: order.id, now }),
    ),
    jitter().then(() =>
      prisma.$transaction((tx) =>
        settlePayment(tx, {
          orderId: order.id, method: scenario.method, ...reference, amountNtd: 228,
          paidAt: new Date(deadline.getTime() + scenario.paidAfterDeadlineMs), receivedAt: now,
        }),
      ),
    ),
  ]);

  const expected = expectedOutcome(scenario, deadline);
  const state = await prisma.reissueOrder.findUniqueOrThrow({
    where: { id: order.id },
    include: { application: true, outboxMails: true, financeExceptions: true },
  });
  const payments = await prisma.payment.findMany({ where: reference });
  const deletions = await prisma.auditEvent.count({ where: { action: "order.deleted_unpaid", subjectId: order.id } });

  const label = `#${iteration} ${scenario.name}`;
  expect(payments, label).toHaveLength(1);
  expect(payments[0]!.status, label).toBe("SUCCEEDED");
  expect(settlement.paymentId, label).toBe(payments[0]!.id);
  if (expected === "PAID") {
    expect({ status: state.status, outcome: settlement.outcome }, label).toEqual({ status: "PAID", outcome: "APPLIED" });
    expect(state.application, label).not.toBeNull();
    expect(state.outboxMails.map((m) => m.kind), label).toEqual(["PAID"]);
    expect(state.financeExceptions, label).toEqual([]);
    expect(deletions, label).toBe(0);
  } else {
    expect(expected, `${label}: a scenario 004 leaves open`).toBe("DELETED_UNPAID");
    expect({ status: state.status, outcome: settlement.outcome }, label).toEqual({ status: "DELETED_UNPAID", outcome: "LATE_PAYMENT" });
    expect(state.application, label).toBeNull();
    expect(state.outboxMails, label).toEqual([]);
    expect(state.financeExceptions.map((e) => ({ kind: e.kind, paymentId: e.paymentId })), label).toEqual([
      { kind: "LATE_PAYMENT", paymentId: payments[0]!.id },
    ]);
    expect(deletions, label).toBe(1);
  }

  // Which side held the lock first: the deletion either acted or found the order as the payment left it.
  let winner: Winner;
  if (typeof deletion === "string") winner = deletion === "not_awaiting_payment" ? "payment" : "deletion";
  else winner = deletion.deleted === 1 ? "deletion" : "sweeper-untouched";
  return winner;
}

describe("payment vs deletion", () => {
  it("raced 100 times with exactly one outcome each time and no payment lost", { timeout: 120_000 }, async () => {
    const winners: Winner[] = [];
    // Rounds of concurrent iterations. A round's one sweeper run races the payment of the round's earliest
    // order; the others' deadlines are more than a day later, so the sweep (at most a day late) cannot reach them
    // — their own clocks say deletion is not due. Earlier rounds' orders are all PAID or deleted by then.
    const start = Date.now() + 3 * 24 * HOUR;
    for (let round = 0; round < ITERATIONS / PER_ROUND; round++) {
      const results = await Promise.all(
        Array.from({ length: PER_ROUND }, (_, i) => {
          const iteration = round * PER_ROUND + i;
          const useSweeper = i === 0;
          const scenario = SCENARIOS[(useSweeper ? round : iteration) % SCENARIOS.length]!;
          const deadline = new Date(start + round * 4 * 24 * HOUR + (useSweeper ? 0 : 25 * HOUR + i * HOUR));
          return raceOnce({ iteration, scenario, deadline, useSweeper });
        }),
      );
      winners.push(...results);
    }
    expect(winners).toHaveLength(ITERATIONS);
    // Both lock orders happened: the outcome above held whichever transaction went first.
    expect(winners).toContain("deletion");
    expect(winners).toContain("payment");
  });
});
