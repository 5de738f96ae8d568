// An ATM transfer as the bank reports it — by signed callback or in the daily file — received exactly once per
// bank_txn_id and then either settled against its order (settlePayment) or listed for finance as unmatched.
// 002: 可用 ATM 轉帳或信用卡付款. Nothing the bank reports is dropped: an unknown account is a finance exception.
import { randomBytes } from "node:crypto";
import type { BankTransferSource, PaymentOutcome, Prisma } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { recordFinanceException } from "~/finance/exceptions.server";
import { AppError } from "~/lib/errors.server";
import { lockOrder } from "~/orders/order-lock.server";
import { settlePayment } from "./settlement.server";

export interface IncomingBankTransfer {
  bankTxnId: string;
  bankCode: string;
  virtualAccount: string;
  amountNtd: number;
  /** When the bank dated the transfer — decides it against the deadline (never the time we heard of it). */
  paidAt: Date;
  source: BankTransferSource;
  importId?: string;
  /** When we learnt of it (now, outside tests). */
  receivedAt?: Date;
}

export type BankTransferOutcome = PaymentOutcome | "UNMATCHED_TRANSFER";

export type ReceivedBankTransfer =
  | { duplicate: true; bankTransferId: string }
  | { duplicate: false; bankTransferId: string; outcome: BankTransferOutcome; orderId: string | null; paymentId: string | null };

