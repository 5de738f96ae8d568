// The collecting bank's paid-transfer callback (POST /webhooks/bank), format in docs/bank-interfaces.md:
// HMAC-SHA256 over "<t>.<raw body>" with BANK_CALLBACK_SECRET, sent as `X-Bank-Signature: t=<unix s>,v1=<hex>`.
// The body is verified before it is parsed, and the event is recorded in the same transaction as its effect.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { env } from "~/lib/env.server";
import { AppError } from "~/lib/errors.server";
import { readRawBody } from "~/lib/http.server";
import { prisma } from "~/lib/db.server";
import { logger } from "~/lib/logger.server";
import { parseBankTimestamp, receiveBankTransfer, type BankTransferOutcome } from "./bank-transfer.server";

export const BANK_SIGNATURE_HEADER = "X-Bank-Signature";
/** A signed callback older (or further in the future) than this is refused: a captured request cannot be replayed later. */
export const BANK_SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
const MAX_BODY_BYTES = 16 * 1024;

const badSignature = (why: string) =>
  new AppError("BANK_SIGNATURE_INVALID", { "zh-TW": `銀行通知簽章無效：${why}`, en: `Invalid bank callback signature: ${why}` }, 401);

/** The header value for a body: what the bank sends, and what tests and the docs' example compute. */
export function signBankCallback(rawBody: string, secret: string, timestampSeconds: number): string {
  const hmac = createHmac("sha256", secret).update(`${timestampSeconds}.${rawBody}`).digest("hex");
  return `t=${timestampSeconds},v1=${hmac}`;
}

/** Throws a 401 AppError unless the header carries a fresh HMAC of this exact body under the secret. */
export function verifyBankSignature({ rawBody, header, secret, now = new Date() }: {
  rawBody: string;
  header: string | null;
  secret: string;
  now?: Date;
}): void {
  if (!header) throw badSignature(`missing ${BANK_SIGNATURE_HEADER} header`);
  let timestamp: string | undefined;
  const candidates: string[] = [];
  for (const part of header.split(",")) {
    const [key, value] = part.trim().split("=", 2);
    if (key === "t") timestamp = value;
    // More than one v1 lets the bank sign with the old and the new secret while one is rotated.
    else if (key === "v1" && value) candidates.push(value);
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || candidates.length === 0) throw badSignature("expected t=<unix seconds>,v1=<hex>");
  const age = now.getTime() / 1000 - Number(timestamp);
  if (Math.abs(age) > BANK_SIGNATURE_TOLERANCE_SECONDS) throw badSignature("timestamp outside the 5-minute tolerance");
  const expected = Buffer.from(createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex"), "utf8");
  const ok = candidates.some((candidate) => {
    const given = Buffer.from(candidate.toLowerCase(), "utf8");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!ok) throw badSignature("signature does not match");
}

export const bankCallbackSchema = z.object({
  bank_txn_id: z.string({ error: "required" }).regex(/^[\x21-\x7e]{1,64}$/, { error: "1–64 printable characters without spaces" }),
  bank_code: z.string({ error: "required" }).regex(/^\d{3}$/, { error: "must be 3 digits" }),
  virtual_account: z.string({ error: "required" }).regex(/^\d{14}$/, { error: "must be 14 digits" }),
  amount: z.number({ error: "required, a number" }).int({ error: "must be whole NT$" }).positive({ error: "must be positive" }).max(2_147_483_647),
  paid_at: z.string({ error: "required" }).transform((text, ctx) => {
    const date = parseBankTimestamp(text);
    if (!date) {
      ctx.addIssue({ code: "custom", message: "must be ISO 8601 with a UTC offset, e.g. 2026-11-25T14:03:00+08:00" });
      return z.NEVER;
    }
    return date;
  }),
});

export type BankCallbackAnswer =
  | { status: "duplicate" }
  | { status: "accepted"; outcome: BankTransferOutcome };

/** Reads the raw body (capped): the signature covers its exact bytes, so it is verified before any parsing. */
export async function readBankCallbackBody(request: Request): Promise<string> {
  return (await readRawBody(request, MAX_BODY_BYTES)).toString("utf8");
}

/** Verifies, validates and receives one callback; a repeated bank_txn_id answers "duplicate" and changes nothing. */
export async function handleBankCallback({ rawBody, signatureHeader, now = new Date() }: {
  rawBody: string;
  signatureHeader: string | null;
  now?: Date;
}): Promise<BankCallbackAnswer> {
  const secret = env().BANK_CALLBACK_SECRET;
  if (!secret) {
    throw new AppError("BANK_CALLBACK_DISABLED", { "zh-TW": "銀行通知尚未設定。", en: "Bank callbacks are not configured." }, 503);
  }
  verifyBankSignature({ rawBody, header: signatureHeader, secret, now });
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new AppError("BODY_NOT_JSON", { "zh-TW": "送出的資料格式不正確。", en: "The request is not valid JSON." }, 400);
  }
  const parsed = bankCallbackSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".") || "(body)";
    throw new AppError("BANK_CALLBACK_INVALID", { "zh-TW": `欄位 ${field} 不正確：${issue.message}`, en: `${field}: ${issue.message}` }, 400);
  }
  const body = parsed.data;
  const received = await prisma.$transaction(async (tx) => {
    const result = await receiveBankTransfer(tx, {
      bankTxnId: body.bank_txn_id,
      bankCode: body.bank_code,
      virtualAccount: body.virtual_account,
      amountNtd: body.amount,
      paidAt: body.paid_at,
      source: "CALLBACK",
      receivedAt: now,
    });
    await tx.providerEvent.createMany({
      data: [{ provider: `bank:${body.bank_code}`, eventId: body.bank_txn_id, type: "transfer", receivedAt: now }],
      skipDuplicates: true,
    });
    return result;
  });
  logger().info(
    { bankTransferId: received.bankTransferId, duplicate: received.duplicate, outcome: received.duplicate ? null : received.outcome },
    "bank callback received",
  );
  return received.duplicate ? { status: "duplicate" } : { status: "accepted", outcome: received.outcome };
}
