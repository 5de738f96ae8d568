// A logged-in holder as card login leaves one: a session naming the card's signing certificate, which every
// request that changes something re-checks at the CA (issue 13). Cards made without certificates (order
// fixtures) get a signing certificate recorded first, so the re-check finds the one the session started with.
import { startCitizenSession } from "../../app/auth/session.server";
import { describeCertificate } from "../../app/cards/certificates.server";
import { addCalendarYears } from "../../app/eligibility/rules";
import { prisma } from "../../app/lib/db.server";
import { createTestIssuer, issueCardCertificate, recordOnlyKeys } from "./certificates";

/** The card's signing certificate, recorded VALID (5 years from a year ago) when the card has none yet. */
export async function signingCertificateOf(cardId: string): Promise<{ id: string }> {
  const existing = await prisma.certificate.findFirst({ where: { cardId, usage: "SIGNING" }, select: { id: true } });
  if (existing) return existing;
  const card = await prisma.card.findUniqueOrThrow({ where: { id: cardId }, select: { holder: { select: { name: true, nationalIdLast4: true } } } });
  const notBefore = addCalendarYears(new Date(), -1);
  const { der } = await issueCardCertificate({
    issuer: await createTestIssuer(), name: card.holder.name, idLast4: card.holder.nationalIdLast4, usage: "SIGNING",
    notBefore, notAfter: addCalendarYears(notBefore, 5), subjectKeys: await recordOnlyKeys(),
  });
  const facts = describeCertificate(der);
  return prisma.certificate.create({
    data: {
      cardId, usage: "SIGNING", status: "VALID", der: Uint8Array.from(der), serialNumber: facts.serialNumber, issuerDn: facts.issuerDn,
      subjectDn: facts.subjectDn, notBefore: facts.notBefore, notAfter: facts.notAfter, publicKeySha256: facts.publicKeySha256,
    },
    select: { id: true },
  });
}

/** The Cookie header value of a fresh session for this holder's card, and the certificate it was started with. */
export async function citizenSessionCookie(
  { holderId, cardId, scope = "full" }: { holderId: string; cardId: string; scope?: "full" | "reissue-only" },
  origin = "http://localhost",
): Promise<{ cookie: string; certificateId: string }> {
  const { id: certificateId } = await signingCertificateOf(cardId);
  const headers = await startCitizenSession(new Request(`${origin}/login`), { holderId, cardId, certificateId, scope });
  return { cookie: headers.get("Set-Cookie")!.split(";")[0]!, certificateId };
}
