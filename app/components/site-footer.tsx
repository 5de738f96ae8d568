import { MOICA_SITE, SUPPORT_EMAIL, SUPPORT_PHONE, SUPPORT_PHONE_HREF } from "~/components/support-contact";
import { useT } from "~/lib/i18n";

export function SiteFooter() {
  const t = useT();
  return (
    <footer className="site-footer">
      <div className="site-footer__inner">
        <p className="site-footer__agency">{t("site.agency")}</p>
        <dl className="site-footer__contact">
          <div>
            <dt>{t("footer.support")}</dt>
            <dd>
              <a href={SUPPORT_PHONE_HREF}>{SUPPORT_PHONE}</a>
              <span className="site-footer__hours">{t("footer.supportHours")}</span>
            </dd>
          </div>
          <div>
            <dt>{t("footer.mail")}</dt>
            <dd>
              <a href={`mailto:${SUPPORT_EMAIL}`}>{SUPPORT_EMAIL}</a>
            </dd>
          </div>
        </dl>
        <p className="site-footer__note">
          {t("footer.official")} <a href={MOICA_SITE}>{MOICA_SITE.replace("https://", "")}</a>
        </p>
      </div>
    </footer>
  );
}
