import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { citizenFromRequest } from "~/auth/session.server";
import { CardLoginForm } from "~/components/card-login-form";
import { env } from "~/lib/env.server";
import { localeFromMatches, t, useT } from "~/lib/i18n";

export async function loader({ request }: LoaderFunctionArgs) {
  if (await citizenFromRequest(request)) throw redirect("/reissue");
  return { hicosBaseUrl: env().HICOS_BASE_URL };
}

export const meta: MetaFunction = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return [{ title: `${t(locale, "login.title")} — ${t(locale, "site.name")}` }];
};

export default function Login() {
  const { hicosBaseUrl } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <section className="page page--narrow">
      <h1>{t("login.title")}</h1>
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
