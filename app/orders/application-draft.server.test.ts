import { describe, expect, it } from "vitest";
import { verifyUserCode } from "~/activation/user-code.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { AppError } from "~/lib/errors.server";
import { redis } from "~/lib/redis.server";
import { recordEligibleCard, testApplication } from "../../test/factories/orders";
import {
  APPLICATION_DRAFT_TTL_SECONDS,
  confirmApplication,
  loadApplicationDraft,
  loadApplicationPage,
  reviewApplication,
} from "./application-draft.server";

const CODE = "Tp#9a-Zq";
const form = (overrides: Record<string, string> = {}) => ({
  ...testApplication({ mobile: "0912-345-678" }),
  userCode: CODE,
  userCodeConfirm: CODE,
  terms: "on",
  ...overrides,
});

async function eligible() {
  const { holder, card } = await recordEligibleCard();
  return { holderId: holder.id, cardId: card.id };
}

describe("the application draft", () => {
  it("keeps the validated details and the user code's hash — never the code — in Redis, namespaced, for 30 minutes", async () => {
    const citizen = await eligible();
    expect(await reviewApplication({ citizen, form: form() })).toEqual({ ok: true });
    const key = `${env().QUEUE_PREFIX}:application-draft:${citizen.holderId}`;
    const raw = (await redis().get(key))!;
    expect(raw).not.toContain(CODE);
    const ttl = await redis().ttl(key);
    expect(ttl).toBeGreaterThan(APPLICATION_DRAFT_TTL_SECONDS - 5);
    expect(ttl).toBeLessThanOrEqual(30 * 60);
    const draft = (await loadApplicationDraft(citizen))!;
    expect(draft).toMatchObject({ mobile: "0912345678", postcode: "100", outlyingIsland: false });
    expect(await verifyUserCode(CODE, draft.userCodeHash)).toBe(true);
  });

  it("stores nothing when the form is wrong", async () => {
    const citizen = await eligible();
    const result = await reviewApplication({ citizen, form: form({ userCodeConfirm: "other-code" }) });
    expect(result).toMatchObject({ ok: false, fieldErrors: { userCodeConfirm: "field.userCodeConfirm.mismatch" } });
    expect(await loadApplicationDraft(citizen)).toBeNull();
  });

  it("belongs to the card it was made with", async () => {
    const citizen = await eligible();
    await reviewApplication({ citizen, form: form() });
    expect(await loadApplicationDraft({ ...citizen, cardId: "0193f3c2-0000-7000-8000-0000000000ff" })).toBeNull();
  });

  it("is refused to a card that may not apply", async () => {
    const { holder, card } = await recordEligibleCard({ daysToEnd: 200 });
    const citizen = { holderId: holder.id, cardId: card.id };
    const error = await reviewApplication({ citizen, form: form() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NOT_ELIGIBLE" });
    expect(await loadApplicationPage({ citizen, now: new Date() })).toBeNull();
  });

  it("becomes the order on confirm and is gone afterwards; a second confirm finds nothing", async () => {
    const citizen = await eligible();
    await reviewApplication({ citizen, form: form({ postcode: "951" }) });
    const page = (await loadApplicationPage({ citizen, now: new Date() }))!;
    expect(page.draft).toMatchObject({ postcode: "951", outlyingIsland: true });
    expect(page.draft).not.toHaveProperty("userCodeHash");
    const order = await confirmApplication({ citizen });
    const stored = await prisma.reissueApplication.findUniqueOrThrow({ where: { orderId: order.orderId } });
    expect(stored).toMatchObject({ postcode: "951", outlyingIsland: true, mobile: "0912345678" });
    expect(await verifyUserCode(CODE, stored.userCodeHash)).toBe(true);
    expect(await loadApplicationDraft(citizen)).toBeNull();
    const again = await confirmApplication({ citizen }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AppError);
    expect(again).toMatchObject({ code: "APPLICATION_DRAFT_EXPIRED", status: 409 });
  });
});
