// The forms on the support order page, by `intent`: each checks the role on the server, parses its form and calls
// one domain function; refusals come back on the field they concern with what was typed (reasons, notes) kept.
import { data, redirect } from "@remix-run/node";
import { liftActivationLock } from "~/activation/staff-activation.server";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { supportBilingual, supportZodFailure } from "~/components/staff/support/support-text";
import { assertSameOrigin } from "~/lib/http.server";
import { findOrderByNumber } from "~/orders/order-lookup.server";
import { SUPPORT_DESK_ROLES } from "~/staff/areas";
import { formFailure } from "~/staff/form-failure.server";
import { LIFT_LOCK_INTENT, liftLockFormSchema } from "~/staff/schema";
import { requireStaff } from "~/staff/staff-session.server";
import {
  ADD_NOTE_INTENT, addNoteFormSchema, NOT_RECEIVED_INTENT, notReceivedFormSchema, RESEND_MAIL_INTENT, resendMailFormSchema,
  RESOLVE_CASE_INTENT, resolveCaseFormSchema, SUPPORT_NOTE_MAX, SUPPORT_REASON_MAX,
} from "./schema";
import { addSupportNote, recordNotReceivedCase, resendOrderMail, resolveSupportCase } from "./support-actions.server";

const SCHEMAS = {
  [LIFT_LOCK_INTENT]: liftLockFormSchema,
  [RESEND_MAIL_INTENT]: resendMailFormSchema,
  [ADD_NOTE_INTENT]: addNoteFormSchema,
  [NOT_RECEIVED_INTENT]: notReceivedFormSchema,
  [RESOLVE_CASE_INTENT]: resolveCaseFormSchema,
} as const;
type Intent = keyof typeof SCHEMAS;
const isIntent = (value: unknown): value is Intent => typeof value === "string" && Object.hasOwn(SCHEMAS, value);

/** Which form field a domain refusal belongs to. */
const FIELD_OF_CODE: Record<Intent, Partial<Record<string, string>>> = {
  [LIFT_LOCK_INTENT]: { REASON_REQUIRED: "reason" },
  [RESEND_MAIL_INTENT]: { REASON_REQUIRED: "reason", MAIL_NOT_WRITTEN: "kind", NO_RECIPIENT: "kind" },
  [ADD_NOTE_INTENT]: { NOTE_LENGTH: "body" },
  [NOT_RECEIVED_INTENT]: { REASON_REQUIRED: "reason" },
  [RESOLVE_CASE_INTENT]: { REASON_REQUIRED: "resolution" },
};

const text = (value: FormDataEntryValue | undefined, max: number) => (typeof value === "string" ? value.slice(0, max) : "");

/** The order id behind a number in the URL; the page's own loader already showed it exists. */
async function orderIdOf(orderNumber: string): Promise<string> {
  const order = await findOrderByNumber(orderNumber);
  if (!order) throw new Response(null, { status: 404 });
  return order.id;
}

export async function runSupportOrderAction({ request, orderNumber }: { request: Request; orderNumber: string }) {
  const staff = await requireStaff(request, SUPPORT_DESK_ROLES);
  const raw = Object.fromEntries(await request.formData());
  const intent = isIntent(raw.intent) ? raw.intent : undefined;
  const values = {
    reason: text(raw.reason, SUPPORT_REASON_MAX),
    resolution: text(raw.resolution, SUPPORT_REASON_MAX),
    body: text(raw.body, SUPPORT_NOTE_MAX),
    kind: text(raw.kind, 10),
    caseId: text(raw.caseId, 40),
    remembersCode: raw.remembersCode === "on" ? "on" : "",
  };
  try {
    assertSameOrigin(request);
    if (!intent) return data<StaffFormFailure>({ formError: supportBilingual("error.unknownIntent") }, { status: 400 });
    const form = SCHEMAS[intent].safeParse(raw);
    if (!form.success) return data<StaffFormFailure>({ intent, values, ...supportZodFailure(form.error) }, { status: 400 });
    const orderId = await orderIdOf(orderNumber);
    const f = form.data;
    if (f.intent === LIFT_LOCK_INTENT) await liftActivationLock({ staff, orderId, reason: f.reason });
    else if (f.intent === RESEND_MAIL_INTENT) await resendOrderMail({ staff, orderId, kind: f.kind, reason: f.reason });
    else if (f.intent === ADD_NOTE_INTENT) await addSupportNote({ staff, orderId, body: f.body });
    else if (f.intent === NOT_RECEIVED_INTENT) await recordNotReceivedCase({ staff, orderId, reason: f.reason });
    else await resolveSupportCase({ staff, orderId, caseId: f.caseId, resolution: f.resolution });
    return redirect(`/staff/support/${encodeURIComponent(orderNumber)}?done=${intent}`, 303);
  } catch (error) {
    return formFailure(error, { intent, values, fields: intent ? FIELD_OF_CODE[intent] : {} });
  }
}
