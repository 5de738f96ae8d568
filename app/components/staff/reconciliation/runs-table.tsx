import { Link } from "@remix-run/react";
import { formatNtd, formatTaipeiDateTime, useReconciliationText } from "./reconciliation-text";

export interface RunRow {
  id: string;
  source: string;
  day: string;
  startedAt: Date;
  matched: number;
  exceptions: number;
  matchedNtd: number;
  feeNtd: number;
}

export function RunsTable({ runs, nextCursor }: { runs: RunRow[]; nextCursor: string | null }) {
  const { locale, say, loose } = useReconciliationText();
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">{say("runs.title")}</h2>
      {runs.length === 0 ? (
        <p>{say("runs.empty")}</p>
      ) : (
        <div className="staff-table-wrap">
          <table className="staff-table">
            <thead>
              <tr>
                <th scope="col">{say("col.day")}</th>
                <th scope="col">{say("col.source")}</th>
                <th scope="col" className="reconcile-num">{say("run.matched")}</th>
                <th scope="col" className="reconcile-num">{say("run.gross")}</th>
                <th scope="col" className="reconcile-num">{say("run.fees")}</th>
                <th scope="col" className="reconcile-num">{say("run.exceptions")}</th>
                <th scope="col">{say("run.finishedAt")}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <th scope="row"><Link to={`?run=${run.id}`} aria-label={`${say("runs.view")} ${run.day} ${loose(`source.${run.source}`)}`}>{run.day}</Link></th>
                  <td>{loose(`source.${run.source}`)}</td>
                  <td className="reconcile-num">{run.matched}</td>
                  <td className="reconcile-num">{formatNtd(run.matchedNtd)}</td>
                  <td className="reconcile-num">{formatNtd(run.feeNtd)}</td>
                  <td className="reconcile-num">{run.exceptions}</td>
                  <td><time dateTime={run.startedAt.toISOString()}>{formatTaipeiDateTime(locale, run.startedAt.toISOString())}</time></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor ? <p><Link to={`?cursor=${nextCursor}`}>{say("runs.more")}</Link></p> : null}
    </section>
  );
}
