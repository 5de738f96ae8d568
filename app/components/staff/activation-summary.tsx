import type { StaffActivationView } from "~/activation/staff-activation.server";
import { formatOrderNumber } from "~/orders/order-number";
import { formatTaipeiDateTime, staffTextLoose, useStaffText } from "./staff-text";

/** What findActivationForStaff returns, as the page receives it (ISO dates, the ID masked). */
export type ActivationSummaryView = Omit<StaffActivationView, "orderId">;

export function ActivationSummary({ view, maxWrong }: { view: ActivationSummaryView; maxWrong: number }) {
  const { locale, say } = useStaffText();
  const when = (iso: string | null) => (iso ? formatTaipeiDateTime(locale, iso) : say("detail.none"));
  const rows: Array<[string, string, string?]> = [
    [say("detail.orderNumber"), formatOrderNumber(view.orderNumber)],
    [say("detail.orderStatus"), staffTextLoose(locale, `orderStatus.${view.orderStatus}`)],
    [say("detail.cardNumber"), view.cardNumber ?? say("detail.none")],
    [say("detail.holderName"), view.holderName],
    [say("detail.nationalId"), view.nationalIdMasked],
    [say("detail.wrongAttempts"), say("detail.wrongAttemptsValue", { count: view.wrongAttempts, max: maxWrong }), view.lockedAt ? "staff-flag" : undefined],
    [say("detail.lockedAt"), when(view.lockedAt), view.lockedAt ? "staff-flag" : undefined],
    [say("detail.activatedAt"), when(view.activatedAt)],
    [say("detail.userCodeResetAt"), when(view.userCodeResetAt)],
    [say("detail.mailNumber"), view.mailNumber ?? say("detail.none")],
  ];
  return (
    <>
      <dl className="staff-dl">
        {rows.map(([term, value, className]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd className={className}>{value}</dd>
          </div>
        ))}
      </dl>
      <h2>{say("detail.history")}</h2>
      {view.history.length === 0 ? (
        <p>{say("detail.historyEmpty")}</p>
      ) : (
        <div className="staff-table-wrap">
          <table className="staff-table">
            <thead>
              <tr>
                <th scope="col">{say("detail.historyAt")}</th>
                <th scope="col">{say("detail.historyAction")}</th>
                <th scope="col">{say("detail.historyActor")}</th>
                <th scope="col">{say("detail.historyReason")}</th>
              </tr>
            </thead>
            <tbody>
              {view.history.map((event, index) => (
                <tr key={`${event.at}-${index}`}>
                  <td><time dateTime={event.at}>{formatTaipeiDateTime(locale, event.at)}</time></td>
                  <td>{staffTextLoose(locale, `history.${event.action}`)}</td>
                  <td>{event.actor ?? say("detail.holder")}</td>
                  <td>{event.reason ?? say("detail.none")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
