import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Eligibility, OtherRoutes } from "~/components/landing/eligibility";
import { ClosingCta, Help } from "~/components/landing/help";
import { Hero } from "~/components/landing/hero";
import { Price } from "~/components/landing/price";
import { Needs, UserCode } from "~/components/landing/preparation";
import { Steps } from "~/components/landing/steps";
import type { ReissueFees, ReissueWindowDays } from "~/components/landing/types";
import { LOCALE_PARAM, localeFromMatches, otherLocale, t } from "~/lib/i18n";
import { reissueWindowSettings } from "~/eligibility/eligibility.server";
import { reissueFees } from "~/orders/pricing";
import landingStyles from "~/styles/landing.css?url";


export const links: LinksFunction = () => [{ rel: "stylesheet", href: landingStyles }];

export async function loader() {
  const fees: ReissueFees = reissueFees();
  const { daysBefore, monthsAfter } = reissueWindowSettings();
  const reissueWindowDays: ReissueWindowDays = { before: daysBefore, afterMonths: monthsAfter };
  return { reissueWindowDays, reissueFees: fees };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = localeFromMatches(matches);
  const fees = data?.reissueFees ?? reissueFees();
  const other = otherLocale(locale);
  return [
    { title: t(locale, "meta.home.title") },
    { name: "description", content: t(locale, "meta.home.description", { total: fees.cardNtd + fees.postageNtd }) },
    { tagName: "link", rel: "alternate", hrefLang: other, href: `/?${LOCALE_PARAM}=${other}` },
  ];
};

export default function Index() {
  const { reissueWindowDays, reissueFees } = useLoaderData<typeof loader>();
  return (
    <div className="landing">
      <Hero totalNtd={reissueFees.cardNtd + reissueFees.postageNtd} />
      <div className="landing__body">
        <Eligibility window={reissueWindowDays} />
        <OtherRoutes window={reissueWindowDays} />
        <Price fees={reissueFees} />
        <Steps />
        <Needs />
        <UserCode />
        <Help />
      </div>
      <ClosingCta />
    </div>
  );
}
