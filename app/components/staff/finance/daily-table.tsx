import { Link } from "@remix-run/react";
import type { DailyTotal, MethodTotals } from "~/finance/reports.server";
import { formatNtd, useFinanceText, type FinanceSay } from "./finance-text";

const amountCount = (say: FinanceSay, amount: number, count: number) => say("table.amountCount", { amount: formatNtd(amount), count });

function add(a: MethodTotals, b: MethodTotals): MethodTotals {
  return {
    paidCount: a.paidCount + b.paidCount, paidNtd: a.paidNtd + b.paidNtd,
    exceptionCount: a.exceptionCount + b.exceptionCount, exceptionNtd: a.exceptionNtd + b.exceptionNtd,
  };
}

function Cells({ card, atm }: { card: MethodTotals; atm: MethodTotals }) {
  const { say } = useFinanceText();
  const both = add(card, atm);
  return (
    <>
      <td>{amountCount(say, card.paidNtd, card.paidCount)}</td>
      <td>{amountCount(say, atm.paidNtd, atm.paidCount)}</td>
      <td>{amountCount(say, both.paidNtd, both.paidCount)}</td>
      <td className={both.exceptionCount > 0 ? "finance-exception" : undefined}>{amountCount(say, both.exceptionNtd, both.exceptionCount)}</td>
    </>
  );
}

/** The chart's numbers, a row a day, with the period's sums in the footer. */
export function DailyTable({ days, from, to }: { days: DailyTotal[]; from: string; to: string }) {
  const { say } = useFinanceText();
  const zero: MethodTotals = { paidCount: 0, paidNtd: 0, exceptionCount: 0, exceptionNtd: 0 };
  const card = days.reduce((sum, day) => add(sum, day.card), zero);
  const atm = days.reduce((sum, day) => add(sum, day.atm), zero);
  return (
    <div className="staff-table-wrap" tabIndex={0} role="region" aria-labelledby="finance-daily-caption">
      <table className="staff-table finance-table">
        <caption id="finance-daily-caption">{say("table.caption", { from, to })}</caption>
        <thead>
          <tr>
            <th scope="col">{say("table.day")}</th>
            <th scope="col">{say("table.cardPaid")}</th>
            <th scope="col">{say("table.atmPaid")}</th>
            <th scope="col">{say("table.totalPaid")}</th>
            <th scope="col">{say("table.exceptions")}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.day}>
              <th scope="row">
                <Link to={`/staff/finance/payments?day=${day.day}`}>{day.day}</Link>
              </th>
              <Cells card={day.card} atm={day.atm} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{say("table.sum")}</th>
            <Cells card={card} atm={atm} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