/** The bank reported one bank_txn_id twice with different facts: a bank error that finance must raise with the bank. */
export class BankTransferConflictError extends AppError {
  constructor(readonly bankTxnId: string, readonly differences: string[]) {
    super(
      "BANK_TXN_CONFLICT",
      {
        "zh-TW": `銀行交易序號 ${bankTxnId} 已收過，但內容不同（${differences.join("、")}）；未變更任何資料，請向銀行查證。`,
        en: `bank_txn_id ${bankTxnId} was already received with a different ${differences.join(", ")}; nothing was changed — check with the bank.`,
      },
      409,
    );
    this.name = "BankTransferConflictError";
  }
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 time WITH its UTC offset (2026-11-25T14:03:00+08:00, or Z), at most millisecond precision, a real
 * calendar time. Without an offset a bank time is ambiguous by 8 hours — exactly the size of a deadline dispute.
 */
export function parseBankTimestamp(text: string): Date | null {
  const m = TIMESTAMP.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = Number(m[6] ?? 0);
  const millis = Number((m[7] ?? "0").padEnd(3, "0"));
  const offsetMinutes = m[8] === "Z" ? 0 : (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (hour > 23 || minute > 59 || second > 59 || Math.abs(offsetMinutes) > 14 * 60 || Number(m[11] ?? 0) > 59) return null;
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  if (local.getUTCFullYear() !== year || local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day) return null;
  return new Date(local.getTime() - offsetMinutes * 60_000);
}

/** A time-ordered UUID (RFC 9562 v7), as Prisma's uuid(7) default makes for rows it creates itself. */
function newUuidV7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function differencesFrom(existing: { bankCode: string; virtualAccount: string; amountNtd: number; paidAt: Date }, incoming: IncomingBankTransfer): string[] {
  const differences: string[] = [];
  if (existing.bankCode !== incoming.bankCode) differences.push("bank_code");
  if (existing.virtualAccount !== incoming.virtualAccount) differences.push("virtual_account");
  if (existing.amountNtd !== incoming.amountNtd) differences.push("amount");
  if (existing.paidAt.getTime() !== incoming.paidAt.getTime()) differences.push("paid_at");
  return differences;
}

/**
 * Receives one transfer inside the caller's transaction. Idempotent on bankTxnId: a transfer seen before returns
 * { duplicate: true } and changes nothing; the same id with different facts throws BankTransferConflictError.
 *
 * Lock order: the order row first, then the bank_txn_id. A callback and the daily file carrying the same transfer
 * then queue on the order lock instead of each holding what the other waits for (the file holds many orders).
 */
export async function receiveBankTransfer(tx: Prisma.TransactionClient, transfer: IncomingBankTransfer): Promise<ReceivedBankTransfer> {
  if (!Number.isSafeInteger(transfer.amountNtd) || transfer.amountNtd <= 0) throw new RangeError("a transfer is a positive whole NT$ amount");
  const receivedAt = transfer.receivedAt ?? new Date();
  // Raw SQL on this path: the daily file runs it once per line, thousands of times in one transaction.
  const orders = await tx.$queryRaw<Array<{ id: string; atm_bank_code: string }>>`
    SELECT id::text, atm_bank_code FROM reissue_order WHERE virtual_account = ${transfer.virtualAccount}`;
  const order = orders[0];
  // The account number is ours only at our collecting bank; the same digits at another bank are someone else's.
  const matched = order && order.atm_bank_code === transfer.bankCode ? order : null;
  if (matched) await lockOrder(tx, matched.id);

  // ON CONFLICT DO NOTHING: a concurrent insert of the same id waits for the other transaction, then skips.
  const inserted = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO bank_transfer (id, bank_txn_id, bank_code, virtual_account, amount_ntd, paid_at, source, import_id, received_at)
    VALUES (${newUuidV7()}::uuid, ${transfer.bankTxnId}, ${transfer.bankCode}, ${transfer.virtualAccount}, ${transfer.amountNtd},
            ${transfer.paidAt}, ${transfer.source}::"BankTransferSource", ${transfer.importId ?? null}::uuid, ${receivedAt})
    ON CONFLICT (bank_txn_id) DO NOTHING
    RETURNING id::text`;
  if (inserted.length === 0) {
    const [existing] = await tx.$queryRaw<Array<{ id: string; bank_code: string; virtual_account: string; amount_ntd: number; paid_at: Date }>>`
      SELECT id::text, bank_code, virtual_account, amount_ntd, paid_at FROM bank_transfer WHERE bank_txn_id = ${transfer.bankTxnId}`;
    if (!existing) throw new Error(`bank transfer ${transfer.bankTxnId} vanished`);
    const differences = differencesFrom(
      { bankCode: existing.bank_code, virtualAccount: existing.virtual_account, amountNtd: existing.amount_ntd, paidAt: existing.paid_at },
      transfer,
    );
    if (differences.length > 0) throw new BankTransferConflictError(transfer.bankTxnId, differences);
    // A transfer the callback brought and the daily file confirms: remember the file, which is what
    // reconciliation asks of every ATM payment (TRANSFER_NOT_IN_BANK_FILE otherwise).
    if (transfer.importId) {
      await tx.$executeRaw`UPDATE bank_transfer SET import_id = ${transfer.importId}::uuid WHERE id = ${existing.id}::uuid AND import_id IS NULL`;
    }
    return { duplicate: true, bankTransferId: existing.id };
  }
  const row = inserted[0]!;

  let result: ReceivedBankTransfer;
  if (matched) {
    const settlement = await settlePayment(tx, {
      orderId: matched.id,
      method: "ATM",
      provider: `bank:${transfer.bankCode}`,
      providerReference: transfer.bankTxnId,
      amountNtd: transfer.amountNtd,
      paidAt: transfer.paidAt,
      receivedAt,
      bankTransferId: row.id,
    });
    result = { duplicate: false, bankTransferId: row.id, outcome: settlement.outcome, orderId: matched.id, paymentId: settlement.paymentId };
  } else {
    const detail = order
      ? `virtual account ${transfer.virtualAccount} belongs to bank ${order.atm_bank_code}, the transfer names bank ${transfer.bankCode}; refund or match by hand`
      : `no order has virtual account ${transfer.virtualAccount} (bank ${transfer.bankCode}); refund or match by hand`;
    await recordFinanceException(tx, {
      kind: "UNMATCHED_TRANSFER",
      method: "ATM",
      amountNtd: transfer.amountNtd,
      paidAt: transfer.paidAt,
      bankTransferId: row.id,
      detail,
    });
    result = { duplicate: false, bankTransferId: row.id, outcome: "UNMATCHED_TRANSFER", orderId: null, paymentId: null };
  }
  await recordAuditEvent(
    {
      actor: { type: "SYSTEM" },
      action: "bank.transfer_received",
      subject: { type: "bank_transfer", id: row.id },
      details: {
        bankTxnId: transfer.bankTxnId,
        bankCode: transfer.bankCode,
        source: transfer.source,
        importId: transfer.importId ?? null,
        amountNtd: transfer.amountNtd,
        paidAt: transfer.paidAt.toISOString(),
        outcome: result.outcome,
        orderId: result.orderId,
      },
    },
    tx,
  );
  return result;
}
