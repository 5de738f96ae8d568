import type { BankImportListItem } from "~/finance/bank-file-upload.server";
import { Link } from "@remix-run/react";
import { formatTaipeiDateTime, useReconciliationText } from "./reconciliation-text";

/** What listBankImports returns, as the page receives it. */
export type BankImportRow = BankImportListItem;

/** Past imports, newest first, a page at a time (keyset: the older page starts after the last id shown). */
export function BankFileImportsTable({ imports, nextCursor, paged }: { imports: BankImportRow[]; nextCursor: string | null; paged: boolean }) {
  const { locale, say } = useReconciliationText();
  return (
    <section aria-labelledby="bank-imports-title">
      <h2 id="bank-imports-title">{say("bankFiles.recentTitle")}</h2>
      {imports.length === 0 ? (
        <p>{say("bankFiles.recentEmpty")}</p>
      ) : (
        <div className="staff-table-wrap">
          <table className="staff-table">
            <thead>
              <tr>
                <th scope="col">{say("bankFiles.col.fileName")}</th>
                <th scope="col">{say("bankFiles.col.importedAt")}</th>
                <th scope="col">{say("bankFiles.col.importedBy")}</th>
                <th scope="col">{say("bankFiles.col.status")}</th>
                <th scope="col" className="reconcile-num">{say("bankFiles.lines")}</th>
                <th scope="col" className="reconcile-num">{say("bankFiles.newTransfers")}</th>
                <th scope="col" className="reconcile-num">{say("bankFiles.duplicates")}</th>
                <th scope="col" className="reconcile-num">{say("bankFiles.exceptions")}</th>
                <th scope="col">{say("bankFiles.col.reconcile")}</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((row) => (
                <tr key={row.id}>
                  <th scope="row" className="bank-file-name">{row.fileName}</th>
                  <td><time dateTime={row.importedAt.toISOString()}>{formatTaipeiDateTime(locale, row.importedAt.toISOString())}</time></td>
                  <td>{row.importedBy}</td>
                  <td>
                    {row.status === "AWAITING_APPROVAL"
                      ? <Link to={`/staff/finance/bank-files/${row.id}`}>{say("bankFiles.status.AWAITING_APPROVAL")}</Link>
                      : say(`bankFiles.status.${row.status}`)}
                  </td>
                  <td className="reconcile-num">{row.lineCount}</td>
                  <td className="reconcile-num">{row.newTransfers}</td>
                  <td className="reconcile-num">{row.duplicates}</td>
                  <td className="reconcile-num">{row.exceptions}</td>
                  <td><Link to="/staff/finance/reconcile" aria-label={say("bankFiles.reconcileLink", { fileName: row.fileName })}>{say("bankFiles.col.reconcile")}</Link></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor || paged ? (
        <p className="exception-pager">
          {paged ? <Link to="/staff/finance/bank-files">{say("bankFiles.first")}</Link> : null}
          {nextCursor ? <Link to={`?cursor=${nextCursor}`}>{say("bankFiles.more")}</Link> : null}
        </p>
      ) : null}
    </section>
  );
}
