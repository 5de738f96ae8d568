import type { StaffAccountView } from "~/staff/staff-admin.server";
import { formatTaipeiDateTime, useStaffText } from "../staff-text";
import { useAccountStatus } from "./staff-accounts-table";

export function AccountSummary({ account }: { account: StaffAccountView }) {
  const { locale, say } = useStaffText();
  const status = useAccountStatus();
  const rows: Array<[string, string, string?]> = [
    [say("admin.username"), account.username],
    [say("admin.displayName"), account.displayName],
    [say("admin.roles"), account.roles.map((role) => say(`role.${role}`)).join("、")],
    [say("admin.totp"), say(account.totpEnrolled ? "admin.totpYes" : "admin.totpNo")],
    [say("admin.status"), status(account), account.disabledAt || account.lockedUntil ? "staff-flag" : undefined],
    [say("adminDetail.failedSignIns"), String(account.failedSignIns)],
    [say("admin.lastSignIn"), account.lastSignInAt ? formatTaipeiDateTime(locale, account.lastSignInAt) : say("admin.never")],
    [say("adminDetail.createdAt"), formatTaipeiDateTime(locale, account.createdAt)],
  ];
  return (
    <dl className="staff-dl">
      {rows.map(([term, value, flag]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd className={flag}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
