import { Link } from "@remix-run/react";
import type { AwaitingImport } from "~/finance/bank-file-review.server";
import { formatNtd, formatTaipeiDateTime, useReconciliationText } from "./reconciliation-text";

/** Unsigned imports waiting for a second member of finance, oldest first, each with its lines and total. */
export function BankImportsAwaiting({ imports }: { imports: AwaitingImport[] }) {
  const { locale, say } = useReconciliationText();
  if (imports.length === 0) return null;
  return (
    <section aria-labelledby="bank-awaiting-title">
      <h2 id="bank-awaiting-title">{say("bankFiles.awaitingTitle", { count: imports.length })}</h2>
      <div className="staff-table-wrap">
        <table className="staff-table">
          <thead>
            <tr>
              <th scope="col">{say("bankFiles.col.fileName")}</th>
              <th scope="col">{say("bankFiles.col.importedAt")}</th>
              <th scope="col">{say("bankFiles.col.importedBy")}</th>
              <th scope="col" className="reconcile-num">{say("bankFiles.lines")}</th>
              <th scope="col" className="reconcile-num">{say("bankFiles.total")}</th>
              <th scope="col">{say("bankFiles.col.status")}</th>
            </tr>
          </thead>
          <tbody>
            {imports.map((row) => (
              <tr key={row.id}>
                <th scope="row" className="bank-file-name">{row.fileName}</th>
                <td><time dateTime={row.importedAt.toISOString()}>{formatTaipeiDateTime(locale, row.importedAt.toISOString())}</time></td>
                <td>{row.importedBy}</td>
                <td className="reconcile-num">{row.lineCount}</td>
                <td className="reconcile-num">{formatNtd(row.totalNtd)}</td>
                <td><Link to={`/staff/finance/bank-files/${row.id}`}>{say("bankFiles.reviewLink")}</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
