import { Link } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { formatNtd, useReconciliationText } from "./reconciliation-text";

type Bilingual = { "zh-TW": string; en: string };

export type BankFileResultView =
  | {
      ok: true;
      fileName: string;
      summary: { importId: string; status: "APPLIED" | "AWAITING_APPROVAL"; totalNtd: number; lines: number; newTransfers: number; appliedPayments: number; duplicates: number; exceptions: number; exceptionsByKind: Partial<Record<string, number>> };
    }
  | { ok: false; fileName: string; problems: Array<{ line: number; reason: Bilingual }>; problemCount: number };

/** What an upload did: the import's counts, or every problem line of a refused file. Focus moves here after a POST. */
export function BankFileResult({ result }: { result: BankFileResultView }) {
  const { locale, say, loose } = useReconciliationText();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [result]);

  if (!result.ok) {
    return (
      <section className="staff-panel bank-file-result bank-file-result--refused" aria-labelledby="bank-file-result-title">
        <div role="alert">
          <h2 id="bank-file-result-title" tabIndex={-1} ref={heading}>
            {say("bankFiles.refused", { fileName: result.fileName, count: result.problemCount })}
          </h2>
        </div>
        {result.problemCount > result.problems.length ? <p>{say("bankFiles.refusedMore", { shown: result.problems.length })}</p> : null}
        <div className="staff-table-wrap">
          <table className="staff-table bank-file-problems">
            <caption>{say("bankFiles.problemsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col" className="reconcile-num">{say("bankFiles.line")}</th>
                <th scope="col">{say("bankFiles.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {result.problems.map((problem, index) => (
                <tr key={`${problem.line}-${index}`}>
                  <th scope="row" className="reconcile-num">{problem.line > 0 ? problem.line : say("bankFiles.wholeFile")}</th>
                  <td>
                    {problem.reason[locale]}
                    <span className="bank-file-problem__other" lang={locale === "en" ? "zh-TW" : "en"}>{problem.reason[locale === "en" ? "zh-TW" : "en"]}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    );
  }

  const { summary } = result;
  if (summary.status === "AWAITING_APPROVAL") {
    return (
      <section className="staff-panel bank-file-result" aria-labelledby="bank-file-result-title">
        <div role="status">
          <h2 id="bank-file-result-title" tabIndex={-1} ref={heading}>{say("bankFiles.awaiting", { fileName: result.fileName })}</h2>
        </div>
        <dl className="reconcile-totals">
          <div><dt>{say("bankFiles.lines")}</dt><dd>{summary.lines}</dd></div>
          <div><dt>{say("bankFiles.total")}</dt><dd>{formatNtd(summary.totalNtd)}</dd></div>
        </dl>
        <p><Link to={`/staff/finance/bank-files/${summary.importId}`}>{say("bankFiles.reviewLink")}</Link></p>
      </section>
    );
  }
  const kinds = Object.entries(summary.exceptionsByKind).filter(([, count]) => (count ?? 0) > 0);
  return (
    <section className="staff-panel bank-file-result" aria-labelledby="bank-file-result-title">
      <div role="status">
        <h2 id="bank-file-result-title" tabIndex={-1} ref={heading}>{say("bankFiles.imported", { fileName: result.fileName })}</h2>
      </div>
      <dl className="reconcile-totals">
        <div><dt>{say("bankFiles.lines")}</dt><dd>{summary.lines}</dd></div>
        <div><dt>{say("bankFiles.newTransfers")}</dt><dd>{summary.newTransfers}</dd></div>
        <div><dt>{say("bankFiles.appliedPayments")}</dt><dd>{summary.appliedPayments}</dd></div>
        <div><dt>{say("bankFiles.duplicates")}</dt><dd>{summary.duplicates}</dd></div>
        <div><dt>{say("bankFiles.exceptions")}</dt><dd className={summary.exceptions > 0 ? "staff-flag" : undefined}>{summary.exceptions}</dd></div>
      </dl>
      {kinds.length > 0 ? (
        <>
          <h3>{say("bankFiles.exceptionsByKind")}</h3>
          <ul className="bank-file-kinds">
            {kinds.map(([kind, count]) => (
              <li key={kind}>
                <Link to={`/staff/finance/exceptions?${new URLSearchParams({ kind, status: "open" })}`}>{loose(`kind.${kind}`)}</Link>: {count}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p><Link to="/staff/finance/reconcile">{say("bankFiles.reconcileNext")}</Link></p>
    </section>
  );
}
