import { SUPPORT_PHONE } from "~/components/support-contact";
import { useT } from "~/lib/i18n";

export function Needs() {
  const t = useT();
  return (
    <section className="section" aria-labelledby="needs-title">
      <h2 id="needs-title">{t("home.needs.title")}</h2>
      <ul className="checklist">
        <li>{t("home.needs.computer")}</li>
        <li>{t("home.needs.hicos")}</li>
        <li>{t("home.needs.pin")}</li>
        <li>{t("home.needs.contact")}</li>
      </ul>
    </section>
  );
}

export function UserCode() {
  const t = useT();
  return (
    <section className="section" aria-labelledby="code-title">
      <h2 id="code-title">{t("home.code.title")}</h2>
      <ul className="bullets">
        <li>{t("home.code.rules")}</li>
        <li>
          <strong>{t("home.code.noCopy")}</strong>
        </li>
        <li>{t("home.code.locked", { phone: SUPPORT_PHONE })}</li>
        <li>{t("home.code.forgot")}</li>
      </ul>
    </section>
  );
}
