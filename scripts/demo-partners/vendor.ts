// The demo card-printing vendor: speaks the vendor's API (docs/print-vendor-interface.md) so the whole flow can be
// watched locally (`npm start` serves it over HTTP) and tested (test/msw/vendor.ts hands it msw's requests).
// No timers: every request first moves each card along by the clock — queued → printing → personalised (the "chip"
// made two RSA key pairs and a PKCS#10 request with each) → certificates_written → dispatched. Replies are signed.
// With `stateFile` everything, demo chip keys included, survives a restart; `cardFilesDir` puts each finished card
// where the card simulator (docs/card-simulator.md) finds it, ready to be activated.
import { createHash, createPublicKey, randomInt } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_CARD_PIN, writeCardFile } from "~/cards/card-file";
import {
  batchSubmissionSchema,
  certificateDeliverySchema,
  type BatchStatus,
  type BatchSubmission,
  type VendorCard,
} from "~/fulfilment/vendor-protocol";
import { VENDOR_SIGNATURE_HEADER, VendorSignatureError, signVendorReply, verifyVendorRequest } from "~/fulfilment/vendor-signature.server";
import { x509 } from "~/lib/x509.server";

export interface DemoVendor {
  handle(request: Request): Promise<Response>;
  /** How many times the order's card was physically printed, over all batches (a correct service keeps it ≤ 1). */
  printCount(orderNumber: string): number;
  /** Submissions of the batch accepted (the first and every identical repeat; not conflicting ones). */
  submissionCount(batchNumber: string): number;
}

export interface DemoVendorOptions {
  secret: string;
  now?: () => Date;
  personaliseAfterMs?: number;
  dispatchAfterMs?: number;
  stateFile?: string;
  cardFilesDir?: string;
  onDispatched?: (letter: { mailNumber: string; orderNumber: string; dispatchedAt: Date }) => void | Promise<void>;
  failChip?: (orderNumber: string) => boolean;
  /**
   * At most this many cards are personalised (two RSA key pairs each) per pass over the batches; the rest stay
   * `printing` until a later request, so a poll of a large batch does not time out. Default 16.
   */
  maxPersonalisationsPerRequest?: number;
  /** Lines about the demo itself (a failed onDispatched); never names or keys. */
  log?: (line: string) => void;
}

const CHIP_KEY_ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

const chipKeySchema = z.object({ csr: z.string(), privateKeyPem: z.string() });
const cardSchema = z.object({
  orderNumber: z.string(),
  state: z.enum(["queued", "printing", "personalised", "certificates_written", "dispatched", "rejected"]),
  prints: z.number().int(),
  cardNumber: z.string().optional(),
  signing: chipKeySchema.optional(),
  encryption: chipKeySchema.optional(),
  certificates: z.object({ signing: z.string(), encryption: z.string() }).optional(),
  certificatesWrittenAt: z.string().optional(),
  mailNumber: z.string().optional(),
  dispatchedAt: z.string().optional(),
  dispatchNotified: z.boolean().optional(),
  reasonCode: z.string().optional(),
  reason: z.string().optional(),
});
const batchSchema = z.object({
  batchNumber: z.string(),
  receivedAt: z.string(),
  /** A hash of the submitted cards: an identical repeat is told apart from a conflicting one without keeping names. */
  fingerprint: z.string(),
  submissions: z.number().int(),
  cards: z.array(cardSchema),
});
const stateSchema = z.object({ version: z.literal(1), batches: z.record(z.string(), batchSchema) });
type DemoCard = z.infer<typeof cardSchema>;
type DemoBatch = z.infer<typeof batchSchema>;
type DemoState = z.infer<typeof stateSchema>;

const REASONS = {
  NAME_NOT_PRINTABLE: "The holder's name has a character the card printer's font lacks (outside the BMP or in the Private Use Area).",
  CHIP_FAILURE: "The chip failed during personalisation; the card was destroyed.",
  DUPLICATE_ORDER: "This order number is already in another batch; each order gets one card.",
} as const;

/**
 * The card printer's font covers the Basic Multilingual Plane without its Private Use Area: a name with a
 * character from a supplementary plane (a surrogate pair, e.g. 𪜶) or a PUA code point (造字, a locally made
 * character) cannot be printed, nor can a control character.
 */
export function isPrintableOnCard(name: string): boolean {
  for (const char of name) {
    const code = char.codePointAt(0)!;
    if (code > 0xffff || (code >= 0xd800 && code <= 0xdfff) || (code >= 0xe000 && code <= 0xf8ff)) return false;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return false;
  }
  return true;
}

