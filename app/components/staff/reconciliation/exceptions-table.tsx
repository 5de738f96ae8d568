import { Form, Link } from "@remix-run/react";
import { FinanceExceptionKind } from "~/generated/prisma/enums";
import { EXCEPTION_STATUSES } from "~/finance/reconciliation/schema";
import { formatOrderNumber } from "~/orders/order-number";
import { formatNtd, formatTaipeiDateTime, useReconciliationText } from "./reconciliation-text";

export interface ExceptionRow {
  id: string;
  kind: string;
  amountNtd: number;
  paidAt: Date;
  orderNumber: string | null;
  detectedAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
}

/** The filters are a GET form: kind and status are no personal data, so the URL may hold them. */
export function ExceptionFilters({ kind, status }: { kind?: string; status: string }) {
  const { say, loose } = useReconciliationText();
  return (
    <Form method="get" className="exception-filters">
      <label>
        {say("exceptions.kind")}
        <select name="kind" defaultValue={kind ?? ""}>
          <option value="">{say("exceptions.kindAll")}</option>
          {Object.values(FinanceExceptionKind).map((k) => <option key={k} value={k}>{loose(`kind.${k}`)}</option>)}
        </select>
      </label>
      <label>
        {say("exceptions.status")}
        <select name="status" defaultValue={status}>
          {EXCEPTION_STATUSES.map((s) => <option key={s} value={s}>{loose(`status.${s}`)}</option>)}
        </select>
      </label>
      <button type="submit" className="button button--secondary">{say("exceptions.apply")}</button>
    </Form>
  );
}

/** The queue's table, and a run's: each exception linked to its page. `empty` says why there are none. */
export function ExceptionsTable({ rows, empty }: { rows: ExceptionRow[]; empty?: string }) {
  const { locale, say, loose } = useReconciliationText();
  const when = (at: Date) => <time dateTime={at.toISOString()}>{formatTaipeiDateTime(locale, at.toISOString())}</time>;
  if (rows.length === 0) return <p>{empty ?? say("exceptions.empty")}</p>;
  return (
    <div className="staff-table-wrap">
      <table className="staff-table">
        <thead>
          <tr>
            <th scope="col">{say("col.kind")}</th>
            <th scope="col" className="reconcile-num">{say("col.amount")}</th>
            <th scope="col">{say("col.paidAt")}</th>
            <th scope="col">{say("col.orderNumber")}</th>
            <th scope="col">{say("col.detectedAt")}</th>
            <th scope="col">{say("col.status")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row"><Link to={`/staff/finance/exceptions/${row.id}`}>{loose(`kind.${row.kind}`)}</Link></th>
              <td className="reconcile-num">{formatNtd(row.amountNtd)}</td>
              <td>{when(row.paidAt)}</td>
              <td>{row.orderNumber ? formatOrderNumber(row.orderNumber) : say("detail.none")}</td>
              <td>{when(row.detectedAt)}</td>
              <td>{row.resolvedAt ? say("exceptions.resolvedAs", { resolution: loose(`resolution.${row.resolution ?? ""}`) }) : say("exceptions.open")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
