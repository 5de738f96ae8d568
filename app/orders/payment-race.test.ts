// docs/decisions/004 (and 011): a payment racing the 2-day deletion ends in exactly one outcome, decided by the
// provider's payment time and the notice time against the deadline — never by which transaction took the order's
// lock first. A payment made in time pays its order however late its notice, until the bounded wait is over.
import { describe, expect, it } from "vitest";
import type { PaymentMethod } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { settlePayment } from "~/payments/settlement.server";
import { createOrderFixture } from "../../test/factories/orders";
import { deleteUnpaidOrder, sweepUnpaidOrders, type DeletionResult, type SweepReport } from "./deletion.server";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 3600 * SECOND;
const ITERATIONS = 100;
const PER_ROUND = 10;
/** Rounds lie this far apart, longer than any wait for a report, so a round's sweeps never reach another's orders. */
const ROUND_SPACING = 6 * 24 * HOUR;

interface Scenario {
  name: string;
  method: PaymentMethod;
  /** Provider's payment time, relative to the deadline. */
  paidAfterDeadlineMs: number;
  /** When the notice is handled and the deletion runs — the same instant: the two are racing. */
  nowAfterDeadlineMs: number;
}

// Both sides act at the same instant; the bank or Stripe dated the money at paidAt. A card payment comes through
// the checkout the order opened (PENDING until its webhook); no bank file has been imported in this file.
const SCENARIOS: Scenario[] = [
  { name: "card paid 1 s before the deadline, reported before deletion was due", method: "CARD", paidAfterDeadlineMs: -SECOND, nowAfterDeadlineMs: -SECOND / 2 },
  { name: "transfer dated 1 ms before the deadline, reported at once", method: "ATM", paidAfterDeadlineMs: -1, nowAfterDeadlineMs: -1 },
  { name: "card paid 1 s after the deadline", method: "CARD", paidAfterDeadlineMs: SECOND, nowAfterDeadlineMs: SECOND },
  { name: "transfer dated 1 s after the deadline", method: "ATM", paidAfterDeadlineMs: SECOND, nowAfterDeadlineMs: SECOND },
  { name: "transfer dated in time, reported the moment the window closed", method: "ATM", paidAfterDeadlineMs: -SECOND, nowAfterDeadlineMs: 0 },
  { name: "card paid in time, webhook 1 minute late", method: "CARD", paidAfterDeadlineMs: -SECOND, nowAfterDeadlineMs: MINUTE },
  { name: "transfer dated in time, reported 1 minute late", method: "ATM", paidAfterDeadlineMs: -SECOND, nowAfterDeadlineMs: MINUTE },
  { name: "card paid in time, webhook 20 hours late", method: "CARD", paidAfterDeadlineMs: -SECOND, nowAfterDeadlineMs: 20 * HOUR },
  { name: "transfer dated in time, reported 20 hours late", method: "ATM", paidAfterDeadlineMs: -SECOND, nowAfterDeadlineMs: 20 * HOUR },
  { name: "card paid in time, webhook after the bounded wait", method: "CARD", paidAfterDeadlineMs: -SECOND, nowAfterDeadlineMs: 72 * HOUR + SECOND },
  { name: "transfer dated in time, reported after the bounded wait", method: "ATM", paidAfterDeadlineMs: -SECOND, nowAfterDeadlineMs: 72 * HOUR + SECOND },
];

/**
 * 004 + 011 from the timestamps alone (no bank file imported; a card payment's checkout open until its webhook):
 * deletion is due once the window has closed and the report of every payment that could count is overdue
 * (ATM_REPORTING_MAX_HOURS, CARD_OUTCOME_MAX_HOURS); until then a payment the provider took by the deadline pays
 * the order, and a late one is listed for refund while the order awaits its erasure.
 */
