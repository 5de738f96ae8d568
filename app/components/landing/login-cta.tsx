import { Link } from "@remix-run/react";
import { useT } from "~/lib/i18n";

export function LoginCta() {
  const t = useT();
  return (
    <Link to="/login" className="button button--primary button--large">
      {t("home.hero.cta")}
    </Link>
  );
}
