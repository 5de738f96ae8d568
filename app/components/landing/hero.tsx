import { LoginCta } from "~/components/landing/login-cta";
import { formatAmount, useLocale, useT } from "~/lib/i18n";

export function Hero({ totalNtd }: { totalNtd: number }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section className="hero" aria-labelledby="hero-title">
      <div className="hero__text">
        <p className="hero__kicker">{t("home.hero.kicker")}</p>
        <h1 id="hero-title">{t("home.hero.title")}</h1>
        <p className="hero__tagline">{t("home.hero.tagline")}</p>
        <p className="hero__lead">{t("home.hero.lead")}</p>
        <p className="hero__cta">
          <LoginCta />
        </p>
        <p className="hero__note">{t("home.hero.ctaNote")}</p>
      </div>
      <dl className="facts" aria-label={t("home.facts.label")}>
        <div className="facts__item">
          <dt>{t("home.facts.price")}</dt>
          <dd>{formatAmount(locale, totalNtd)}</dd>
        </div>
        <div className="facts__item">
          <dt>{t("home.facts.pay")}</dt>
          <dd>{t("home.facts.payValue")}</dd>
        </div>
        <div className="facts__item">
          <dt>{t("home.facts.delivery")}</dt>
          <dd>{t("home.facts.deliveryValue")}</dd>
        </div>
      </dl>
    </section>
  );
}
