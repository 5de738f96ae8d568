// POST /webhooks/bank through the route's action: signature, validation, the transfer and its provider event.
import { vi, describe, expect, it } from "vitest";

const SECRET = vi.hoisted(() => {
  // why: env() is read once per module graph; the secret must be in place before the route's modules load.
  const secret = "bank-callback-test-secret-0123456789abcdef";
  process.env.BANK_CALLBACK_SECRET = secret;
  return secret;
});

import { prisma } from "~/lib/db.server";
import { action } from "~/routes/webhooks.bank";
import { createOrderFixture } from "../../test/factories/orders";
import { signBankCallback } from "./bank-callback.server";

let sequence = 0;
const nowSeconds = () => Math.floor(Date.now() / 1000);

function callbackBody(virtualAccount: string, overrides: Record<string, unknown> = {}) {
  return { bank_txn_id: `CB-${process.pid}-${++sequence}`, bank_code: "822", virtual_account: virtualAccount, amount: 228, paid_at: new Date().toISOString().replace("Z", "+00:00"), ...overrides };
}

async function post(rawBody: string, signature: string | null, run: typeof action = action) {
  const headers = new Headers({ "Content-Type": "application/json" });
  if (signature !== null) headers.set("X-Bank-Signature", signature);
  const request = new Request("http://localhost/webhooks/bank", { method: "POST", headers, body: rawBody });
  const response = (await run({ request, params: {}, context: {} } as Parameters<typeof action>[0])) as Response;
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

const signed = (body: unknown, t = nowSeconds(), secret = SECRET) => {
  const raw = JSON.stringify(body);
  return [raw, signBankCallback(raw, secret, t)] as const;
};

describe("POST /webhooks/bank signature", () => {
  it("accepts a good signature, pays the order and records the provider event", async () => {
    const { order } = await createOrderFixture();
    const body = callbackBody(order.virtualAccount);
    const answer = await post(...signed(body));
    expect(answer).toEqual({ status: 200, json: { status: "accepted", outcome: "APPLIED" } });
    expect(await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: "PAID" });
    expect(await prisma.providerEvent.findUnique({ where: { provider_eventId: { provider: "bank:822", eventId: body.bank_txn_id } } }))
      .toMatchObject({ type: "transfer" });
    expect(await prisma.bankTransfer.findUniqueOrThrow({ where: { bankTxnId: body.bank_txn_id } })).toMatchObject({ source: "CALLBACK", amountNtd: 228 });
  });

  it("refuses a wrong, tampered, stale, future or missing signature with 401 and records nothing", async () => {
    const { order } = await createOrderFixture();
    const body = callbackBody(order.virtualAccount);
    const [raw, good] = signed(body);
    const cases: Array<[string, string | null]> = [
      [raw, signed(body, nowSeconds(), "another-secret-0123456789abcdef0123456789")[1]],
      [raw.replace('"amount":228', '"amount":2280'), good],
      [raw, signed(body, nowSeconds() - 301)[1]],
      [raw, signed(body, nowSeconds() + 301)[1]],
      [raw, good.replace(/^t=\d+/, "t=abc")],
      [raw, good.replace(/,v1=.*/, "")],
      [raw, null],
    ];
    for (const [rawBody, signature] of cases) {
      const answer = await post(rawBody, signature);
      expect(answer.status, String(signature)).toBe(401);
      expect(answer.json.error.code).toBe("BANK_SIGNATURE_INVALID");
    }
    expect(await prisma.bankTransfer.count({ where: { bankTxnId: body.bank_txn_id } })).toBe(0);
    expect(await prisma.providerEvent.count({ where: { eventId: body.bank_txn_id } })).toBe(0);
    // A signature just inside the 5 minutes still counts.
    expect((await post(...signed(body, nowSeconds() - 290))).status).toBe(200);
  });

  it("answers 503 while BANK_CALLBACK_SECRET is not configured", async () => {
    delete process.env.BANK_CALLBACK_SECRET;
    vi.resetModules();
    try {
      const fresh = await import("~/routes/webhooks.bank");
      const answer = await post(...signed(callbackBody("95280000000000")), fresh.action);
      expect(answer.status).toBe(503);
      expect(answer.json.error.code).toBe("BANK_CALLBACK_DISABLED");
    } finally {
      process.env.BANK_CALLBACK_SECRET = SECRET;
    }
  });
});

describe("POST /webhooks/bank body", () => {
  it("a duplicate callback answers 200 duplicate and changes nothing", async () => {
    const { order } = await createOrderFixture();
    const [raw] = signed(callbackBody(order.virtualAccount));
    expect((await post(raw, signBankCallback(raw, SECRET, nowSeconds()))).json).toEqual({ status: "accepted", outcome: "APPLIED" });
    const before = [await prisma.payment.count(), await prisma.bankTransfer.count(), await prisma.mailOutbox.count(), await prisma.providerEvent.count()];
    // The bank resends the same body later, signed afresh.
    const again = await post(raw, signBankCallback(raw, SECRET, nowSeconds() + 1));
    expect(again).toEqual({ status: 200, json: { status: "duplicate" } });
    expect([await prisma.payment.count(), await prisma.bankTransfer.count(), await prisma.mailOutbox.count(), await prisma.providerEvent.count()]).toEqual(before);
  });

  it("names the bad field with 400", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ virtual_account: "9528" }, "virtual_account"],
      [{ amount: 228.5 }, "amount"],
      [{ amount: "228" }, "amount"],
      [{ paid_at: "2026-11-25T14:03:00" }, "paid_at"],
      [{ bank_code: "82" }, "bank_code"],
      [{ bank_txn_id: "" }, "bank_txn_id"],
    ];
    for (const [change, field] of cases) {
      const answer = await post(...signed(callbackBody("95281234567897", change)));
      expect(answer.status, field).toBe(400);
      expect(answer.json.error.message.en).toMatch(new RegExp(`^${field}:`));
    }
    const notJson = "{not json";
    expect((await post(notJson, signBankCallback(notJson, SECRET, nowSeconds()))).json.error.code).toBe("BODY_NOT_JSON");
  });

  it("the same bank_txn_id with another amount is a 409 conflict and nothing is overwritten", async () => {
    const { order } = await createOrderFixture();
    const body = callbackBody(order.virtualAccount);
    await post(...signed(body));
    const answer = await post(...signed({ ...body, amount: 1000 }));
    expect(answer.status).toBe(409);
    expect(answer.json.error.message.en).toContain(body.bank_txn_id);
    expect(await prisma.bankTransfer.findUniqueOrThrow({ where: { bankTxnId: body.bank_txn_id } })).toMatchObject({ amountNtd: 228 });
  });

  it("a transfer to an unknown account is accepted as UNMATCHED_TRANSFER for finance", async () => {
    const answer = await post(...signed(callbackBody("95289999999990")));
    expect(answer.json).toEqual({ status: "accepted", outcome: "UNMATCHED_TRANSFER" });
  });
});
