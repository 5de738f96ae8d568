// The HiCOS answers: /pkcs11info's slot list and /sign's MakeSignature, with HiCOS's ret_code / last_error
// values (app/auth/hicos.client.ts names them; docs/card-simulator.md says which parts are confirmed).
import { HICOS_LAST_ERROR, HICOS_RET_CODE } from "../../app/auth/hicos.client";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate, type Name } from "@peculiar/asn1-x509";
import { type CardCertificate, type CardStore, type SimulatedCard } from "./cards";
import { verifyPin } from "./card-state";
import { HASHES, signPkcs1, signPkcs7, type HashAlgorithm } from "./signing";

/** Reported as serverVersion / version; sample pages compare it with "1.3.4.x", so it sorts above those. */
export const SIMULATOR_VERSION = "1.3.5-simulator";

export type HicosReply = { func: string; ret_code: number; last_error: number } & Record<string, unknown>;

const failure = (func: string, ret_code: number, last_error = 0): HicosReply => ({ func, ret_code, last_error });

// HiCOS's own DN strings read "C=TW,CN=…,serialNumber=…": certificate order, no spaces (its samples split on ",").
const ATTRIBUTE_NAMES: Record<string, string> = {
  "2.5.4.6": "C", "2.5.4.3": "CN", "2.5.4.5": "serialNumber", "2.5.4.10": "O", "2.5.4.11": "OU",
  "2.5.4.7": "L", "2.5.4.8": "ST", "1.2.840.113549.1.9.1": "E",
};

function distinguishedName(name: Name): string {
  return name
    .flatMap((rdn) => rdn.map((attribute) => `${ATTRIBUTE_NAMES[attribute.type] ?? attribute.type}=${attribute.value.toString()}`))
    .join(",");
}

function certEntry(cert: CardCertificate, label: string, usage: string) {
  const { certificate } = cert;
  const { tbsCertificate } = AsnConvert.parse(cert.der, Certificate);
  return {
    label,
    usage,
    sn: certificate.serialNumber.toLowerCase(),
    subjectDN: distinguishedName(tbsCertificate.subject),
    issuerDN: distinguishedName(tbsCertificate.issuer),
    subjectCN: certificate.subjectName.getField("CN")[0] ?? "",
    subjectID: certificate.subjectName.getField("2.5.4.5")[0] ?? "",
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    certb64: Buffer.from(cert.der).toString("base64"),
  };
}

/** GET /pkcs11info[?withcert=true]: one reader, with the inserted card's token (and certificates) if any. */
export function pkcs11Info(card: SimulatedCard | undefined, withCert: boolean): HicosReply {
  const slot: Record<string, unknown> = { slotDescription: "Simulated reader 0" };
  if (card) {
    slot.token = {
      label: "MOICA (simulated)",
      serialNumber: card.cardNumber,
      manufacturerID: "HiCOS card simulator",
      model: "MOICA",
      ...(withCert && {
        certs: [
          certEntry(card.signing, "cert1", "digitalSignature"),
          certEntry(card.encryption, "cert2", "keyEncipherment|dataEncipherment"),
        ],
      }),
    };
  }
  return { func: "pkcs11info", ret_code: 0, last_error: 0, serverVersion: SIMULATOR_VERSION, slots: [slot] };
}

/**
 * The JSON a page sent through the popup, from a POST /sign body: HiCOS's form field `tbsPackage=<json>`
 * (URL-decoded, as HiCOS does — hence its samples' "+" → "%2B"), or a bare JSON body.
 */
export function readTbsPackage(body: string, contentType: string | undefined): string {
  const form = /application\/x-www-form-urlencoded/i.test(contentType ?? "") || body.startsWith("tbsPackage=");
  return form ? (new URLSearchParams(body).get("tbsPackage") ?? "") : body;
}

type SignRequest = { tbs: Uint8Array; pin: string; hash: HashAlgorithm; signatureType: "PKCS1" | "PKCS7"; withCardSN: boolean };

