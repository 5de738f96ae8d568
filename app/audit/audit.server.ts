// The append-only audit trail (a database trigger refuses UPDATE and DELETE on audit_event).
// Details carry ids, codes and counts — never names, ID numbers, addresses, e-mail or phone numbers.
import { z } from "zod";
import type { Prisma, PrismaClient } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";

const detailValue = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);

export const auditEventSchema = z.object({
  actor: z.object({ type: z.enum(["CITIZEN", "STAFF", "SYSTEM"]), id: z.string().max(64).optional() }),
  action: z.string().regex(/^[a-z]+(\.[a-z_]+)+$/, { error: "action is dotted lower case, e.g. order.deleted" }),
  subject: z.object({ type: z.string().max(32), id: z.string().max(64) }).optional(),
  reason: z.string().max(500).optional(),
  details: z.record(z.string(), detailValue).optional(),
  requestId: z.string().max(64).optional(),
});

export type AuditEventInput = z.input<typeof auditEventSchema>;

type Db = PrismaClient | Prisma.TransactionClient;

/** Records one audit event; pass the transaction client to make it part of the work it describes. */
export async function recordAuditEvent(input: AuditEventInput, db: Db = prisma): Promise<void> {
  const event = auditEventSchema.parse(input);
  await db.auditEvent.create({
    data: {
      actorType: event.actor.type,
      actorId: event.actor.id,
      action: event.action,
      subjectType: event.subject?.type,
      subjectId: event.subject?.id,
      reason: event.reason,
      details: event.details,
      requestId: event.requestId,
    },
  });
}
