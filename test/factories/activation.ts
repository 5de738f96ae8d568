// A reissued card waiting for activation, as fulfilment leaves it: the order MAILED (or DELIVERED) with its
// registered mail, the new card recorded by recordReplacementCard with both certificates AWAITING_ACTIVATION,
// issued by the test CA for keys made here — so the card file can go into the card simulator and sign.
import { randomBytes, randomInt } from "node:crypto";
import type { CardFile } from "../../app/cards/card-file";
import { nationalIdHash } from "../../app/cards/national-id.server";
import { nationalIdLast4 } from "../../app/cards/national-id";
import { loadTestCa, newKeyPair, privateKeyPem, issueHolderCertificateForKey } from "../../app/cards/test-ca.server";
import { recordReplacementCard } from "../../app/fulfilment/replacement-card.server";
import { prisma } from "../../app/lib/db.server";
import { x509 } from "../../app/lib/x509.server";
import { createPaidOrderFixture, createPrintBatchFixture, testMailNumber } from "./fulfilment";
import { nationalIdWithCheckDigit } from "./national-ids";

export { TEST_USER_CODE } from "./orders";

let sequence = 0;

/** 2 letters + 14 digits; TP9… like the demo vendor's new cards. */
function newCardNumber(): string {
  let digits = "";
  for (let i = 0; i < 13; i++) digits += randomInt(10);
  return `TP9${digits}`;
}

export async function createAwaitingActivationFixture(options: {
  status?: "MAILED" | "DELIVERED";
  holderName?: string;
  nationalId?: string;
  /** The new card's number (default: TP9 + 13 random digits). */
  cardNumber?: string;
} = {}) {
  const name = options.holderName ?? "王小明";
  const nationalId =
    options.nationalId ?? nationalIdWithCheckDigit(`A2${String((process.pid * 1000 + ++sequence + randomBytes(2).readUInt16BE()) % 10_000_000).padStart(7, "0")}`);
  const holder = await prisma.holder.create({
    data: { nationalIdHash: nationalIdHash(nationalId), nationalIdLast4: nationalIdLast4(nationalId), name },
  });
  const oldCard = await prisma.card.create({ data: { cardNumber: newCardNumber().replace(/^TP9/, "TP0"), holderId: holder.id } });
  const paid = await createPaidOrderFixture({ holderName: name, appliedWith: { holderId: holder.id, cardId: oldCard.id } });
  const batch = await createPrintBatchFixture({ orderIds: [paid.order.id], status: "COMPLETED", itemStatus: "DISPATCHED" });
  const item = batch.items[0]!;

  const ca = await loadTestCa();
  const cardNumber = options.cardNumber ?? newCardNumber();
  const issue = async (usage: "SIGNING" | "ENCRYPTION") => {
    const keys = await newKeyPair();
    const certificate = await issueHolderCertificateForKey(ca, {
      name, idLast4: nationalIdLast4(nationalId), usage, notBefore: item.validFrom, notAfter: item.validUntil, publicKey: keys.publicKey,
      cardNumber,
    });
    return { keys, certificate, der: new Uint8Array(certificate.rawData) };
  };
  const signing = await issue("SIGNING");
  const encryption = await issue("ENCRYPTION");
  const { cardId } = await prisma.$transaction((tx) =>
    recordReplacementCard(tx, { orderId: paid.order.id, holderId: holder.id, cardNumber, signing: signing.der, encryption: encryption.der }),
  );

  const dispatchedAt = new Date();
  const registeredMail = await prisma.registeredMail.create({
    data: {
      orderId: paid.order.id,
      mailNumber: testMailNumber(),
      dispatchedAt,
      estimatedFrom: dispatchedAt,
      estimatedTo: dispatchedAt,
      status: options.status === "DELIVERED" ? "DELIVERED" : "ACCEPTED",
      statusAt: dispatchedAt,
    },
  });
  const order = await prisma.reissueOrder.update({ where: { id: paid.order.id }, data: { status: options.status ?? "MAILED" } });

  const pem = async (part: typeof signing) => ({
    certPem: x509.PemConverter.encode(part.der.slice().buffer, "CERTIFICATE"),
    keyPem: await privateKeyPem(part.keys.privateKey),
  });
  const cardFile: CardFile = { cardNumber, signing: await pem(signing), encryption: await pem(encryption), pin: "123456" };
  const base64 = (der: Uint8Array) => Buffer.from(der).toString("base64");
  return {
    order,
    holder,
    nationalId,
    oldCardId: oldCard.id,
    newCardId: cardId,
    cardNumber,
    registeredMail,
    /** certb64 of both certificates, as HiCOS's pkcs11info lists them. */
    certificates: [base64(signing.der), base64(encryption.der)],
    cardFile,
    /** What the activation page posts after reading the card. */
    reading: { cardNumber, certificates: [base64(signing.der), base64(encryption.der)] },
  };
}