function parseSignRequest(text: string): SignRequest | HicosReply {
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch {
    return failure("sign", HICOS_RET_CODE.malformedJson);
  }
  if (!request || typeof request !== "object" || Array.isArray(request)) return failure("sign", HICOS_RET_CODE.malformedJson);
  const r = request as Record<string, unknown>;
  if (r.func !== "MakeSignature") return failure(typeof r.func === "string" ? r.func : "sign", HICOS_RET_CODE.unsupportedFunction);
  const strings = ["tbs", "pin", "tbsEncoding", "hashAlgorithm", "signatureType", "withCardSN", "nonce"] as const;
  if (strings.some((field) => r[field] !== undefined && typeof r[field] !== "string" && typeof r[field] !== "boolean")) {
    return failure("sign", HICOS_RET_CODE.badParameter);
  }
  const field = (name: (typeof strings)[number]) => (r[name] === undefined ? "" : String(r[name]));
  if (!field("tbs")) return failure("sign", HICOS_RET_CODE.noTbs);
  if (!field("pin")) return failure("sign", HICOS_RET_CODE.noPin);

  const encoding = field("tbsEncoding").toLowerCase();
  let tbs: Uint8Array;
  if (encoding === "" || encoding === "none") tbs = new TextEncoder().encode(field("tbs"));
  else if (encoding === "base64") {
    const b64 = field("tbs").replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) return failure("sign", HICOS_RET_CODE.base64Decode);
    tbs = new Uint8Array(Buffer.from(b64, "base64"));
  } else return failure("sign", HICOS_RET_CODE.badParameter);

  const hash = (field("hashAlgorithm").toUpperCase().replace("-", "") || "SHA256") as HashAlgorithm;
  if (!(hash in HASHES)) return failure("sign", HICOS_RET_CODE.badParameter);
  const signatureType = (field("signatureType").toUpperCase() || "PKCS7") as SignRequest["signatureType"];
  if (signatureType !== "PKCS1" && signatureType !== "PKCS7") return failure("sign", HICOS_RET_CODE.badSignatureType);
  return { tbs, pin: field("pin"), hash, signatureType, withCardSN: field("withCardSN").toLowerCase() === "true" };
}

/** HiCOS's signed 32-bit encoding of its "wrong PIN, n tries left" codes. */
const signed32 = (n: number) => n | 0;

/** POST /sign: MakeSignature with the inserted card. `note` gets a log line's worth of outcome (no secrets). */
export async function makeSignature(store: CardStore, text: string, note: (s: string) => void): Promise<HicosReply> {
  const request = parseSignRequest(text);
  if ("ret_code" in request) {
    note(`MakeSignature refused ret_code=0x${request.ret_code.toString(16)}`);
    return request;
  }
  const card = await store.inserted();
  if (!card) {
    note("MakeSignature: no card");
    return failure("sign", HICOS_RET_CODE.noCard);
  }
  const reply = await signWithCard(card, request);
  note(`MakeSignature ${request.signatureType} card=${card.cardNumber} ret_code=0x${reply.ret_code.toString(16)}` +
    (reply.last_error ? ` last_error=0x${(reply.last_error >>> 0).toString(16)}` : ""));
  return reply;
}

async function signWithCard(card: SimulatedCard, request: SignRequest): Promise<HicosReply> {
  if (request.pin.length < 6 || request.pin.length > 8) {
    return failure("sign", HICOS_RET_CODE.cardLoginFailed, HICOS_LAST_ERROR.pinLength);
  }
  const check = await verifyPin(card, request.pin);
  if (check.result === "locked") return failure("sign", HICOS_RET_CODE.cardLoginFailed, HICOS_LAST_ERROR.pinLocked);
  if (check.result === "wrong") {
    const code = check.attemptsLeft === 1 ? HICOS_LAST_ERROR.pinIncorrectOneLeft : HICOS_LAST_ERROR.pinIncorrectTwoLeft;
    return failure("sign", HICOS_RET_CODE.cardLoginFailed, signed32(code));
  }
  const { key, der } = card.signing;
  const signature =
    request.signatureType === "PKCS1"
      ? signPkcs1({ key, data: request.tbs, hash: request.hash })
      : signPkcs7({ key, certificateDer: der, data: request.tbs, hash: request.hash });
  return {
    func: "sign",
    ret_code: 0,
    last_error: 0,
    signature: Buffer.from(signature).toString("base64"),
    certb64: Buffer.from(der).toString("base64"),
    ...(request.withCardSN && { cardSN: card.cardNumber }),
    version: SIMULATOR_VERSION,
  };
}
