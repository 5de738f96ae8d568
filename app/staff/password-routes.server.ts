// The password pages' forms: /staff/password (a forced change inside a pending sign-in, or a signed-in member's
// own change) and /staff/password/reset (an admin's one-time code). Each parses its fields and calls one domain
// function of staff-password.server.ts; passwords and codes are never sent back to refill a form.
import { data, redirect } from "@remix-run/node";
import { zodFailure, type StaffFormFailure } from "~/components/staff/form-result";
import { assertSameOrigin } from "~/lib/http.server";
import { STAFF_ROLES } from "./areas";
import { formFailure } from "./form-failure.server";
import { staffPasswordChangeSchema, staffPasswordResetSchema } from "./schema";
import { continueSignIn } from "./second-factor-routes.server";
import { STAFF_LOGIN_PATH, STAFF_PASSWORD_PATH } from "./sign-in-paths";
import { changeStaffPassword, redeemStaffPasswordReset } from "./staff-password.server";
import { pendingStaffFromRequest, requireStaff, startStaffSession } from "./staff-session.server";

const FIELD_OF_CODE: Partial<Record<string, string>> = {
  CURRENT_PASSWORD_WRONG: "currentPassword",
  WEAK_PASSWORD: "password",
  PASSWORD_UNCHANGED: "password",
  PASSWORDS_DIFFER: "passwordConfirm",
  RESET_CODE_INVALID: "code",
};

/** Who changes the password here: a pending sign-in at its "password" step, else a signed-in member (any role). */
export async function passwordPageVisitor(request: Request): Promise<{ staffId: string; forced: boolean }> {
  const pending = await pendingStaffFromRequest(request);
  if (pending?.awaiting === "password") return { staffId: pending.staffId, forced: true };
  const member = await requireStaff(request, STAFF_ROLES);
  return { staffId: member.id, forced: false };
}

export async function runPasswordChangeAction({ request, ip }: { request: Request; ip: string }) {
  const pending = await pendingStaffFromRequest(request);
  const { staffId } = await passwordPageVisitor(request);
  try {
    assertSameOrigin(request);
    const form = staffPasswordChangeSchema.safeParse(Object.fromEntries(await request.formData()));
    if (!form.success) return data<StaffFormFailure>(zodFailure(form.error), { status: 400 });
    const now = new Date();
    const { currentPassword, password, passwordConfirm } = form.data;
    await changeStaffPassword({ staffId, currentPassword, newPassword: password, confirmation: passwordConfirm, ip, now });
    // Every earlier session ended at `now`; this one starts just after it.
    const after = new Date(now.getTime() + 1);
    if (pending?.awaiting === "password") return await continueSignIn(request, pending, { id: staffId }, after);
    return redirect(`${STAFF_PASSWORD_PATH}?done`, { status: 303, headers: await startStaffSession(request, { id: staffId }, after) });
  } catch (error) {
    return formFailure(error, { fields: FIELD_OF_CODE });
  }
}

export async function runPasswordResetAction({ request, ip }: { request: Request; ip: string }) {
  const raw = Object.fromEntries(await request.formData());
  const values = { username: typeof raw.username === "string" ? raw.username.slice(0, 64) : "" };
  try {
    assertSameOrigin(request);
    const form = staffPasswordResetSchema.safeParse(raw);
    if (!form.success) return data<StaffFormFailure>({ values, ...zodFailure(form.error) }, { status: 400 });
    const { username, code, password, passwordConfirm } = form.data;
    await redeemStaffPasswordReset({ username, code, newPassword: password, confirmation: passwordConfirm, ip });
    return redirect(`${STAFF_LOGIN_PATH}?passwordSet`, 303);
  } catch (error) {
    return formFailure(error, { values, fields: FIELD_OF_CODE });
  }
}
