// 002 開卡: the holder activates the reissued card here. No login: the new card cannot log in before activation,
// and the old one may have expired. The card is read in the browser through HiCOS; the work is in the flow component.
import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ActivationFlow } from "~/components/activation/activation-flow";
import { activationText, useActivationText } from "~/components/activation/activation-text";
import { env } from "~/lib/env.server";
import { localeFromMatches, t } from "~/lib/i18n";
import orderStyles from "~/styles/orders.css?url";
import activationStyles from "~/styles/activation.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: orderStyles },
  { rel: "stylesheet", href: activationStyles },
];

export function loader() {
  return { hicosBaseUrl: env().HICOS_BASE_URL };
}

export const meta: MetaFunction = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return [{ title: `${activationText(locale, "page.title")} — ${t(locale, "site.name")}` }];
};

const STEPS = ["page.step.insert", "page.step.read", "page.step.check", "page.step.code", "page.step.confirm"] as const;

export default function Activate() {
  const { hicosBaseUrl } = useLoaderData<typeof loader>();
  const { say } = useActivationText();
  return (
    <section className="page activation-page">
      <div className="activation-intro">
        <h1>{say("page.title")}</h1>
        <p>{say("page.intro")}</p>
        <h2 className="activation-intro__steps-title">{say("page.stepsTitle")}</h2>
        <ol className="activation-steps">
          {STEPS.map((step) => (
            <li key={step}>{say(step)}</li>
          ))}
        </ol>
        <ul className="activation-notes">
          <li>{say("page.needsHicos")}</li>
          <li>{say("page.pinLater")}</li>
          <li>{say("page.oldCard")}</li>
        </ul>
        <noscript>
          <p role="alert">{say("page.needsScript")}</p>
        </noscript>
      </div>
      <ActivationFlow hicosBaseUrl={hicosBaseUrl} />
    </section>
  );
}
