import { isRouteErrorResponse } from "@remix-run/react";
import { SUPPORT_PHONE } from "~/components/support-contact";
import { locales, t, useLocale, type Locale } from "~/lib/i18n";

type ErrorKind = "notFound" | "request" | "server" | "unavailable";

function describe(error: unknown): { kind: ErrorKind; status: number } {
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) return { kind: "notFound", status: 404 };
    // 503: something we depend on (the CA's status service…) cannot answer now; nothing was done.
    if (error.status === 503) return { kind: "unavailable", status: 503 };
    if (error.status >= 400 && error.status < 500) return { kind: "request", status: error.status };
    return { kind: "server", status: error.status };
  }
  // Thrown errors carry internals (messages, stacks): show none of them.
  return { kind: "server", status: 500 };
}

export function errorPageTitle(error: unknown): string {
  const { kind } = describe(error);
  return locales.map((locale) => t(locale, `error.${kind}.title`)).join(" / ");
}

/** The app's own bilingual message ({ error: { message } }, as errorResponse sends it), when the error carries one. */
function appMessage(error: unknown): Record<Locale, string> | null {
  if (!isRouteErrorResponse(error)) return null;
  const message = (error.data as { error?: { message?: Record<string, unknown> } } | null)?.error?.message;
  return message && locales.every((locale) => typeof message[locale] === "string") ? (message as Record<Locale, string>) : null;
}

/** Both languages, the visitor's first: an error can come before we know which one they read. */
export function ErrorPage({ error }: { error: unknown }) {
  const current = useLocale();
  const { kind, status } = describe(error);
  const message = appMessage(error);
  const ordered: Locale[] = [current, ...locales.filter((locale) => locale !== current)];
  return (
    <div className="error-page">
      <p className="error-page__code" aria-hidden="true">{status}</p>
      {ordered.map((locale, index) => (
        <section key={locale} lang={locale} className="error-page__block" aria-labelledby={`error-${locale}`}>
          {index === 0 ? (
            <h1 id={`error-${locale}`}>{t(locale, `error.${kind}.title`)}</h1>
          ) : (
            <h2 id={`error-${locale}`}>{t(locale, `error.${kind}.title`)}</h2>
          )}
          <p>
            {message?.[locale] ??
              (kind === "server" ? t(locale, "error.server.body", { phone: SUPPORT_PHONE }) : t(locale, `error.${kind}.body`))}
          </p>
          <p className="error-page__meta">{t(locale, "error.code", { status })}</p>
          <p>
            <a href="/" className="button button--secondary">
              {t(locale, "error.backHome")}
            </a>
          </p>
        </section>
      ))}
    </div>
  );
}
