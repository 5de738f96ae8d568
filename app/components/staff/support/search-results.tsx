import { Link } from "@remix-run/react";
import { formatOrderNumber } from "~/orders/order-number";
import type { SupportSearchMatch } from "~/support/search.server";
import type { SupportQueryKind } from "~/support/schema";
import { staffTextLoose } from "../staff-text";
import { formatTaipeiDateTime, useSupportText } from "./support-text";

export interface SearchResultsData {
  by: SupportQueryKind;
  matches: SupportSearchMatch[];
}

/** Several orders for one key (a holder's orders by ID or by the old card): the caller confirms which one. */
export function SearchResults({ results }: { results: SearchResultsData }) {
  const { locale, say } = useSupportText();
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title" tabIndex={-1}>
        {say("search.results", { count: results.matches.length })} <span className="staff-muted">({say(`search.by.${results.by}`)})</span>
      </h2>
      <p>{say("search.resultsIntro")}</p>
      <div className="staff-table-wrap">
        <table className="staff-table">
          <thead>
            <tr>
              <th scope="col">{say("col.orderNumber")}</th>
              <th scope="col">{say("col.status")}</th>
              <th scope="col">{say("col.holderName")}</th>
              <th scope="col">{say("col.nationalId")}</th>
              <th scope="col">{say("col.createdAt")}</th>
              <th scope="col">{say("col.paidAt")}</th>
            </tr>
          </thead>
          <tbody>
            {results.matches.map((match) => (
              <tr key={match.orderNumber}>
                <th scope="row">
                  <Link to={`/staff/support/${encodeURIComponent(match.orderNumber)}`}>{formatOrderNumber(match.orderNumber)}</Link>
                </th>
                <td>{staffTextLoose(locale, `orderStatus.${match.status}`)}</td>
                <td>{match.holderName}</td>
                <td>{match.nationalIdMasked}</td>
                <td><time dateTime={match.createdAt}>{formatTaipeiDateTime(locale, match.createdAt)}</time></td>
                <td>{match.paidAt ? <time dateTime={match.paidAt}>{formatTaipeiDateTime(locale, match.paidAt)}</time> : say("order.none")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
