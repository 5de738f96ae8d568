import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { recordAuditEvent } from "./audit.server";

describe("audit trail", () => {
  it("records who did what to which subject, and why", async () => {
    await recordAuditEvent({
      actor: { type: "STAFF", id: "staff-42" },
      action: "activation.lock_lifted",
      subject: { type: "card", id: "card-1" },
      reason: "holder remembers the code (call 2026-11-23)",
      details: { attempts: 4 },
    });
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "activation.lock_lifted" } });
    expect(event).toMatchObject({ actorType: "STAFF", actorId: "staff-42", subjectType: "card", subjectId: "card-1", details: { attempts: 4 } });
    expect(event.occurredAt).toBeInstanceOf(Date);
  });

  it("refuses malformed events before they reach the database", async () => {
    await expect(recordAuditEvent({ actor: { type: "SYSTEM" }, action: "Deleted Order" })).rejects.toThrow(/dotted lower case/);
    await expect(
      recordAuditEvent({ actor: { type: "SYSTEM" }, action: "order.deleted", details: { nested: { a: 1 } as never } }),
    ).rejects.toThrow();
  });

  it("is append-only: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    await recordAuditEvent({ actor: { type: "SYSTEM" }, action: "order.deleted", subject: { type: "order", id: "o-1" } });
    await expect(prisma.auditEvent.updateMany({ data: { reason: "rewritten" } })).rejects.toThrow(/append-only/);
    await expect(prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe("TRUNCATE audit_event")).rejects.toThrow(/append-only/);
    expect(await prisma.auditEvent.count()).toBeGreaterThan(0);
  });
});
