import { Link, useLocation } from "@remix-run/react";
import { LOCALE_PARAM, otherLocale, useLocale, useT } from "~/lib/i18n";

/** The language switch is a plain link to /lang, so it works before (or without) JavaScript. */
function LanguageSwitch() {
  const t = useT();
  const target = otherLocale(useLocale());
  const { pathname, search } = useLocation();
  const params = new URLSearchParams({ [LOCALE_PARAM]: target, redirectTo: pathname + search });
  return (
    <nav className="language-switch" aria-label={t("layout.languageNav")}>
      <a href={`/lang?${params}`} hrefLang={target} lang={target} aria-label={t("layout.switchToLabel")}>
        {t("layout.switchTo")}
      </a>
    </nav>
  );
}

export function SiteHeader() {
  const t = useT();
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("layout.skipToContent")}
      </a>
      <div className="site-header__inner">
        <Link to="/" className="site-brand" aria-label={t("site.home")}>
          <span className="site-brand__agency">{t("site.agency")}</span>
          <span className="site-brand__name">{t("site.name")}</span>
        </Link>
        <LanguageSwitch />
      </div>
    </header>
  );
}
