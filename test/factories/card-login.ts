// A card login as the login page makes it: a challenge (and the pre-login cookie's token the browser keeps), the
// challenge's tbs signed with the card's key the way HiCOS does, and the body the page posts to /auth/card/verify.
import { createPrivateKey, type KeyObject } from "node:crypto";
import { issueChallenge } from "~/auth/challenge.server";
import type { CardFile } from "~/cards/card-file";
import { x509 } from "~/lib/x509.server";
import { signPkcs1, signPkcs7 } from "../../scripts/card-simulator/signing";

export interface CardSigningKey {
  key: KeyObject;
  certificateDer: Uint8Array;
  cardNumber: string;
}

/** The signing (or encryption) key and certificate of a card file, as the card holds them. */
export function cardSigningKey(file: CardFile, usage: "signing" | "encryption" = "signing"): CardSigningKey {
  return {
    key: createPrivateKey(file[usage].keyPem),
    certificateDer: new Uint8Array(x509.PemConverter.decodeFirst(file[usage].certPem)),
    cardNumber: file.cardNumber,
  };
}

export type ChallengeAnswer = Awaited<ReturnType<typeof issueChallenge>>;

export interface SignedCardLogin {
  body: { nonce: string; signatureType: "PKCS1" | "PKCS7"; signature: string; certb64: string; cardSN: string };
  /** What the browser's pre-login cookie holds for this challenge. */
  preLoginToken: string;
  challenge: ChallengeAnswer;
}

/** Signs the bytes HiCOS would be handed (the challenge's tbs unless `tbs` says otherwise) with the card's key. */
export function signAsCard(card: CardSigningKey, text: string, signatureType: "PKCS1" | "PKCS7" = "PKCS1"): string {
  const data = new TextEncoder().encode(text);
  const signature =
    signatureType === "PKCS1"
      ? signPkcs1({ key: card.key, data, hash: "SHA256" })
      : signPkcs7({ key: card.key, certificateDer: card.certificateDer, data, hash: "SHA256" });
  return Buffer.from(signature).toString("base64");
}

export async function signedCardLogin(
  card: CardSigningKey,
  { signatureType = "PKCS1", tbs }: { signatureType?: "PKCS1" | "PKCS7"; tbs?: (challenge: ChallengeAnswer) => string } = {},
): Promise<SignedCardLogin> {
  const challenge = await issueChallenge();
  return {
    body: {
      nonce: challenge.nonce,
      signatureType,
      signature: signAsCard(card, tbs ? tbs(challenge) : challenge.tbs, signatureType),
      certb64: Buffer.from(card.certificateDer).toString("base64"),
      cardSN: card.cardNumber,
    },
    preLoginToken: challenge.preLoginToken,
    challenge,
  };
}