export function createDemoVendor(options: DemoVendorOptions): DemoVendor {
  const {
    secret,
    now = () => new Date(),
    personaliseAfterMs = 5_000,
    dispatchAfterMs = 5_000,
    stateFile,
    cardFilesDir,
    onDispatched,
    failChip = () => false,
    maxPersonalisationsPerRequest = 16,
    log = (line: string) => console.warn(`[demo-vendor] ${line}`),
  } = options;
  const state: DemoState = stateFile ? loadState(stateFile) : { version: 1, batches: {} };
  let dirty = false;
  let queue: Promise<unknown> = Promise.resolve();

  const allCards = () => Object.values(state.batches).flatMap((batch) => batch.cards);
  const save = () => {
    if (stateFile && dirty) saveState(stateFile, state);
    dirty = false;
  };

  /** Moves every card along as far as the clock says, in order; the transitions each happen once. */
  async function advance(at: Date): Promise<void> {
    let personalisations = 0;
    for (const batch of Object.values(state.batches)) {
      const received = Date.parse(batch.receivedAt);
      for (const card of batch.cards) {
        if (card.state === "queued" && at.getTime() >= received + personaliseAfterMs / 2) {
          card.state = "printing";
          card.prints += 1;
          dirty = true;
        }
        if (card.state === "printing" && at.getTime() >= received + personaliseAfterMs && personalisations++ < maxPersonalisationsPerRequest) {
          if (failChip(card.orderNumber)) reject(card, "CHIP_FAILURE");
          else await personalise(card);
          dirty = true;
        }
        if (card.state === "certificates_written" && at.getTime() >= Date.parse(card.certificatesWrittenAt!) + dispatchAfterMs) {
          card.state = "dispatched";
          card.mailNumber = uniqueNumber(() => digits(20), allCards().map((c) => c.mailNumber));
          card.dispatchedAt = new Date(Date.parse(card.certificatesWrittenAt!) + dispatchAfterMs).toISOString();
          card.dispatchNotified = false;
          dirty = true;
        }
      }
    }
    save();
    // After the save: a letter is announced at least once, again after a failure or a restart in between.
    for (const card of allCards()) {
      if (card.state !== "dispatched" || card.dispatchNotified || !onDispatched) continue;
      try {
        await onDispatched({ mailNumber: card.mailNumber!, orderNumber: card.orderNumber, dispatchedAt: new Date(card.dispatchedAt!) });
        card.dispatchNotified = true;
        dirty = true;
      } catch (error) {
        log(`onDispatched failed for mail ${card.mailNumber}, will retry: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    save();
  }

  async function personalise(card: DemoCard): Promise<void> {
    const cardNumber = uniqueNumber(() => `TP9${digits(13)}`, allCards().map((c) => c.cardNumber));
    const [signing, encryption] = await Promise.all([chipKey(cardNumber), chipKey(cardNumber)]);
    Object.assign(card, { state: "personalised", cardNumber, signing, encryption });
  }

  function submit(batchNumber: string, json: unknown): Outcome {
    const parsed = batchSubmissionSchema.safeParse(json);
    if (!parsed.success) return invalidBody(parsed.error);
    const submission = parsed.data;
    if (submission.batchNumber !== batchNumber) return failure(400, "BATCH_NUMBER_MISMATCH", "The body's batchNumber differs from the URL's.");
    const orderNumbers = submission.cards.map((card) => card.orderNumber);
    if (new Set(orderNumbers).size !== orderNumbers.length) {
      return failure(400, "DUPLICATE_ORDER_IN_BATCH", "An order number appears twice in the batch.");
    }
    const fingerprint = fingerprintOf(submission);
    const existing = state.batches[batchNumber];
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        return failure(409, "BATCH_CONFLICT", "This batch number was submitted before with different cards.");
      }
      existing.submissions += 1;
      dirty = true;
      return { status: 200, body: () => batchStatus(existing) };
    }
    // Only a card that holds its order (not one refused as a duplicate itself) blocks the order elsewhere.
    const taken = new Set(allCards().filter((card) => card.reasonCode !== "DUPLICATE_ORDER").map((card) => card.orderNumber));
    const batch: DemoBatch = {
      batchNumber,
      receivedAt: now().toISOString(),
      fingerprint,
      submissions: 1,
      cards: submission.cards.map((card) => {
        const entry: DemoCard = { orderNumber: card.orderNumber, state: "queued", prints: 0 };
        if (taken.has(card.orderNumber)) reject(entry, "DUPLICATE_ORDER");
        else if (!isPrintableOnCard(card.holderName)) reject(entry, "NAME_NOT_PRINTABLE");
        return entry;
      }),
    };
    state.batches[batchNumber] = batch;
    dirty = true;
    return { status: 201, body: () => batchStatus(batch) };
  }

  async function deliverCertificates(batch: DemoBatch, orderNumber: string, json: unknown): Promise<Outcome> {
    const card = batch.cards.find((c) => c.orderNumber === orderNumber);
    if (!card) return failure(404, "CARD_NOT_FOUND", "No card for this order in this batch.");
    const parsed = certificateDeliverySchema.safeParse(json);
    if (!parsed.success) return invalidBody(parsed.error);
    const delivery = parsed.data;
    const reply = { status: 200, body: () => ({ orderNumber, state: card.state }) };
    if (card.state === "rejected") return failure(409, "CARD_REJECTED", "This card was rejected; it takes no certificates.");
    if (card.state === "queued" || card.state === "printing") {
      return failure(409, "CARD_NOT_PERSONALISED", "The chip has no keys yet; certify them once the card is personalised.");
    }
    if (delivery.cardNumber !== card.cardNumber) return failure(422, "CARD_NUMBER_MISMATCH", "The card number is not this order's card.");
    if (card.certificates) {
      const same = card.certificates.signing === delivery.signingCertificate && card.certificates.encryption === delivery.encryptionCertificate;
      return same ? reply : failure(409, "CERTIFICATES_ALREADY_WRITTEN", "Other certificates are already on this card.");
    }
    const problem = checkCertificate(delivery.signingCertificate, card.signing!, "SIGNING") ?? checkCertificate(delivery.encryptionCertificate, card.encryption!, "ENCRYPTION");
    if (problem) return failure(422, problem.code, problem.message);
    if (cardFilesDir) {
      await writeCardFile(path.join(cardFilesDir, card.cardNumber!), {
        cardNumber: card.cardNumber!,
        signing: { certPem: certificatePem(delivery.signingCertificate), keyPem: card.signing!.privateKeyPem },
        encryption: { certPem: certificatePem(delivery.encryptionCertificate), keyPem: card.encryption!.privateKeyPem },
        pin: DEFAULT_CARD_PIN,
      });
    }
    card.certificates = { signing: delivery.signingCertificate, encryption: delivery.encryptionCertificate };
    card.certificatesWrittenAt = now().toISOString();
    card.state = "certificates_written";
    dirty = true;
    return reply;
  }

  async function route(request: Request, url: URL, body: string): Promise<Outcome> {
    const match = /\/v1\/batches\/([^/]+)(?:\/cards\/([^/]+)\/certificates)?$/.exec(url.pathname);
    if (!match) return failure(404, "NOT_FOUND", "No such endpoint.");
    const batchNumber = decodeURIComponent(match[1]!);
    const orderNumber = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    const allowed = orderNumber === undefined ? ["GET", "PUT"] : ["PUT"];
    if (!allowed.includes(request.method)) return failure(405, "METHOD_NOT_ALLOWED", `Use ${allowed.join(" or ")}.`);
    let json: unknown;
    if (request.method === "PUT") {
      try {
        json = JSON.parse(body);
      } catch {
        return failure(400, "BODY_NOT_JSON", "The body is not JSON.");
      }
    }
    if (request.method === "PUT" && orderNumber === undefined) return submit(batchNumber, json);
    const batch = state.batches[batchNumber];
    if (!batch) return failure(404, "BATCH_NOT_FOUND", "No batch with this number.");
    if (orderNumber === undefined) return { status: 200, body: () => batchStatus(batch) };
    return deliverCertificates(batch, orderNumber, json);
  }

  async function respond(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const signedPath = url.pathname + url.search;
    const body = await request.text();
    const reply = (outcome: Outcome) => {
      const text = JSON.stringify(outcome.body());
      const signature = signVendorReply({
        secret,
        timestampSeconds: Math.floor(now().getTime() / 1000),
        status: outcome.status,
        method: request.method,
        path: signedPath,
        body: text,
      });
      return new Response(text, {
        status: outcome.status,
        headers: { "Content-Type": "application/json; charset=utf-8", [VENDOR_SIGNATURE_HEADER]: signature },
      });
    };
    try {
      verifyVendorRequest({ secret, header: request.headers.get(VENDOR_SIGNATURE_HEADER), method: request.method, path: signedPath, body, now: now() });
    } catch (error) {
      if (error instanceof VendorSignatureError) return reply(failure(401, "SIGNATURE_INVALID", error.message));
      throw error;
    }
    try {
      await advance(now());
      const outcome = await route(request, url, body);
      await advance(now()); // a zero delay moves a card on at once
      return reply(outcome);
    } catch (error) {
      log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
      return reply(failure(500, "INTERNAL_ERROR", "The demo vendor failed; try again."));
    } finally {
      save();
    }
  }

  return {
    handle(request) {
      // One request at a time: two polls at once must not personalise (print) the same card twice.
      const run = queue.then(() => respond(request));
      queue = run.catch(() => undefined);
      return run;
    },
    printCount: (orderNumber) => allCards().filter((card) => card.orderNumber === orderNumber).reduce((sum, card) => sum + card.prints, 0),
    submissionCount: (batchNumber) => state.batches[batchNumber]?.submissions ?? 0,
  };
}

interface Outcome {
  status: number;
  body: () => unknown;
}

const failure = (status: number, code: string, message: string): Outcome => ({ status, body: () => ({ error: { code, message } }) });

/** Names the fields that are wrong, never their values (a holder's name could be one). */
function invalidBody(error: z.ZodError): Outcome {
  const fields = [...new Set(error.issues.map((issue) => issue.path.join(".") || "(body)"))].slice(0, 5);
  return failure(400, "BODY_INVALID", `Invalid fields: ${fields.join(", ")}`.slice(0, 500));
}

function reject(card: DemoCard, code: keyof typeof REASONS): void {
  Object.assign(card, { state: "rejected", reasonCode: code, reason: REASONS[code] });
}

function batchStatus(batch: DemoBatch): BatchStatus {
  return { batchNumber: batch.batchNumber, receivedAt: batch.receivedAt, cards: batch.cards.map(wireCard) };
}

function wireCard(card: DemoCard): VendorCard {
  const { state, orderNumber, cardNumber, signing, encryption, mailNumber, dispatchedAt, reasonCode, reason } = card;
  if (state === "queued" || state === "printing") return { state, orderNumber };
  if (state === "rejected") return { state, orderNumber, reasonCode: reasonCode!, reason: reason! };
  if (state === "personalised") return { state, orderNumber, cardNumber: cardNumber!, signingCsr: signing!.csr, encryptionCsr: encryption!.csr };
  if (state === "dispatched") return { state, orderNumber, cardNumber: cardNumber!, mailNumber: mailNumber!, dispatchedAt: dispatchedAt! };
  return { state, orderNumber, cardNumber: cardNumber! };
}

function fingerprintOf(submission: BatchSubmission): string {
  const cards = submission.cards.map((c) => [c.orderNumber, c.holderName, c.validFrom, c.validUntil]);
  return createHash("sha256").update(JSON.stringify(cards)).digest("hex");
}

/** A key pair made "on the chip" and a PKCS#10 request signed with it: proof the private key is on this card. */
async function chipKey(cardNumber: string): Promise<z.infer<typeof chipKeySchema>> {
  const keys = (await crypto.subtle.generateKey(CHIP_KEY_ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${cardNumber}`, keys, signingAlgorithm: CHIP_KEY_ALGORITHM });
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { csr: Buffer.from(csr.rawData).toString("base64"), privateKeyPem: x509.PemConverter.encode(pkcs8, "PRIVATE KEY") };
}

/** Why a certificate cannot go onto the card: unreadable, or not for the key this chip holds for the usage. */
function checkCertificate(base64: string, chip: z.infer<typeof chipKeySchema>, usage: "SIGNING" | "ENCRYPTION") {
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(Buffer.from(base64, "base64"));
  } catch {
    return { code: `${usage}_CERTIFICATE_UNREADABLE`, message: `The ${usage.toLowerCase()} certificate is not DER X.509.` };
  }
  const csr = new x509.Pkcs10CertificateRequest(Buffer.from(chip.csr, "base64"));
  if (!sameRsaKey(certificate.publicKey.rawData, csr.publicKey.rawData)) {
    return { code: `${usage}_KEY_MISMATCH`, message: `The ${usage.toLowerCase()} certificate is not for this card's ${usage.toLowerCase()} key.` };
  }
  return null;
}

/** Compares the keys themselves (modulus and exponent), not how an issuer happened to encode them. */
function sameRsaKey(a: ArrayBuffer, b: ArrayBuffer): boolean {
  const jwk = (spki: ArrayBuffer) => createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" }).export({ format: "jwk" });
  try {
    const [x, y] = [jwk(a), jwk(b)];
    return x.kty === "RSA" && y.kty === "RSA" && x.n === y.n && x.e === y.e;
  } catch {
    return false;
  }
}

const certificatePem = (base64: string) => x509.PemConverter.encode(Buffer.from(base64, "base64"), "CERTIFICATE");
const digits = (count: number) => Array.from({ length: count }, () => randomInt(10)).join("");

function uniqueNumber(make: () => string, used: Array<string | undefined>): string {
  let candidate = make();
  while (used.includes(candidate)) candidate = make();
  return candidate;
}

function loadState(file: string): DemoState {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return { version: 1, batches: {} };
    throw error;
  }
  const parsed = stateSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file}: not a demo vendor state file; move it away to start afresh`);
  return parsed.data;
}

/** Written whole and renamed into place, so a crash leaves the old state or the new one; 0600: it holds demo keys. */
function saveState(file: string, state: DemoState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state) + "\n", { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
