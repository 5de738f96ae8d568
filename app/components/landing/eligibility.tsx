import type { ReissueWindowDays } from "~/components/landing/types";
import { formatCount, useLocale, useT } from "~/lib/i18n";

function useWindowText(window: ReissueWindowDays) {
  const locale = useLocale();
  return {
    before: formatCount(locale, "days", window.before),
    after:
      window.afterMonths % 12 === 0
        ? formatCount(locale, "years", window.afterMonths / 12)
        : formatCount(locale, "months", window.afterMonths),
  };
}

export function Eligibility({ window }: { window: ReissueWindowDays }) {
  const t = useT();
  const { before, after } = useWindowText(window);
  // 002 (older rule) allowed only the days before the end; 003 (2024) adds a period after it.
  const hasAfter = window.afterMonths > 0;
  return (
    <section className="section" aria-labelledby="eligible-title">
      <h2 id="eligible-title">{t("home.eligible.title")}</h2>
      <ul className="checklist">
        <li>{t("home.eligible.holder")}</li>
        <li>
          {hasAfter ? t("home.eligible.window", { before, after }) : t("home.eligible.windowBeforeOnly", { before })}
        </li>
        <li>{t("home.eligible.valid")}</li>
      </ul>
      {hasAfter && <p className="section__note">{t("home.eligible.oldCard", { after })}</p>}
    </section>
  );
}

export function OtherRoutes({ window }: { window: ReissueWindowDays }) {
  const t = useT();
  const { before } = useWindowText(window);
  const cases = [
    { id: "extend", title: t("home.other.extend.title"), body: t("home.other.extend.body") },
    { id: "too-early", title: t("home.other.tooEarly.title", { before }), body: t("home.other.tooEarly.body", { before }) },
    { id: "two-cards", title: t("home.other.twoCards.title"), body: t("home.other.twoCards.body") },
    { id: "in-person", title: t("home.other.inPerson.title"), body: t("home.other.inPerson.body") },
  ];
  return (
    <section className="section" aria-labelledby="other-title">
      <h2 id="other-title">{t("home.other.title")}</h2>
      <div className="cards">
        {cases.map((item) => (
          <article key={item.id} className="card" aria-labelledby={`other-${item.id}`}>
            <h3 id={`other-${item.id}`}>{item.title}</h3>
            <p>{item.body}</p>
          </article>
        ))}
      </div>
    </section>
  );
}
