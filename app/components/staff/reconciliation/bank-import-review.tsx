import { Form } from "@remix-run/react";
import type { BankImportReview } from "~/finance/bank-file-review.server";
import type { StaffFormFailure } from "../form-result";
import { StaffField, StaffFormError } from "../staff-field";
import { formatNtd, formatTaipeiDateTime, useReconciliationText } from "./reconciliation-text";

type ReviewView = BankImportReview;

/** One unsigned import: its pending transfers and totals, and the approve / reject form (four eyes). */
export function BankImportReviewPanel({ review, failure }: { review: ReviewView; failure?: StaffFormFailure }) {
  const { locale, say } = useReconciliationText();
  const awaiting = review.status === "AWAITING_APPROVAL";
  return (
    <>
      <dl className="reconcile-totals">
        <div><dt>{say("bankFiles.col.importedAt")}</dt><dd>{formatTaipeiDateTime(locale, review.importedAt.toISOString())}</dd></div>
        <div><dt>{say("bankFiles.col.importedBy")}</dt><dd>{review.importedBy}</dd></div>
        <div><dt>{say("bankFiles.lines")}</dt><dd>{review.lineCount}</dd></div>
        <div><dt>{say("bankFiles.total")}</dt><dd>{formatNtd(review.totalNtd)}</dd></div>
        <div><dt>{say("bankFiles.col.status")}</dt><dd>{say(`bankFiles.status.${review.status}`)}</dd></div>
      </dl>
      {awaiting ? null : <p role="status">{say("review.decided", { status: say(`bankFiles.status.${review.status}`) })}{review.decisionReason ? ` — ${review.decisionReason}` : ""}</p>}
      {review.lines.length > 0 ? (
        <div className="staff-table-wrap">
          <table className="staff-table">
            <caption>{say("review.linesCaption", { shown: review.lines.length, count: review.lineCount })}</caption>
            <thead>
              <tr>
                <th scope="col" className="reconcile-num">{say("bankFiles.line")}</th>
                <th scope="col">{say("review.col.paidAt")}</th>
                <th scope="col">{say("review.col.bankCode")}</th>
                <th scope="col">{say("review.col.virtualAccount")}</th>
                <th scope="col" className="reconcile-num">{say("review.col.amount")}</th>
                <th scope="col">{say("review.col.bankTxnId")}</th>
                <th scope="col">{say("review.col.received")}</th>
              </tr>
            </thead>
            <tbody>
              {review.lines.map((line) => (
                <tr key={line.line}>
                  <th scope="row" className="reconcile-num">{line.line}</th>
                  <td>{formatTaipeiDateTime(locale, line.paidAt.toISOString())}</td>
                  <td>{line.bankCode}</td>
                  <td>{line.virtualAccount}</td>
                  <td className="reconcile-num">{formatNtd(line.amountNtd)}</td>
                  <td>{line.bankTxnId}</td>
                  <td>{line.alreadyReceived ? say("review.yes") : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {awaiting ? (
        <section className="staff-panel" aria-labelledby="decide-title">
          <h2 id="decide-title">{say("review.approve")} / {say("review.reject")}</h2>
          {review.mayApprove ? null : <p className="staff-notice">{say("review.ownImport")}</p>}
          <Form method="post" className="staff-form" noValidate>
            <StaffFormError error={failure?.formError} />
            <StaffField name="reason" label={say("review.reason")} hint={say("review.reasonHint")} required maxLength={500}
              defaultValue={failure?.values?.reason} error={failure?.fieldErrors?.reason} />
            {review.mayApprove ? <button type="submit" name="intent" value="approve" className="button button--primary">{say("review.approve")}</button> : null}
            <button type="submit" name="intent" value="reject" className="button">{say("review.reject")}</button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
