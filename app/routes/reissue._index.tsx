import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireCitizen } from "~/auth/session.server";
import { EligibilityResult } from "~/components/eligibility-result";
import { checkEligibility } from "~/eligibility/eligibility.server";
import { serializeAssessment } from "~/eligibility/rules";
import { localeFromMatches, t, useLocale, useT } from "~/lib/i18n";
import landingStyles from "~/styles/landing.css?url";

// The result uses the landing page's buttons and lists.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: landingStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const citizen = await requireCitizen(request);
  const assessment = await checkEligibility({ cardId: citizen.cardId, now: new Date() });
  return { assessment: serializeAssessment(assessment), scope: citizen.scope };
}

export const meta: MetaFunction = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return [{ title: `${t(locale, "reissue.title")} — ${t(locale, "site.name")}` }];
};

export default function Reissue() {
  const { assessment, scope } = useLoaderData<typeof loader>();
  const locale = useLocale();
  const say = useT();
  return (
    <section className="page page--narrow">
      <EligibilityResult assessment={assessment} locale={locale} headingLevel={1} />
      {scope === "reissue-only" ? <p className="page__note">{say("login.expiredNote")}</p> : null}
      <Form method="post" action="/logout" reloadDocument>
        <button type="submit" className="button button--secondary">{say("reissue.logout")}</button>
      </Form>
    </section>
  );
}
