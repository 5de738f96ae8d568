// What the card's signing key produces for MakeSignature: a bare PKCS#1 v1.5 signature, or a CMS SignedData
// (PKCS#7) with the content attached, the signing certificate included and the usual signed attributes
// (contentType, signingTime, messageDigest), as HiCOS returns it.
import { createHash, sign, type KeyObject } from "node:crypto";
import {
  Attribute, CertificateChoices, CertificateSet, CMSVersion, ContentInfo, DigestAlgorithmIdentifiers,
  EncapsulatedContent, EncapsulatedContentInfo, IssuerAndSerialNumber, SignedData, SignerIdentifier, SignerInfo,
  SignerInfos, SigningTime, id_contentType, id_data, id_messageDigest, id_signedData, id_signingTime,
} from "@peculiar/asn1-cms";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, Certificate } from "@peculiar/asn1-x509";
import { derLength } from "../../app/lib/der";

export const HASHES = {
  SHA256: { node: "sha256", oid: "2.16.840.1.101.3.4.2.1", withRsa: "1.2.840.113549.1.1.11" },
  SHA384: { node: "sha384", oid: "2.16.840.1.101.3.4.2.2", withRsa: "1.2.840.113549.1.1.12" },
  SHA512: { node: "sha512", oid: "2.16.840.1.101.3.4.2.3", withRsa: "1.2.840.113549.1.1.13" },
} as const;

export type HashAlgorithm = keyof typeof HASHES;

/** RSASSA-PKCS1-v1_5 over the hash of data (node's default RSA padding). */
export function signPkcs1({ key, data, hash }: { key: KeyObject; data: Uint8Array; hash: HashAlgorithm }): Uint8Array {
  return new Uint8Array(sign(HASHES[hash].node, data, key));
}

// DER of the content-type OID id-data; asn1-schema has no standalone OBJECT IDENTIFIER type to serialize.
const ID_DATA_DER = Uint8Array.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]);

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function signPkcs7({
  key, certificateDer, data, hash, signingTime = new Date(),
}: { key: KeyObject; certificateDer: Uint8Array; data: Uint8Array; hash: HashAlgorithm; signingTime?: Date }): Uint8Array {
  const algorithm = HASHES[hash];
  const certificate = AsnConvert.parse(certificateDer, Certificate);
  const digest = createHash(algorithm.node).update(data).digest();

  // DER wants a SET OF sorted by encoding; the signature covers that SET (tag 0x31), not the [0] it sits in.
  const attributes = [
    new Attribute({ attrType: id_contentType, attrValues: [ID_DATA_DER.slice().buffer] }),
    new Attribute({ attrType: id_signingTime, attrValues: [AsnConvert.serialize(new SigningTime(signingTime))] }),
    new Attribute({ attrType: id_messageDigest, attrValues: [AsnConvert.serialize(new OctetString(digest))] }),
  ]
    .map((attribute) => ({ attribute, der: new Uint8Array(AsnConvert.serialize(attribute)) }))
    .sort((a, b) => compareBytes(a.der, b.der));
  const body = Buffer.concat(attributes.map((a) => a.der));
  const signedAttributesDer = Buffer.concat([Uint8Array.of(0x31), derLength(body.length), body]);
  const signature = sign(algorithm.node, signedAttributesDer, key);

  const signerInfo = new SignerInfo({
    version: CMSVersion.v1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({
        issuer: certificate.tbsCertificate.issuer,
        serialNumber: certificate.tbsCertificate.serialNumber,
      }),
    }),
    digestAlgorithm: new AlgorithmIdentifier({ algorithm: algorithm.oid, parameters: null }),
    signedAttrs: attributes.map((a) => a.attribute),
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: algorithm.withRsa, parameters: null }),
    signature: new OctetString(signature),
  });
  const signedData = new SignedData({
    version: CMSVersion.v1,
    digestAlgorithms: new DigestAlgorithmIdentifiers([new AlgorithmIdentifier({ algorithm: algorithm.oid, parameters: null })]),
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: id_data,
      eContent: new EncapsulatedContent({ single: new OctetString(data) }),
    }),
    certificates: new CertificateSet([new CertificateChoices({ certificate })]),
    signerInfos: new SignerInfos([signerInfo]),
  });
  const contentInfo = new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) });
  return new Uint8Array(AsnConvert.serialize(contentInfo));
}
