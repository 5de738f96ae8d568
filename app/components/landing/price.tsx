import type { ReissueFees } from "~/components/landing/types";
import { PriceTable } from "~/components/price-table";
import { useLocale, useT } from "~/lib/i18n";

export function Price({ fees }: { fees: ReissueFees }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section className="section" aria-labelledby="price-title">
      <h2 id="price-title">{t("home.price.title")}</h2>
      <PriceTable
        locale={locale}
        labels={{ card: t("home.price.card"), postage: t("home.price.postage"), total: t("home.price.total") }}
        amounts={{ ...fees, totalNtd: fees.cardNtd + fees.postageNtd }}
      />
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
