// Runs before each test file, in its worker: the file gets its own copy of the migrated template database
// and its own Redis database number and queue prefix, so files never see each other's data.
import path from "node:path";
import { afterAll } from "vitest";
import { startOcspResponder } from "../scripts/ocsp-responder/server";
import { createScratchDatabase } from "./support/databases";

const database = await createScratchDatabase({ prefix: "test", fromTemplate: true });
const worker = Number(process.env.VITEST_POOL_ID ?? 1);

Object.assign(process.env, {
  NODE_ENV: "test",
  DATABASE_URL: database.url,
  REDIS_URL: `${process.env.TEST_REDIS_URL}/${worker % 16}`,
  QUEUE_PREFIX: `test-${database.name}`,
  LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
  SESSION_SECRET: "test-session-secret-0123456789abcdef0123",
  NATIONAL_ID_HASH_KEY: "test-national-id-hash-key-0123456789abcdef",
  STAFF_TOTP_KEY: "test-staff-totp-key-0123456789abcdef0123",
  // One test CA for the whole run, created by the first file that needs it (app/cards/test-ca.server.ts).
  CARD_TEST_CA_DIR: path.resolve(import.meta.dirname, "../.data/test/ca"),
  // The demo bank's key pair of this worker, made by the first test that signs a file (test/factories/finance.ts).
  BANK_FILE_PUBLIC_KEY_FILE: path.resolve(import.meta.dirname, `../.data/test/bank-file-key/${process.pid}/demo-bank-file-key.pub.pem`),
});

// The test CA's OCSP responder and CRL, which every certificate status check asks (as the service asks MOICA's).
// Listening costs nothing; the CA is loaded at its first request, so files that never log in pay nothing.
const responder = await startOcspResponder();
Object.assign(process.env, { CARD_OCSP_URL: responder.url, CARD_CRL_URL: responder.crlUrl });

afterAll(async () => {
  await responder.close();
  const { disconnectAll } = await import("../app/lib/shutdown.server");
  await disconnectAll();
  await database.drop();
});
