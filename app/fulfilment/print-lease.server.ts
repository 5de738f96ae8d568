// Who works a print batch (docs/decisions/014). A worker claims one due batch at a time: the claim gives the batch
// a new lease token and moves next_action_at a lease ahead, read from a clock taken at that moment (not at the
// start of a run that may have spent minutes with the vendor). While the worker works the batch, the lease is
// renewed before every step and by a heartbeat during long vendor calls; every write checks the token under the
// batch's row lock, so a worker whose lease ran out and was claimed by another stops and writes nothing.
import { randomUUID } from "node:crypto";
import type { Prisma } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";

/** A claimed batch is not claimed again for this long unless renewed: longer than any vendor call (client timeout). */
export const CLAIM_LEASE_MS = 2 * 60 * 1000;
/** The heartbeat renews a held lease this often, so a live worker never loses it to a slow vendor. */
export const LEASE_RENEW_EVERY_MS = CLAIM_LEASE_MS / 4;

/** Where lease times come from. Production reads PostgreSQL's: one clock for every worker host. */
export type Clock = () => Date | Promise<Date>;

export const databaseClock: Clock = async () => {
  const [row] = await prisma.$queryRaw<Array<{ now: Date }>>`SELECT clock_timestamp() AS now`;
  return row!.now;
};

/** The lease was claimed by another worker (ours ran out): stop, write nothing. */
export class LeaseLostError extends Error {
  constructor(readonly batchId: string) {
    super(`the lease on print batch ${batchId} is held by another worker`);
    this.name = "LeaseLostError";
  }
}

export class BatchLease {
  private lost = false;
  private renewing: Promise<void> = Promise.resolve();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    readonly batch: { id: string; batchNumber: string; submitAttempts: number },
    private readonly token: string,
    readonly clock: Clock,
    private readonly leaseMs: number,
  ) {}

  get id(): string {
    return this.batch.id;
  }

  /** Moves the lease a full term ahead of the clock now; throws LeaseLostError if another worker holds the batch. */
  async renew(): Promise<void> {
    const step = this.renewing.catch(() => {}).then(async () => {
      if (this.lost) return;
      const until = new Date((await this.clock()).getTime() + this.leaseMs);
      const renewed = await prisma.$executeRaw`
        UPDATE print_batch SET next_action_at = ${until}, updated_at = now()
        WHERE id = ${this.batch.id}::uuid AND lease_token = ${this.token}::uuid`;
      if (renewed === 0) this.lost = true;
    });
    this.renewing = step;
    await step;
    if (this.lost) throw new LeaseLostError(this.batch.id);
  }

  /**
   * Inside a write's transaction, before it writes: the batch is still ours, and stays ours until the transaction
   * ends (FOR SHARE holds off a claim, whose FOR UPDATE SKIP LOCKED passes the batch by).
   */
  async guard(tx: Prisma.TransactionClient): Promise<void> {
    const rows = await tx.$queryRaw<Array<{ held: number }>>`
      SELECT 1 AS held FROM print_batch WHERE id = ${this.batch.id}::uuid AND lease_token = ${this.token}::uuid FOR SHARE`;
    if (rows.length === 0) {
      this.lost = true;
      throw new LeaseLostError(this.batch.id);
    }
  }

  /** Gives the batch up inside the caller's (guarded) transaction; next due at `nextActionAt` if given. */
  async release(tx: Prisma.TransactionClient, nextActionAt?: Date): Promise<void> {
    await this.guard(tx);
    await tx.printBatch.update({
      where: { id: this.batch.id },
      data: { leaseToken: null, ...(nextActionAt ? { nextActionAt } : {}) },
    });
  }

  /** Runs `work` with the heartbeat renewing the lease every `renewEveryMs`; the heartbeat stops when it ends. */
  async hold<T>(work: () => Promise<T>, { renewEveryMs = LEASE_RENEW_EVERY_MS }: { renewEveryMs?: number } = {}): Promise<T> {
    // A failed renewal (database away) is tried again at the next beat; the guards decide what may be written.
    this.heartbeat = setInterval(() => void this.renew().catch(() => {}), renewEveryMs);
    try {
      return await work();
    } finally {
      clearInterval(this.heartbeat);
      await this.renewing.catch(() => {});
    }
  }
}

/**
 * Claims the most overdue batch in `status`, if any, for a lease read from `clock` now. One statement: the row is
 * picked with FOR UPDATE SKIP LOCKED and leased in the same step, so two workers never claim the same batch.
 */
export async function claimDueBatch(
  status: "ASSEMBLED" | "SUBMITTED",
  { clock = databaseClock, leaseMs = CLAIM_LEASE_MS }: { clock?: Clock; leaseMs?: number } = {},
): Promise<BatchLease | null> {
  const now = await clock();
  const until = new Date(now.getTime() + leaseMs);
  const token = randomUUID();
  const [row] = await prisma.$queryRaw<Array<{ id: string; batch_number: string; submit_attempts: number }>>`
    UPDATE print_batch SET next_action_at = ${until}, lease_token = ${token}::uuid, updated_at = now()
    WHERE id = (
      SELECT id FROM print_batch
      WHERE status = ${status}::"PrintBatchStatus" AND next_action_at <= ${now}
      ORDER BY next_action_at, id
      LIMIT 1
      FOR UPDATE SKIP LOCKED)
    RETURNING id::text AS id, batch_number, submit_attempts`;
  if (!row) return null;
  return new BatchLease({ id: row.id, batchNumber: row.batch_number, submitAttempts: row.submit_attempts }, token, clock, leaseMs);
}
