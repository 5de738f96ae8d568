import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import { ErrorPage, errorPageTitle } from "~/components/error-page";
import { SiteFooter } from "~/components/site-footer";
import { SiteHeader } from "~/components/site-header";
import {
  localeCookieHeader,
  localeFromCookieHeader,
  localeFromQuery,
  resolveLocale,
  t,
  useLocale,
} from "~/lib/i18n";
import { useNonce } from "~/lib/nonce";
import styles from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  // No favicon yet: an empty data URL stops browsers asking for /favicon.ico (a 404 each time).
  { rel: "icon", href: "data:," },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = resolveLocale(request);
  // A shared `?lang=en` link keeps working on the next page too.
  const fromQuery = localeFromQuery(request);
  const remember = fromQuery && fromQuery !== localeFromCookieHeader(request.headers.get("Cookie"));
  const secure = new URL(request.url).protocol === "https:";
  return data(
    { locale },
    remember ? { headers: { "Set-Cookie": localeCookieHeader(fromQuery, { secure }) } } : undefined,
  );
}

// Every page's language depends on this request header; child routes inherit this unless they set their own.
export const headers: HeadersFunction = () => ({ Vary: "Cookie" });

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (error) return [{ title: errorPageTitle(error) }];
  return [{ title: t(data?.locale ?? "zh-TW", "site.name") }];
};

export function Layout({ children }: { children: ReactNode }) {
  const locale = useLocale();
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <SiteHeader />
        <main id="main" className="site-main" tabIndex={-1}>
          {children}
        </main>
        <SiteFooter />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorPage error={useRouteError()} />;
}
