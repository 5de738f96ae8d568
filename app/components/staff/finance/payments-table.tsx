import { Form, Link } from "@remix-run/react";
import type { PaymentListItem } from "~/finance/reports.server";
import { StaffField } from "../staff-field";
import type { FinanceFieldErrors } from "./field-errors";
import { formatNtd, formatTaipeiTime, useFinanceText } from "./finance-text";
import { MethodSelect } from "./method-select";

export interface PaymentsQuery {
  day: string;
  /** card, atm or "" (both), as in the URL. */
  method: string;
}

/** The day picker: a GET form, so the page's URL says which day it shows. */
export function PaymentsFilter({ query, errors }: { query: PaymentsQuery; errors?: FinanceFieldErrors }) {
  const { say } = useFinanceText();
  return (
    <Form method="get" className="finance-form">
      <div className="finance-form__row">
        <StaffField name="day" type="date" label={say("payments.day")} hint={say("payments.dayHint")} required defaultValue={query.day} error={errors?.day} />
        <MethodSelect id="payments-method" label={say("payments.method")} defaultValue={query.method} />
        <button type="submit" className="button button--secondary">{say("payments.submit")}</button>
      </div>
    </Form>
  );
}

export function PaymentsTable({ items, query, nextCursor, isFirstPage }: {
  items: PaymentListItem[];
  query: PaymentsQuery;
  nextCursor: string | null;
  isFirstPage: boolean;
}) {
  const { say } = useFinanceText();
  const base = new URLSearchParams({ day: query.day, ...(query.method ? { method: query.method } : {}) });
  const methodName = query.method === "card" ? say("method.CARD") : query.method === "atm" ? say("method.ATM") : say("method.all");
  return (
    <>
      <div className="staff-table-wrap" tabIndex={0} role="region" aria-labelledby="finance-payments-caption">
        <table className="staff-table finance-table">
          <caption id="finance-payments-caption">{say("payments.caption", { day: query.day, method: methodName })}</caption>
          <thead>
            <tr>
              <th scope="col">{say("col.paidAt")}</th>
              <th scope="col">{say("col.orderNumber")}</th>
              <th scope="col">{say("col.method")}</th>
              <th scope="col">{say("col.amount")}</th>
              <th scope="col">{say("col.status")}</th>
              <th scope="col">{say("col.outcome")}</th>
              <th scope="col">{say("col.reference")}</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr>
                <td colSpan={7}>{say("payments.empty")}</td>
              </tr>
            ) : (
              items.map((item) => (
                <tr key={item.id}>
                  <td><time dateTime={item.paidAt}>{formatTaipeiTime(item.paidAt)}</time></td>
                  <th scope="row">{item.orderNumber}</th>
                  <td>{say(`method.${item.method}`)}</td>
                  <td>{formatNtd(item.amountNtd)}</td>
                  <td>{say(`status.${item.status}`)}</td>
                  <td className={item.outcome && item.outcome !== "APPLIED" ? "finance-exception" : undefined}>
                    {item.outcome ? say(`outcome.${item.outcome}`) : say("none")}
                  </td>
                  <td><code>{item.providerReference ?? say("none")}</code></td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {nextCursor || !isFirstPage ? (
        <nav aria-label={say("payments.pager")} className="finance-pager">
          {!isFirstPage ? <Link to={`?${base}`}>{say("payments.first")}</Link> : null}
          {nextCursor ? <Link to={`?${new URLSearchParams({ ...Object.fromEntries(base), cursor: nextCursor })}`}>{say("payments.next")}</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
