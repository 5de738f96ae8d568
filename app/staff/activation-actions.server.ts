// The two staff actions on an activation page (002 開卡): support lifts the lock, a registrar resets the user
// code. Each checks its own role on the server (a hidden button is no permission), parses its form and calls the
// activation domain once; refusals come back on the field they concern. Codes and ID numbers are never echoed.
import { data, redirect } from "@remix-run/node";
import { liftActivationLock, resetUserCode } from "~/activation/staff-activation.server";
import { findOrderByNumber } from "~/orders/order-lookup.server";
import { zodFailure, type StaffFormFailure } from "~/components/staff/form-result";
import { bilingual } from "~/components/staff/staff-text";
import { assertSameOrigin } from "~/lib/http.server";
import { ACTIVATION_VIEWER_ROLES, LIFT_LOCK_ROLES, RESET_CODE_ROLES } from "./areas";
import { formFailure } from "./form-failure.server";
import { LIFT_LOCK_INTENT, liftLockFormSchema, RESET_CODE_INTENT, resetCodeFormSchema } from "./schema";
import { requireStaff } from "./staff-session.server";

/** Which form field a domain refusal belongs to. */
const FIELD_OF_CODE: Partial<Record<string, string>> = {
  REASON_REQUIRED: "reason",
  USER_CODE_FORMAT: "newCode",
  CODES_DIFFER: "confirmation",
  IDENTITY_MISMATCH: "nationalId",
};

export async function runActivationAction({ request, orderNumber }: { request: Request; orderNumber: string }) {
  await requireStaff(request, ACTIVATION_VIEWER_ROLES);
  const raw = Object.fromEntries(await request.formData());
  const intent = typeof raw.intent === "string" ? raw.intent : undefined;
  const values = {
    reason: typeof raw.reason === "string" ? raw.reason.slice(0, 500) : "",
    proxy: raw.proxy === "on" ? "on" : "",
    remembersCode: raw.remembersCode === "on" ? "on" : "",
  };
  try {
    assertSameOrigin(request);
    if (intent !== LIFT_LOCK_INTENT && intent !== RESET_CODE_INTENT) {
      return data<StaffFormFailure>({ formError: bilingual("error.unknownIntent") }, { status: 400 });
    }
    const staff = await requireStaff(request, intent === LIFT_LOCK_INTENT ? LIFT_LOCK_ROLES : RESET_CODE_ROLES);
    const form = (intent === LIFT_LOCK_INTENT ? liftLockFormSchema : resetCodeFormSchema).safeParse(raw);
    if (!form.success) return data<StaffFormFailure>({ intent, values, ...zodFailure(form.error) }, { status: 400 });
    // The id only: the page's loader showed (and audited) the order; the action is audited by the domain.
    const order = await findOrderByNumber(orderNumber);
    if (!order) throw new Response(null, { status: 404 });

    if (form.data.intent === LIFT_LOCK_INTENT) {
      await liftActivationLock({ staff, orderId: order.id, reason: form.data.reason });
    } else {
      const { newCode, confirmation, nationalId, proxy, reason } = form.data;
      await resetUserCode({ staff, orderId: order.id, newCode, confirmation, nationalId, proxy, reason });
    }
    return redirect(`/staff/activation/${encodeURIComponent(order.orderNumber)}?done=${intent}`, 303);
  } catch (error) {
    return formFailure(error, { intent, values, fields: FIELD_OF_CODE });
  }
}
