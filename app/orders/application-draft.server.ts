// The application between "review" and "confirm": validated, the user code already hashed, kept in Redis for a
// short while under the holder's key. It never reaches the database until the holder confirms, and the user
// code itself is never stored anywhere (002: the CA keeps no copy of it).
import { z } from "zod";
import { hashUserCode } from "~/activation/user-code.server";
import { checkEligibility } from "~/eligibility/eligibility.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { AppError } from "~/lib/errors.server";
import { redis } from "~/lib/redis.server";
import { createReissueOrder, type CreatedOrder } from "./create-order.server";
import { reissueFees } from "./pricing";
import { parseApplication, type ApplicationValues, type FieldErrors } from "./schema";

/** Long enough to read the confirm page and the terms, short enough that personal data does not linger. */
export const APPLICATION_DRAFT_TTL_SECONDS = 30 * 60;

const draftSchema = z.object({
  cardId: z.string(),
  mobile: z.string(),
  email: z.string(),
  postcode: z.string(),
  address: z.string(),
  outlyingIsland: z.boolean(),
  userCodeHash: z.string().startsWith("scrypt$"),
  termsAcceptedAt: z.iso.datetime(),
});

export type ApplicationDraft = z.infer<typeof draftSchema>;
/** What the confirm page reads back: everything but the hash. */
export type DraftView = Omit<ApplicationDraft, "userCodeHash" | "cardId">;

export interface Citizen {
  holderId: string;
  cardId: string;
}

const draftKey = (holderId: string) => `${env().QUEUE_PREFIX}:application-draft:${holderId}`;

export async function saveApplicationDraft(holderId: string, draft: ApplicationDraft): Promise<void> {
  await redis().set(draftKey(holderId), JSON.stringify(draftSchema.parse(draft)), "EX", APPLICATION_DRAFT_TTL_SECONDS);
}

/** The holder's draft, only for the card it was made with (another card of the same holder starts afresh). */
export async function loadApplicationDraft(citizen: Citizen): Promise<ApplicationDraft | null> {
  const raw = await redis().get(draftKey(citizen.holderId));
  if (!raw) return null;
  const parsed = draftSchema.safeParse(JSON.parse(raw));
  return parsed.success && parsed.data.cardId === citizen.cardId ? parsed.data : null;
}

export async function deleteApplicationDraft(holderId: string): Promise<void> {
  await redis().del(draftKey(holderId));
}

export function draftView({ userCodeHash: _hash, cardId: _card, ...view }: ApplicationDraft): DraftView {
  return view;
}

export interface ApplicationPage {
  applicant: { name: string; nationalIdLast4: string };
  fees: ReturnType<typeof reissueFees>;
  draft: DraftView | null;
}

/**
 * What the application pages need, or null when this card may not apply now (the eligibility page explains why).
 * 002/003: name and ID come from the card, read-only; MOICA itself publishes only the last 4 digits of the ID.
 */
export async function loadApplicationPage({ citizen, now }: { citizen: Citizen; now: Date }): Promise<ApplicationPage | null> {
  const assessment = await checkEligibility({ cardId: citizen.cardId, now });
  if (assessment.outcome !== "ELIGIBLE") return null;
  const holder = await prisma.holder.findUniqueOrThrow({
    where: { id: citizen.holderId },
    select: { name: true, nationalIdLast4: true },
  });
  const draft = await loadApplicationDraft(citizen);
  return { applicant: holder, fees: reissueFees(), draft: draft ? draftView(draft) : null };
}

function notEligible(): AppError {
  return new AppError(
    "NOT_ELIGIBLE",
    { "zh-TW": "此卡目前不符合線上續卡資格。", en: "This card is not eligible for online reissue now." },
    403,
  );
}

export type ReviewResult = { ok: true } | { ok: false; fieldErrors: FieldErrors; values: ApplicationValues };

/** The first POST: validate, hash the user code, keep the draft for the confirm step. */
export async function reviewApplication({ citizen, form, now = new Date() }: {
  citizen: Citizen;
  form: Record<string, unknown>;
  now?: Date;
}): Promise<ReviewResult> {
  const assessment = await checkEligibility({ cardId: citizen.cardId, now });
  if (assessment.outcome !== "ELIGIBLE") throw notEligible();
  const parsed = parseApplication(form);
  if (!parsed.success) return { ok: false, fieldErrors: parsed.fieldErrors, values: parsed.values };
  const { userCode, ...details } = parsed.data;
  await saveApplicationDraft(citizen.holderId, {
    ...details,
    cardId: citizen.cardId,
    userCodeHash: await hashUserCode(userCode),
    termsAcceptedAt: now.toISOString(),
  });
  return { ok: true };
}

/** The confirm POST: the draft becomes an order (createReissueOrder checks eligibility and one open order). */
export async function confirmApplication({ citizen, now = new Date() }: { citizen: Citizen; now?: Date }): Promise<CreatedOrder> {
  const draft = await loadApplicationDraft(citizen);
  if (!draft) {
    throw new AppError(
      "APPLICATION_DRAFT_EXPIRED",
      { "zh-TW": "申請資料已逾時，請重新填寫。", en: "Your application details timed out. Please enter them again." },
      409,
    );
  }
  try {
    const order = await createReissueOrder({
      citizen,
      application: {
        mobile: draft.mobile,
        email: draft.email,
        postcode: draft.postcode,
        address: draft.address,
        userCodeHash: draft.userCodeHash,
        termsAcceptedAt: new Date(draft.termsAcceptedAt),
      },
      now,
    });
    await deleteApplicationDraft(citizen.holderId);
    return order;
  } catch (error) {
    // An open order or a card no longer eligible will not change by trying again: the draft has no further use.
    if (error instanceof AppError) await deleteApplicationDraft(citizen.holderId);
    throw error;
  }
}
