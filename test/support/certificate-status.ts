// A certificate status source for tests: the service's database source, with what the CA says changed by the test —
// a certificate revoked or suspended since login, or the CA not answering at all. Passed by injection, never mocked.
import type { CertificateStatus } from "../../app/generated/prisma/client";
import {
  CertificateStatusUnavailable, databaseCertificateStatus, type CertificateStatusSource,
} from "../../app/auth/certificate-status.server";

export interface ControlledCertificateStatus extends CertificateStatusSource {
  /** The CA now answers this status for the certificate (by certificate id). */
  set(certificateId: string, status: CertificateStatus): void;
  /** From now on every look-up throws CertificateStatusUnavailable (responder and CRL both unreachable). */
  goDown(): void;
  /** How many look-ups were made. */
  readonly lookUps: number;
}

export function controlledCertificateStatus(base: CertificateStatusSource = databaseCertificateStatus): ControlledCertificateStatus {
  const changed = new Map<string, CertificateStatus>();
  let down = false;
  let lookUps = 0;
  return {
    async lookUp(certificate) {
      lookUps++;
      if (down) throw new CertificateStatusUnavailable();
      const known = await base.lookUp(certificate);
      if (!known) return null;
      const status = changed.get(known.certificateId);
      return status ? { ...known, status } : known;
    },
    set(certificateId, status) {
      changed.set(certificateId, status);
    },
    goDown() {
      down = true;
    },
    get lookUps() {
      return lookUps;
    },
  };
}
