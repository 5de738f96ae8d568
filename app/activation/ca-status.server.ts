// Issue 13: the new card's certificates become valid only if the CA has neither revoked nor suspended them since
// they were issued (a card lost in the post and revoked at a counter must not come alive at activation).
import { withdrawnAtCa } from "~/auth/card-recheck.server";
import { certificateStatusSource, type CertificateStatusSource } from "~/auth/certificate-status.server";
import { activationError } from "./activation-errors.server";

/**
 * Asks the CA about each certificate read from the card (one look-up each). Throws CERTIFICATES_UNAVAILABLE when
 * one is revoked, suspended or unknown to it, and CertificateStatusUnavailable (503) when the CA cannot answer.
 */
export async function assertNotWithdrawnAtCa({ certificates, statusSource = certificateStatusSource() }: {
  /** Base64 DER, as the activation page read them (already matched to the card's own). */
  certificates: string[];
  statusSource?: CertificateStatusSource;
}): Promise<void> {
  const ders = certificates.map((b64) => new Uint8Array(Buffer.from(b64, "base64")));
  if (await withdrawnAtCa({ certificates: ders, statusSource })) throw activationError("CERTIFICATES_UNAVAILABLE");
}
