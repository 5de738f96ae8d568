// 002's price — NT$200 card + NT$28 registered post — as one table, on the landing page and on each order.
import { formatAmount, type Locale } from "~/lib/i18n";

export interface PriceLabels {
  caption?: string;
  card: string;
  postage: string;
  total: string;
}

export function PriceTable({ locale, labels, amounts, className = "price-table" }: {
  locale: Locale;
  labels: PriceLabels;
  amounts: { cardNtd: number; postageNtd: number; totalNtd: number };
  className?: string;
}) {
  return (
    <table className={className}>
      {labels.caption ? <caption>{labels.caption}</caption> : null}
      <tbody>
        <tr>
          <th scope="row">{labels.card}</th>
          <td>{formatAmount(locale, amounts.cardNtd)}</td>
        </tr>
        <tr>
          <th scope="row">{labels.postage}</th>
          <td>{formatAmount(locale, amounts.postageNtd)}</td>
        </tr>
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{labels.total}</th>
          <td>{formatAmount(locale, amounts.totalNtd)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
