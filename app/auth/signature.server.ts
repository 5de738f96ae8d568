// Verifies what the card signed through HiCOS: a PKCS#1 v1.5 signature (SHA-256) made with the signing
// certificate's key, or a CMS/PKCS#7 SignedData carrying that signature. Either way, over the exact bytes of our
// one-time login text (loginTbs: this site's origin and the nonce) — a signature over anything else proves nothing.
import { createHash } from "node:crypto";
import { ContentInfo, SignedData, id_signedData, type Attribute } from "@peculiar/asn1-cms";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { x509 } from "~/lib/x509.server";
import { derLength } from "~/lib/der";

const OID = {
  sha256: "2.16.840.1.101.3.4.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  data: "1.2.840.113549.1.7.1",
} as const;

const RSA_SHA256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/** Why a signature was not accepted; the caller turns it into a 400 for the user. */
export class SignatureRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "SignatureRejected";
  }
}

async function rsaVerify(certificate: x509.X509Certificate, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  let key: CryptoKey;
  try {
    key = await certificate.publicKey.export(RSA_SHA256, ["verify"]);
  } catch {
    throw new SignatureRejected("the certificate's key is not an RSA key"); // MOICA cards hold RSA keys
  }
  return crypto.subtle.verify(RSA_SHA256, key, Uint8Array.from(signature), Uint8Array.from(data));
}

export async function verifyPkcs1({
  certificate, signature, data,
}: { certificate: x509.X509Certificate; signature: Uint8Array; data: Uint8Array }): Promise<void> {
  if (!(await rsaVerify(certificate, signature, data))) throw new SignatureRejected("the signature does not match");
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * RFC 5652 §5.4: the signature covers the signed attributes' DER with the SET OF tag (0x31), not the [0] tag
 * they sit under. asn1-schema keeps no raw copy when it parses them nested, so re-encode them in the order
 * received: attribute values are kept as raw bytes, so a DER signer's encoding comes back byte for byte.
 */
function signedAttributesDer(attributes: Attribute[]): Uint8Array {
  const body = Buffer.concat(attributes.map((attribute) => new Uint8Array(AsnConvert.serialize(attribute))));
  return Uint8Array.from(Buffer.concat([Uint8Array.of(0x31), derLength(body.length), body]));
}

/**
 * A CMS SignedData with exactly one signer, whose certificate is the one HiCOS reported (certb64), signing
 * `data` — attached (eContent equal to data) or detached. With signed attributes (what HiCOS produces) the
 * messageDigest must be SHA-256(data) and the signature covers the attributes' DER as a SET.
 */
export async function verifyPkcs7({
  certificate, signedData, data,
}: { certificate: x509.X509Certificate; signedData: Uint8Array; data: Uint8Array }): Promise<void> {
  let signed: SignedData;
  try {
    const info = AsnConvert.parse(Uint8Array.from(signedData), ContentInfo);
    if (info.contentType !== id_signedData) throw new SignatureRejected("the PKCS#7 structure is not SignedData");
    signed = AsnConvert.parse(info.content, SignedData);
  } catch (error) {
    if (error instanceof SignatureRejected) throw error;
    throw new SignatureRejected("the PKCS#7 signature is malformed");
  }
  if (signed.signerInfos.length !== 1) throw new SignatureRejected("the PKCS#7 signature must have exactly one signer");
  const signer = signed.signerInfos[0]!;
  if (signer.digestAlgorithm.algorithm !== OID.sha256) throw new SignatureRejected("the PKCS#7 digest must be SHA-256");
  if (![OID.rsaEncryption, OID.sha256WithRsa].includes(signer.signatureAlgorithm.algorithm as never)) {
    throw new SignatureRejected("the PKCS#7 signature algorithm must be RSA with SHA-256");
  }

  const attached = signed.encapContentInfo.eContent?.single?.buffer ?? signed.encapContentInfo.eContent?.any;
  if (attached && !bytesEqual(new Uint8Array(attached), data)) {
    throw new SignatureRejected("the PKCS#7 signature covers other content than the challenge");
  }

  // The signer must be the certificate HiCOS reported, so that chain and status checks apply to the signer.
  const embedded = (signed.certificates ?? []).flatMap((choice) => (choice.certificate ? [choice.certificate] : []));
  const reported = AsnConvert.parse(certificate.rawData, Certificate);
  const sid = signer.sid.issuerAndSerialNumber;
  const sidMatches =
    sid &&
    bytesEqual(new Uint8Array(AsnConvert.serialize(sid.issuer)), new Uint8Array(AsnConvert.serialize(reported.tbsCertificate.issuer))) &&
    bytesEqual(new Uint8Array(sid.serialNumber), new Uint8Array(reported.tbsCertificate.serialNumber));
  const skid = signer.sid.subjectKeyIdentifier;
  const skidMatches =
    skid && certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId === Buffer.from(skid.buffer).toString("hex");
  if (!sidMatches && !skidMatches) throw new SignatureRejected("the PKCS#7 signer is not the reported certificate");
  if (embedded.length > 0 && !embedded.some((c) => bytesEqual(new Uint8Array(AsnConvert.serialize(c)), new Uint8Array(certificate.rawData)))) {
    throw new SignatureRejected("the PKCS#7 signature carries another certificate");
  }

  let signedBytes: Uint8Array;
  if (signer.signedAttrs) {
    const digestAttr = signer.signedAttrs.find((attr) => attr.attrType === OID.messageDigest);
    const typeAttr = signer.signedAttrs.find((attr) => attr.attrType === OID.contentType);
    if (!digestAttr?.attrValues[0] || !typeAttr?.attrValues[0]) {
      throw new SignatureRejected("the PKCS#7 signed attributes lack contentType or messageDigest");
    }
    const digest = new Uint8Array(AsnConvert.parse(digestAttr.attrValues[0], OctetString).buffer);
    const expected = createHash("sha256").update(data).digest();
    if (!bytesEqual(digest, expected)) throw new SignatureRejected("the PKCS#7 signature covers other content than the challenge");
    signedBytes = signedAttributesDer(signer.signedAttrs);
  } else {
    signedBytes = data;
  }
  if (!(await rsaVerify(certificate, new Uint8Array(signer.signature.buffer), signedBytes))) {
    throw new SignatureRejected("the signature does not match");
  }
}
