import { LoginCta } from "~/components/landing/login-cta";
import { POST_TRACKING_URL, SUPPORT_PHONE } from "~/components/support-contact";
import { useT } from "~/lib/i18n";

export function Help() {
  const t = useT();
  return (
    <section className="section" aria-labelledby="help-title">
      <h2 id="help-title">{t("home.help.title")}</h2>
      <ul className="bullets">
        <li>
          {t("home.help.status")} <a href={POST_TRACKING_URL}>{t("home.help.tracking")}</a>
        </li>
        <li>{t("home.help.expired", { phone: SUPPORT_PHONE })}</li>
        <li>{t("home.help.notReceived", { phone: SUPPORT_PHONE })}</li>
      </ul>
    </section>
  );
}

export function ClosingCta() {
  const t = useT();
  return (
    <section className="closing-cta" aria-labelledby="closing-title">
      <h2 id="closing-title">{t("home.cta.title")}</h2>
      <p>{t("home.cta.body")}</p>
      <LoginCta />
    </section>
  );
}