function expectedOutcome(s: Scenario, deadline: Date): "PAID" | "DELETED_UNPAID" | "LATE_BUT_OPEN" {
  const graceMs = env().ATM_PAYMENT_GRACE_MINUTES * MINUTE;
  const now = deadline.getTime() + s.nowAfterDeadlineMs;
  const paidAt = deadline.getTime() + s.paidAfterDeadlineMs;
  const closes = deadline.getTime() + graceMs;
  const atmOverdue = now >= closes + env().ATM_REPORTING_MAX_HOURS * HOUR;
  const cardOverdue = s.method !== "CARD" || now >= deadline.getTime() + env().CARD_OUTCOME_MAX_HOURS * HOUR;
  if (now >= closes && atmOverdue && cardOverdue) return "DELETED_UNPAID";
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

type Winner = "deletion" | "payment" | "undecided" | "sweeper-untouched";

async function raceOnce({ iteration, scenario, deadline, useSweeper }: {
  iteration: number;
  scenario: Scenario;
  deadline: Date;
  useSweeper: boolean;
}) {
  const { order } = await orderWithDeadline(deadline);
  const now = new Date(deadline.getTime() + scenario.nowAfterDeadlineMs);
  const reference = { provider: scenario.method === "CARD" ? "stripe" : "bank:822", providerReference: `race-${iteration}-${order.id}` };
  // The checkout the payer opened before the deadline, as startCardCheckout records it.
  if (scenario.method === "CARD") await prisma.payment.create({ data: { ...reference, orderId: order.id, method: "CARD", amountNtd: 228 } });

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
  if (expected === "LATE_BUT_OPEN") {
    expect({ status: state.status, outcome: settlement.outcome }, label).toEqual({ status: "AWAITING_PAYMENT", outcome: "LATE_PAYMENT" });
    expect(state.application, label).not.toBeNull();
    expect(state.outboxMails, label).toEqual([]);
    expect(state.financeExceptions.map((e) => ({ kind: e.kind, paymentId: e.paymentId })), label).toEqual([
      { kind: "LATE_PAYMENT", paymentId: payments[0]!.id },
    ]);
    expect(deletions, label).toBe(0);
  } else if (expected === "PAID") {
    expect({ status: state.status, outcome: settlement.outcome }, label).toEqual({ status: "PAID", outcome: "APPLIED" });
    expect(state.application, label).not.toBeNull();
    expect(state.outboxMails.map((m) => m.kind), label).toEqual(["PAID"]);
    expect(state.financeExceptions, label).toEqual([]);
    expect(deletions, label).toBe(0);
  } else {
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
  // A deletion that is not due ("not_due", "waiting") decided nothing: only a due one races the payment.
  if (typeof deletion === "string") winner = deletion === "deleted" ? "deletion" : deletion === "not_awaiting_payment" ? "payment" : "undecided";
  else winner = deletion.deleted >= 1 ? "deletion" : "sweeper-untouched";
  return winner;
}

describe("payment vs deletion", () => {
  it("raced 100 times with exactly one outcome each time and no payment lost", { timeout: 120_000 }, async () => {
    const winners: Winner[] = [];
    // Rounds of concurrent iterations. A round's one sweeper run races the payment of the round's earliest
    // order; the others' deadlines are at least 25 hours later, so the sweep (at most 72 h + 1 s after its own
    // deadline) cannot reach them: their reports are not overdue. Orders an earlier round left waiting (late
    // payments) are swept before the round starts, so a sweeper's count is about its own order.
    const start = Date.now() + 3 * 24 * HOUR;
    for (let round = 0; round < ITERATIONS / PER_ROUND; round++) {
      const roundStart = start + round * ROUND_SPACING;
      await sweepUnpaidOrders({ now: new Date(roundStart) });
      const results = await Promise.all(
        Array.from({ length: PER_ROUND }, (_, i) => {
          const iteration = round * PER_ROUND + i;
          const useSweeper = i === 0;
          const scenario = SCENARIOS[(useSweeper ? round : iteration) % SCENARIOS.length]!;
          const deadline = new Date(roundStart + (useSweeper ? 0 : 25 * HOUR + i * HOUR));
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
