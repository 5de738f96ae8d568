// The card-printing vendor lives outside the machine: tests answer its API with the demo vendor's core, the same one
// `npm start` serves over HTTP (scripts/demo-partners/vendor.ts). Add per test: server.use(...vendorHandlers(vendor, url)).
import { randomBytes } from "node:crypto";
import { http } from "msw";
import { RSA_SHA256, type TestCa } from "~/cards/test-ca.server";
import type { CertificateDelivery, VendorCard } from "~/fulfilment/vendor-protocol";
import { x509 } from "~/lib/x509.server";
import type { DemoVendor } from "../../scripts/demo-partners/vendor";

/** Every method and path under `baseUrl`, handed to the demo vendor as it arrived (signature header and raw body). */
export function vendorHandlers(vendor: DemoVendor, baseUrl: string) {
  return [http.all(`${baseUrl.replace(/\/+$/, "")}/*`, ({ request }) => vendor.handle(request))];
}

type PersonalisedCard = Extract<VendorCard, { state: "personalised" }>;

/**
 * Certificates for a personalised card's two CSR keys, issued by the test CA: enough for the vendor's checks in
 * tests of the vendor itself. (The service issues through its own CA code; this is not that.)
 */
export async function testCertificatesFor(ca: Pick<TestCa, "issuing" | "issuingKey">, card: PersonalisedCard): Promise<CertificateDelivery> {
  const issue = async (csrBase64: string) => {
    const csr = new x509.Pkcs10CertificateRequest(Buffer.from(csrBase64, "base64"));
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: `40${randomBytes(15).toString("hex")}`,
      subject: [{ C: ["TW"] }, { CN: ["測試持卡人"] }, { "2.5.4.5": ["0000"] }],
      issuer: ca.issuing.subjectName,
      notBefore: new Date("2025-01-01T00:00:00Z"),
      notAfter: new Date("2030-01-01T00:00:00Z"),
      publicKey: await csr.publicKey.export(),
      signingKey: ca.issuingKey,
      signingAlgorithm: RSA_SHA256,
    });
    return Buffer.from(certificate.rawData).toString("base64");
  };
  return { cardNumber: card.cardNumber, signingCertificate: await issue(card.signingCsr), encryptionCertificate: await issue(card.encryptionCsr) };
}
