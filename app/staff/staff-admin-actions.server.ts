// The forms of the staff-account pages (ADMIN): each parses its fields and calls one domain function of
// staff-admin.server.ts, which checks the role again. Reasons, usernames and names come back to refill a form;
// passwords never do.
import { data, redirect } from "@remix-run/node";
import { zodFailure, type StaffFormFailure } from "~/components/staff/form-result";
import { assertSameOrigin } from "~/lib/http.server";
import { ADMIN_ROLES } from "./areas";
import { formFailure } from "./form-failure.server";
import { formFields, newStaffFormSchema, staffAdminActionSchema } from "./schema";
import {
  changeStaffRoles, createStaffAccountByAdmin, disableStaffAccount, enableStaffAccount, issueStaffPasswordReset, resetStaffTotp,
  unlockStaffAccount,
} from "./staff-admin.server";
import { requireStaff } from "./staff-session.server";

/** Which form field a domain refusal belongs to. */
const FIELD_OF_CODE: Partial<Record<string, string>> = {
  REASON_REQUIRED: "reason",
  ROLES_REQUIRED: "roles",
  SELF_ROLES_CHANGE: "roles",
  ROLES_UNCHANGED: "roles",
  USERNAME_FORMAT: "username",
  USERNAME_TAKEN: "username",
  DISPLAY_NAME: "displayName",
  WEAK_PASSWORD: "password",
};

const text = (value: unknown, max: number) => (typeof value === "string" ? value.slice(0, max) : "");

export const staffAdminPath = (staffId: string) => `/staff/admin/${encodeURIComponent(staffId)}`;

export async function runNewStaffAction({ request }: { request: Request }) {
  const actor = await requireStaff(request, ADMIN_ROLES);
  const raw = formFields(await request.formData());
  const roles = Array.isArray(raw.roles) ? raw.roles.filter((role): role is string => typeof role === "string") : [];
  const values = { username: text(raw.username, 64), displayName: text(raw.displayName, 100), reason: text(raw.reason, 500), roles: roles.join(",") };
  try {
    assertSameOrigin(request);
    const form = newStaffFormSchema.safeParse(raw);
    if (!form.success) return data<StaffFormFailure>({ values, ...zodFailure(form.error) }, { status: 400 });
    const { username, displayName, roles: chosen, password, reason } = form.data;
    const { id } = await createStaffAccountByAdmin({ actor, username, displayName, roles: chosen, password, reason });
    return redirect(`${staffAdminPath(id)}?done=created`, 303);
  } catch (error) {
    return formFailure(error, { values, fields: FIELD_OF_CODE });
  }
}

export async function runStaffAdminAction({ request, staffId }: { request: Request; staffId: string }) {
  const actor = await requireStaff(request, ADMIN_ROLES);
  const raw = formFields(await request.formData());
  const intent = typeof raw.intent === "string" ? raw.intent.slice(0, 20) : undefined;
  const values = { reason: text(raw.reason, 500) };
  try {
    assertSameOrigin(request);
    const form = staffAdminActionSchema.safeParse(raw);
    if (!form.success) return data<StaffFormFailure>({ intent, values, ...zodFailure(form.error) }, { status: 400 });
    const { reason } = form.data;
    const target = { actor, staffId, reason };
    switch (form.data.intent) {
      case "roles":
        await changeStaffRoles({ ...target, roles: form.data.roles });
        break;
      case "disable":
        await disableStaffAccount(target);
        break;
      case "enable":
        await enableStaffAccount(target);
        break;
      case "reset-totp":
        await resetStaffTotp(target);
        break;
      case "reset-password": {
        // The code is shown in this one answer (no-store, like every staff page), never in a URL or a redirect.
        const { code, expiresAt } = await issueStaffPasswordReset(target);
        return data({ intent: form.data.intent, issued: { code, expiresAt: expiresAt.toISOString() } });
      }
      case "unlock":
        await unlockStaffAccount(target);
        break;
    }
    return redirect(`${staffAdminPath(staffId)}?done=${form.data.intent}`, 303);
  } catch (error) {
    return formFailure(error, { intent, values, fields: FIELD_OF_CODE });
  }
}
