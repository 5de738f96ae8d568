import { Form } from "@remix-run/react";
import type { StaffAdminIntent } from "~/staff/schema";
import { STAFF_REASON_MAX } from "~/staff/schema";
import type { StaffAccountView } from "~/staff/staff-admin.server";
import type { StaffFormFailure } from "../form-result";
import { StaffField, StaffFormError } from "../staff-field";
import { formatTaipeiDateTime, useStaffText } from "../staff-text";
import { RoleCheckboxes } from "./role-checkboxes";

type PanelKey = "adminRoles" | "adminDisable" | "adminEnable" | "adminTotp" | "adminPassword" | "adminUnlock";

/** One action on an account: its own form with the intent, a required reason and any fields it adds. */
function ActionPanel({ intent, panel, intro, failure, children }: {
  intent: StaffAdminIntent;
  panel: PanelKey;
  intro?: string;
  failure?: StaffFormFailure;
  children?: React.ReactNode;
}) {
  const { say } = useStaffText();
  const mine = failure?.intent === intent ? failure : undefined;
  const titleId = `${intent}-title`;
  return (
    <section className="staff-panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{say(`${panel}.title`)}</h2>
      {intro ? <p>{intro}</p> : null}
      <Form method="post" className="staff-form" noValidate>
        <input type="hidden" name="intent" value={intent} />
        <StaffFormError error={mine?.formError} />
        {children}
        <StaffField formId={`${intent}-`} name="reason" label={say("admin.reason")} hint={say("admin.reasonHint")} required
          maxLength={STAFF_REASON_MAX} defaultValue={mine?.values?.reason} error={mine?.fieldErrors?.reason} />
        <button type="submit" className="button button--primary">{say(`${panel}.submit`)}</button>
      </Form>
    </section>
  );
}

/** The actions an admin may take on this account; the server checks each again (self-protection included). */
export function AccountActions({ account, failure }: { account: StaffAccountView; failure?: StaffFormFailure }) {
  const { say } = useStaffText();
  const rolesFailure = failure?.intent === "roles" ? failure : undefined;
  const locked = account.lockedUntil !== null || account.failedSignIns > 0;
  return (
    <>
      {account.isSelf ? null : (
        <ActionPanel intent="roles" panel="adminRoles" failure={failure}>
          <RoleCheckboxes idPrefix="roles-" checked={account.roles} error={rolesFailure?.fieldErrors?.roles} />
        </ActionPanel>
      )}
      {locked ? (
        <ActionPanel intent="unlock" panel="adminUnlock" intro={say("adminUnlock.intro")} failure={failure} />
      ) : (
        <p className="staff-muted">{say("adminUnlock.none")}</p>
      )}
      {account.totpEnrolled ? (
        <ActionPanel intent="reset-totp" panel="adminTotp" intro={say("adminTotp.intro")} failure={failure} />
      ) : (
        <p className="staff-muted">{say("adminTotp.none")}</p>
      )}
      {account.isSelf || account.disabledAt ? null : (
        <ActionPanel intent="reset-password" panel="adminPassword" intro={say("adminPassword.intro")} failure={failure} />
      )}
      {account.disabledAt ? (
        <ActionPanel intent="enable" panel="adminEnable" failure={failure} />
      ) : account.isSelf ? null : (
        <ActionPanel intent="disable" panel="adminDisable" intro={say("adminDisable.intro")} failure={failure} />
      )}
    </>
  );
}

/** An admin's password reset: the one-time code, shown in this answer only (issue 13). */
export function IssuedResetCode({ issued }: { issued: { code: string; expiresAt: string } }) {
  const { locale, say } = useStaffText();
  return (
    <section className="staff-panel" aria-labelledby="issued-title" role="status">
      <h2 id="issued-title">{say("adminPassword.title")}</h2>
      <p><code className="staff-secret" translate="no">{issued.code}</code></p>
      <p>{say("adminPassword.issued", { expiresAt: formatTaipeiDateTime(locale, issued.expiresAt) })}</p>
    </section>
  );
}
