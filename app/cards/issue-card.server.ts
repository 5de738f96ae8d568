// Issuing a test card: both certificates from the local test CA, recorded as the real CA's database would have
// them, and the card file the card simulator reads. Development, demo data and tests only.
import { randomInt } from "node:crypto";
import { Prisma, type CertificateStatus, type CertificateUsage } from "~/generated/prisma/client";
import { cardFileSchema, cardPinSchema, DEFAULT_CARD_PIN, type CardFile } from "./card-file";
import { recordCard } from "./certificates.server";
import { nationalIdLast4 } from "./national-id";
import { cardNumberSchema, nationalIdSchema } from "./schema";
import { recordIssuedCertificate } from "./test-ca-status.server";
import { issueCardCertificates, loadTestCa, privateKeyPem, type IssuedCertificate, type TestCa } from "./test-ca.server";

export type IssuedCardStatus = "valid" | "suspended" | "revoked";

export interface IssueCardInput {
  nationalId: string;
  name: string;
  issuedAt: Date;
  /** 001: extended once, by 3 years → an 8-year end instead of 5. */
  extended: boolean;
  status: IssuedCardStatus;
  /** 6–8 characters; default 123456. */
  pin?: string;
  /** Two letters + 14 digits; generated (TP + 14 random digits) when absent. */
  cardNumber?: string;
}

export interface IssuedCard {
  file: CardFile;
  cardId: string;
  certificates: Array<{
    usage: CertificateUsage;
    serialNumber: string;
    notBefore: Date;
    notAfter: Date;
    status: CertificateStatus;
  }>;
}

const GENERATED_NUMBER_ATTEMPTS = 5;

const AT_THE_CA = { valid: "good", suspended: "suspended", revoked: "revoked" } as const;

/**
 * Issues both certificates of a card with the test CA and records card, holder and certificates. A certificate
 * asked for as "valid" whose end has already passed is recorded EXPIRED (004: 已過期), as the hourly
 * expiry job would leave it. `options` are for tests: the CA (default: loadTestCa()), the clock, the number source.
 */
export async function issueCard(
  input: IssueCardInput,
  options: { ca?: TestCa; now?: Date; newCardNumber?: () => string } = {},
): Promise<IssuedCard> {
  const nationalId = nationalIdSchema.parse(input.nationalId);
  const pin = cardPinSchema.parse(input.pin ?? DEFAULT_CARD_PIN);
  const requestedNumber = input.cardNumber === undefined ? undefined : cardNumberSchema.parse(input.cardNumber);
  const now = options.now ?? new Date();
  const ca = options.ca ?? (await loadTestCa());

  const issued = await issueCardCertificates(ca, {
    name: input.name,
    idLast4: nationalIdLast4(nationalId),
    issuedAt: input.issuedAt,
    extended: input.extended,
  });
  const certificates = (["SIGNING", "ENCRYPTION"] as const).map((usage) => {
    const { certificate } = usage === "SIGNING" ? issued.signing : issued.encryption;
    return {
      der: new Uint8Array(certificate.rawData),
      usage,
      status: recordedStatus(input.status, certificate.notAfter, now),
      extended: input.extended,
    };
  });

  const newCardNumber = options.newCardNumber ?? randomCardNumber;
  for (let attempt = 1; ; attempt++) {
    const cardNumber = requestedNumber ?? newCardNumber();
    try {
      const { card } = await recordCard({ holder: { nationalId, name: input.name }, cardNumber, certificates });
      // The test CA learns the card number (for `ca revoke --card`) and the status asked for: its responder,
      // not the row above, is what the service's status check believes.
      for (const usage of ["SIGNING", "ENCRYPTION"] as const) {
        const { certificate } = usage === "SIGNING" ? issued.signing : issued.encryption;
        await recordIssuedCertificate(ca.statusStore, {
          serial: certificate.serialNumber, usage, cardNumber: card.cardNumber, status: AT_THE_CA[input.status], now,
        });
      }
      return {
        file: cardFileSchema.parse({
          cardNumber: card.cardNumber,
          signing: await usageFile(issued.signing),
          encryption: await usageFile(issued.encryption),
          pin,
        }),
        cardId: card.id,
        certificates: card.certificates.map(({ usage, serialNumber, notBefore, notAfter, status }) => ({
          usage, serialNumber, notBefore, notAfter, status,
        })),
      };
    } catch (error) {
      if (!isCardNumberTaken(error)) throw error;
      if (requestedNumber) throw new Error(`card number ${requestedNumber} is already recorded`, { cause: error });
      if (attempt >= GENERATED_NUMBER_ATTEMPTS) throw error;
      // A generated number collided with an existing card: draw another (the transaction recorded nothing).
    }
  }
}

/** Card numbers are two letters + 14 digits (e.g. TP03120111098939); test cards use TP + 14 random digits. */
export function randomCardNumber(): string {
  let digits = "";
  for (let i = 0; i < 14; i++) digits += randomInt(10);
  return `TP${digits}`;
}

function recordedStatus(status: IssuedCardStatus, notAfter: Date, now: Date): CertificateStatus {
  if (status === "suspended") return "SUSPENDED";
  if (status === "revoked") return "REVOKED";
  // Same boundary as expireLapsedCertificates: at notAfter the certificate is over.
  return notAfter.getTime() <= now.getTime() ? "EXPIRED" : "VALID";
}

async function usageFile({ certificate, keys }: IssuedCertificate) {
  return { certPem: certificate.toString("pem"), keyPem: await privateKeyPem(keys.privateKey) };
}

function isCardNumberTaken(error: unknown): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    error.code === "P2002" &&
    /card_number|cardNumber/.test(JSON.stringify(error.meta ?? {}))
  );
}
