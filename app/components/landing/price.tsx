import type { ReissueFees } from "~/components/landing/types";
import { formatAmount, useLocale, useT } from "~/lib/i18n";

export function Price({ fees }: { fees: ReissueFees }) {
  const t = useT();
  const locale = useLocale();
  const total = fees.cardNtd + fees.postageNtd;
  return (
    <section className="section" aria-labelledby="price-title">
      <h2 id="price-title">{t("home.price.title")}</h2>
      <table className="price-table">
        <tbody>
          <tr>
            <th scope="row">{t("home.price.card")}</th>
            <td>{formatAmount(locale, fees.cardNtd)}</td>
          </tr>
          <tr>
            <th scope="row">{t("home.price.postage")}</th>
            <td>{formatAmount(locale, fees.postageNtd)}</td>
          </tr>
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("home.price.total")}</th>
            <td>{formatAmount(locale, total)}</td>
          </tr>
        </tfoot>
      </table>
      <ul className="bullets">
        <li>{t("home.price.methods")}</li>
        <li>
          <strong>{t("home.price.deadline")}</strong>
        </li>
      </ul>
      <div className="notice" role="note" aria-labelledby="before-you-pay">
        <h3 id="before-you-pay">{t("home.price.beforeYouPay")}</h3>
        <ul className="bullets">
          <li>{t("home.price.noChanges")}</li>
          <li>{t("home.price.noRefund")}</li>
        </ul>
      </div>
    </section>
  );
}
