import { ExceptionsTable, type ExceptionRow } from "./exceptions-table";
import { formatNtd, formatTaipeiDateTime, useReconciliationText } from "./reconciliation-text";

export interface RunView {
  id: string;
  source: string;
  day: string;
  startedBy: string;
  finishedAt: Date | null;
  matched: number;
  exceptions: number;
  matchedNtd: number;
  feeNtd: number;
  awaitingFile: number;
  foundExceptions: ExceptionRow[];
  otherTransactions: Array<{ id: string; type: string; amountNtd: number; feeNtd: number; netNtd: number; createdAt: Date }>;
}

/** One run: the totals, each exception it found (linked), and Stripe's unmatched kinds of transaction. */
export function RunSummary({ run }: { run: RunView }) {
  const { locale, say, loose } = useReconciliationText();
  const when = (at: Date) => <time dateTime={at.toISOString()}>{formatTaipeiDateTime(locale, at.toISOString())}</time>;
  return (
    <section className="staff-panel reconcile-run" aria-labelledby="run-title">
      <h2 id="run-title" tabIndex={-1}>{say("run.title", { source: loose(`source.${run.source}`), day: run.day })}</h2>
      {run.awaitingFile > 0 ? <p className="staff-notice" role="status">{say("run.noFile", { count: run.awaitingFile })}</p> : null}
      <dl className="reconcile-totals">
        <div><dt>{say("run.matched")}</dt><dd>{run.matched}</dd></div>
        <div><dt>{say("run.gross")}</dt><dd>{formatNtd(run.matchedNtd)}</dd></div>
        <div><dt>{say("run.fees")}</dt><dd>{formatNtd(run.feeNtd)}</dd></div>
        <div><dt>{say("run.net")}</dt><dd>{formatNtd(run.matchedNtd - run.feeNtd)}</dd></div>
        <div><dt>{say("run.exceptions")}</dt><dd className={run.exceptions > 0 ? "staff-flag" : undefined}>{run.exceptions}</dd></div>
        <div><dt>{say("run.finishedAt")}</dt><dd>{run.finishedAt ? when(run.finishedAt) : say("detail.none")}</dd></div>
      </dl>
      <h3>{say("run.exceptionsTitle")}</h3>
      <ExceptionsTable rows={run.foundExceptions} empty={say("run.noExceptions")} />
      {run.otherTransactions.length > 0 ? (
        <>
          <h3>{say("run.others")}</h3>
          <div className="staff-table-wrap">
            <table className="staff-table">
              <thead>
                <tr>
                  <th scope="col">{say("col.reference")}</th>
                  <th scope="col">{say("col.type")}</th>
                  <th scope="col" className="reconcile-num">{say("col.amount")}</th>
                  <th scope="col" className="reconcile-num">{say("col.fee")}</th>
                  <th scope="col" className="reconcile-num">{say("col.net")}</th>
                  <th scope="col">{say("col.createdAt")}</th>
                </tr>
              </thead>
              <tbody>
                {run.otherTransactions.map((t) => (
                  <tr key={t.id}>
                    <th scope="row"><code>{t.id}</code></th>
                    <td>{t.type}</td>
                    <td className="reconcile-num">{formatNtd(t.amountNtd)}</td>
                    <td className="reconcile-num">{formatNtd(t.feeNtd)}</td>
                    <td className="reconcile-num">{formatNtd(t.netNtd)}</td>
                    <td>{when(t.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
