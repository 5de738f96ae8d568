// Support desk tests: staff accounts written straight to the database (no scrypt: these never sign in with a
// password) and an outbox row as the domain writes it when an order is paid or mailed.
import { randomBytes } from "node:crypto";
import type { OutboxMailKind, StaffRole } from "../../app/generated/prisma/client";
import { prisma } from "../../app/lib/db.server";

export async function createStaffActor(roles: StaffRole[]) {
  const username = `support.${randomBytes(4).toString("hex")}`;
  const account = await prisma.staffAccount.create({
    data: { username, displayName: "測試人員", passwordHash: "scrypt$not-used-here", roles },
  });
  return { id: account.id, username, roles };
}

/** A SENT outbox row (sent `sentAt`, one attempt), as the mail worker leaves it. */
export function createSentOutboxMail(orderId: string, kind: OutboxMailKind, sentAt = new Date()) {
  return prisma.mailOutbox.create({
    data: { orderId, kind, status: "SENT", attempts: 1, sentAt, nextAttemptAt: sentAt, messageId: `<outbox-${randomBytes(4).toString("hex")}@test>` },
  });
}
