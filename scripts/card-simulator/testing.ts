// Card files for the simulator's tests, in the layout the seed writes: DIR/<folder>/card.json.
import path from "node:path";
import { writeCardFile } from "../../app/cards/card-file";
import { createTestIssuer, issueCardCertificate, type TestIssuer } from "../../test/factories/certificates";

function pem(label: string, der: ArrayBuffer | Uint8Array): string {
  const base64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString("base64");
  return `-----BEGIN ${label}-----\n${base64.replace(/(.{64})/g, "$1\n").trimEnd()}\n-----END ${label}-----\n`;
}

export interface TestCard {
  cardNumber: string;
  dir: string;
  pin: string;
  signingCertDer: Uint8Array;
  encryptionCertDer: Uint8Array;
}

let issuer: Promise<TestIssuer> | undefined;

export async function writeTestCard({
  cardsDir, cardNumber, pin, name = "王小明", folder = cardNumber.toLowerCase(),
}: { cardsDir: string; cardNumber: string; pin?: string; name?: string; folder?: string }): Promise<TestCard> {
  issuer ??= createTestIssuer();
  const validity = { notBefore: new Date("2020-01-01T00:00:00Z"), notAfter: new Date("2028-01-01T00:00:00Z") };
  const [signing, encryption] = await Promise.all(
    (["SIGNING", "ENCRYPTION"] as const).map(async (usage) =>
      issueCardCertificate({ issuer: await issuer!, name, idLast4: "1234", usage, ...validity }),
    ),
  );
  const pair = async (cert: { der: Uint8Array; keys: CryptoKeyPair }) => ({
    certPem: pem("CERTIFICATE", cert.der),
    keyPem: pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", cert.keys.privateKey)),
  });
  const dir = path.join(cardsDir, folder);
  await writeCardFile(dir, { cardNumber, signing: await pair(signing!), encryption: await pair(encryption!), ...(pin && { pin }) });
  return { cardNumber, dir, pin: pin ?? "123456", signingCertDer: signing!.der, encryptionCertDer: encryption!.der };
}
