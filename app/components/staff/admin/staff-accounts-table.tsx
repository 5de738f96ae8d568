import { Link } from "@remix-run/react";
import type { StaffAccountRow } from "~/staff/staff-admin.server";
import { formatTaipeiDateTime, useStaffText } from "../staff-text";

/** The state of an account in words: disabled, locked until…, or active. */
export function useAccountStatus() {
  const { locale, say } = useStaffText();
  return (row: Pick<StaffAccountRow, "disabledAt" | "lockedUntil">) =>
    row.disabledAt
      ? say("admin.disabled", { at: formatTaipeiDateTime(locale, row.disabledAt) })
      : row.lockedUntil
        ? say("admin.locked", { until: formatTaipeiDateTime(locale, row.lockedUntil) })
        : say("admin.active");
}

export function StaffAccountsTable({ rows }: { rows: StaffAccountRow[] }) {
  const { locale, say } = useStaffText();
  const status = useAccountStatus();
  if (rows.length === 0) return <p>{say("admin.empty")}</p>;
  return (
    <div className="staff-table-wrap">
      <table className="staff-table">
        <caption className="staff-caption">{say("admin.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{say("admin.username")}</th>
            <th scope="col">{say("admin.displayName")}</th>
            <th scope="col">{say("admin.roles")}</th>
            <th scope="col">{say("admin.totp")}</th>
            <th scope="col">{say("admin.status")}</th>
            <th scope="col">{say("admin.lastSignIn")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">
                <Link to={`/staff/admin/${row.id}`}>{row.username}</Link>
              </th>
              <td>{row.displayName}</td>
              <td>{row.roles.map((role) => say(`role.${role}`)).join("、")}</td>
              <td>{say(row.totpEnrolled ? "admin.totpYes" : "admin.totpNo")}</td>
              <td className={row.disabledAt || row.lockedUntil ? "staff-flag" : undefined}>{status(row)}</td>
              <td>{row.lastSignInAt ? formatTaipeiDateTime(locale, row.lastSignInAt) : say("admin.never")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
