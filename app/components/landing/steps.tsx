import { Link } from "@remix-run/react";
import { useT } from "~/lib/i18n";

const steps = ["apply", "pay", "email", "mail", "activate"] as const;

export function Steps() {
  const t = useT();
  return (
    <section className="section" aria-labelledby="steps-title">
      <h2 id="steps-title">{t("home.steps.title")}</h2>
      <ol className="steps">
        {steps.map((step) => (
          <li key={step} className="steps__item">
            <h3>
              {/* The card arrives with certificates still to accept: the last step is a page of its own. */}
              {step === "activate" ? <Link to="/activate">{t(`home.steps.${step}.title`)}</Link> : t(`home.steps.${step}.title`)}
            </h3>
            <p>{t(`home.steps.${step}.body`)}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
