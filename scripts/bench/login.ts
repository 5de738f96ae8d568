// `npm run bench:login`: card-login verifications per second (challenge consumed, signature, chain, CA status,
// eligibility, audit) against this same run's raw WebCrypto RSA verify rate — a ratio, so that it means the
// same on a busy or an idle machine. Runs in a throwaway database on the dev cluster (or DATABASE_URL's server).
import { createPrivateKey } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { deployMigrations } from "../migrate/engine";
import { repoRoot } from "../services/dev-environment";

const LOGINS = Number(process.env.BENCH_LOGINS ?? 300);
const adminUrl = new URL(process.env.DATABASE_URL!);
const benchDb = `bench_login_${Date.now()}`;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

await admin(`CREATE DATABASE "${benchDb}"`);
const url = new URL(adminUrl);
url.pathname = `/${benchDb}`;
process.env.DATABASE_URL = url.toString();
process.env.LOG_LEVEL = "silent";
process.env.QUEUE_PREFIX = benchDb;

try {
  await deployMigrations({
    databaseUrl: url.toString(),
    migrationsDir: path.join(repoRoot, "prisma/migrations"),
    schemaPath: path.join(repoRoot, "prisma/schema.prisma"),
  });
  // Every login asks the CA whether the card is revoked: the test CA's responder, in this process (the status
  // answer is cached for a minute, so the timed loop measures one OCSP round trip and then the cache).
  const { startOcspResponder } = await import("../ocsp-responder/server");
  const responder = await startOcspResponder();
  Object.assign(process.env, { CARD_OCSP_URL: responder.url, CARD_CRL_URL: responder.crlUrl });
  const { issueCard } = await import("~/cards/issue-card.server");
  const { issueChallenge } = await import("~/auth/challenge.server");
  const { verifyCardLogin } = await import("~/auth/card-login.server");
  const { trustStore } = await import("~/auth/trust.server");
  const { disconnectAll } = await import("~/lib/shutdown.server");
  const { x509 } = await import("~/lib/x509.server");
  const { signPkcs1 } = await import("../card-simulator/signing");

  const issuedAt = new Date();
  issuedAt.setUTCFullYear(issuedAt.getUTCFullYear() - 2);
  const card = await issueCard({ nationalId: "A123456789", name: "王小明", issuedAt, extended: true, status: "valid" });
  const key = createPrivateKey(card.file.signing.keyPem);
  const certDer = new Uint8Array(x509.PemConverter.decodeFirst(card.file.signing.certPem));
  await trustStore(); // load the CA once, outside the timing

  // The card's part (challenge and signing) happens before the clock starts: only the server's work is timed.
  const logins = [];
  for (let i = 0; i < LOGINS; i++) {
    const { nonce, tbs, preLoginToken } = await issueChallenge();
    const signature = signPkcs1({ key, data: new TextEncoder().encode(tbs), hash: "SHA256" });
    const body = {
      nonce, signatureType: "PKCS1", signature: Buffer.from(signature).toString("base64"),
      certb64: Buffer.from(certDer).toString("base64"), cardSN: card.file.cardNumber,
    };
    logins.push({ body, preLoginToken, tbs });
  }

  let started = performance.now();
  for (const [i, { body, preLoginToken }] of logins.entries()) await verifyCardLogin({ body, preLoginToken, ip: `10.0.${i >> 8}.${i & 255}` });
  const loginsPerSecond = LOGINS / ((performance.now() - started) / 1000);

  const certificate = new x509.X509Certificate(certDer);
  const publicKey = await certificate.publicKey.export({ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, ["verify"]);
  const data = new TextEncoder().encode(logins[0]!.tbs);
  const signature = Uint8Array.from(Buffer.from(logins[0]!.body.signature, "base64"));
  started = performance.now();
  for (let i = 0; i < LOGINS; i++) await crypto.subtle.verify("RSASSA-PKCS1-v1_5", publicKey, signature, data);
  const rawPerSecond = LOGINS / ((performance.now() - started) / 1000);

  console.log(`card-login verifications: ${loginsPerSecond.toFixed(0)}/s (${LOGINS} sequential logins, PKCS#1, full checks)`);
  console.log(`raw WebCrypto RSA-2048 verify: ${rawPerSecond.toFixed(0)}/s`);
  console.log(`ratio login/raw: ${(loginsPerSecond / rawPerSecond).toFixed(3)} (each login does 2 RSA verifies — signature and chain — plus Redis and PostgreSQL round trips)`);
  await disconnectAll();
  await responder.close();
} finally {
  await admin(`DROP DATABASE IF EXISTS "${benchDb}" WITH (FORCE)`);
}
