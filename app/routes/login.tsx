import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { sessionEndedMessage } from "~/auth/login-errors";
import { citizenFromRequest } from "~/auth/session.server";
import { CardLoginForm } from "~/components/card-login-form";
import { env } from "~/lib/env.server";
import { localeFromMatches, t, useLocale, useT } from "~/lib/i18n";

export async function loader({ request }: LoaderFunctionArgs) {
  if (await citizenFromRequest(request)) throw redirect("/reissue");
  // A session ended because the card was revoked or suspended since login (?ended=CODE): the text is ours.
  const ended = sessionEndedMessage(new URL(request.url).searchParams.get("ended"));
  return { hicosBaseUrl: env().HICOS_BASE_URL, ended };
}

export const meta: MetaFunction = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return [{ title: `${t(locale, "login.title")} — ${t(locale, "site.name")}` }];
};

export default function Login() {
  const { hicosBaseUrl, ended } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <section className="page page--narrow">
      <h1>{t("login.title")}</h1>
      {ended ? (
        <div className="notice" role="alert">
          <strong>{t("login.sessionEnded")}</strong>
          <p>{ended[locale]}</p>
        </div>
      ) : null}
      <p>{t("login.intro")}</p>
      <p className="page__note">{t("login.needsHicos")}</p>
      <noscript>
        <p role="alert">{t("login.needsScript")}</p>
      </noscript>
      <CardLoginForm hicosBaseUrl={hicosBaseUrl} />
      <p className="page__note">{t("login.expiredNote")}</p>
    </section>
  );
}
