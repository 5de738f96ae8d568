// Support's queue (the back office lists and resolves it): a card the vendor rejected, a batch the vendor refused,
// a returned letter, a holder whose letter shows delivered but who has no card. Opened inside the transaction
// that found the problem; one case per cause (dedupeKey), so a retried job or a second poll never opens it twice.
import type { Prisma, SupportCaseKind } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";

/** The audit actor for `openedBy`: the bare id, as every other audit event records people. */
function actorOf(openedBy: string): { type: "SYSTEM" | "CITIZEN" | "STAFF"; id?: string } {
  if (openedBy.startsWith("citizen:")) return { type: "CITIZEN", id: openedBy.slice("citizen:".length) };
  if (openedBy.startsWith("staff:")) return { type: "STAFF", id: openedBy.slice("staff:".length) };
  return openedBy === "system" ? { type: "SYSTEM" } : { type: "STAFF", id: openedBy };
}

export interface NewSupportCase {
  kind: SupportCaseKind;
  /** One case per cause, e.g. `PRINT_REJECTED:<print item id>`. */
  dedupeKey: string;
  orderId?: string | null;
  batchId?: string | null;
  /** Codes and ids in words support reads; never a name, ID number, address, phone or e-mail. */
  reason: string;
  /** "system", or "staff:<staff id>" / "citizen:<holder id>" for whoever reported it. */
  openedBy: string;
}

/** Opens the case unless one with the same key exists; answers the case and whether this call opened it. */
export async function openSupportCase(tx: Prisma.TransactionClient, input: NewSupportCase) {
  // skipDuplicates = ON CONFLICT DO NOTHING: two transactions finding the same cause at once leave one row, no error.
  const { count: inserted } = await tx.supportCase.createMany({
    data: [{
      kind: input.kind, dedupeKey: input.dedupeKey, orderId: input.orderId ?? null, batchId: input.batchId ?? null,
      reason: input.reason.slice(0, 500), openedBy: input.openedBy.slice(0, 64),
    }],
    skipDuplicates: true,
  });
  const supportCase = await tx.supportCase.findUniqueOrThrow({ where: { dedupeKey: input.dedupeKey } });
  if (inserted === 0) return { supportCase, opened: false };
  await recordAuditEvent(
    {
      actor: actorOf(input.openedBy),
      action: "support.case_opened",
      subject: { type: "support_case", id: supportCase.id },
      details: { kind: input.kind, orderId: input.orderId ?? null, batchId: input.batchId ?? null },
    },
    tx,
  );
  if (input.orderId) {
    await recordAuditEvent(
      {
        actor: { type: "SYSTEM" },
        action: "order.support_case_opened",
        subject: { type: "order", id: input.orderId },
        details: { kind: input.kind, supportCaseId: supportCase.id },
      },
      tx,
    );
  }
  return { supportCase, opened: true };
}

/** Open cases, oldest first (what support works through); the back office pages it. */
export async function listOpenSupportCases({ take = 100, kind }: { take?: number; kind?: SupportCaseKind } = {}) {
  return prisma.supportCase.findMany({
    where: { resolvedAt: null, ...(kind ? { kind } : {}) },
    orderBy: [{ openedAt: "asc" }, { id: "asc" }],
    take,
    select: {
      id: true, kind: true, reason: true, openedAt: true, openedBy: true, orderId: true, batchId: true,
      order: { select: { orderNumber: true, status: true } },
      batch: { select: { batchNumber: true } },
    },
  });
}
