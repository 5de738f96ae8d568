// Which certificate authorities a card's certificate must chain to. Production: the configured GRCA root(s)
// (CARD_TRUST_ANCHORS) and MOICA issuing CA(s) (CARD_INTERMEDIATES), PEM files. Elsewhere: the local test CA.
import { readFileSync } from "node:fs";
import { loadTestCa, testCaTrust } from "~/cards/test-ca.server";
import { env } from "~/lib/env.server";
import { x509 } from "~/lib/x509.server";

export interface TrustStore {
  anchors: x509.X509Certificate[];
  intermediates: x509.X509Certificate[];
}

export class ChainRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "ChainRejected";
  }
}

function readPemFiles(list: string): x509.X509Certificate[] {
  return list.split(",").flatMap((file) => {
    const pem = readFileSync(file.trim(), "utf8");
    return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((block) => new x509.X509Certificate(block)) ?? [];
  });
}

let cached: Promise<TrustStore> | undefined;

export function trustStore(): Promise<TrustStore> {
  cached ??= (async () => {
    const { CARD_TRUST_ANCHORS, CARD_INTERMEDIATES, NODE_ENV } = env();
    if (CARD_TRUST_ANCHORS) {
      return { anchors: readPemFiles(CARD_TRUST_ANCHORS), intermediates: CARD_INTERMEDIATES ? readPemFiles(CARD_INTERMEDIATES) : [] };
    }
    if (NODE_ENV === "production") throw new Error("CARD_TRUST_ANCHORS is required in production");
    return testCaTrust(await loadTestCa());
  })();
  return cached;
}

function isCa(certificate: x509.X509Certificate): boolean {
  return certificate.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

function validAt(certificate: x509.X509Certificate, now: Date): boolean {
  return certificate.notBefore <= now && now <= certificate.notAfter;
}

/**
 * Builds leaf → issuing CA → … → anchor by name, checking each signature, that every issuer is a CA, and that
 * the CAs are valid now. The leaf's own validity is the caller's: an expired card may still log in within the
 * reissue window (003). Returns the chain, leaf first.
 */
export async function verifyChain(leaf: x509.X509Certificate, store: TrustStore, now: Date): Promise<x509.X509Certificate[]> {
  if (isCa(leaf)) throw new ChainRejected("a CA certificate cannot log in");
  const chain = [leaf];
  let current = leaf;
  for (let depth = 0; depth < 5; depth++) {
    const anchor = store.anchors.find((a) => a.subject === current.issuer);
    const issuer = anchor ?? store.intermediates.find((c) => c.subject === current.issuer);
    if (!issuer) throw new ChainRejected("the certificate is not issued by a trusted certificate authority");
    if (!isCa(issuer)) throw new ChainRejected("the issuer is not a certificate authority");
    if (!validAt(issuer, now)) throw new ChainRejected("the issuing certificate authority is not valid now");
    const signedByIssuer = await current.verify({ publicKey: issuer.publicKey, signatureOnly: true });
    if (!signedByIssuer) throw new ChainRejected("the certificate's signature does not verify (tampered or forged)");
    chain.push(issuer);
    if (anchor) return chain;
    current = issuer;
  }
  throw new ChainRejected("the certificate chain is too long");
}
