// Renders a component as a page of the app would: the locale in the root route's data (useLocale reads it) and a
// data router around it, so Remix's Form and Link work. Returns the HTML and its text with tags and spacing folded.
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider, type StaticHandlerContext } from "react-router-dom/server";
import type { Locale } from "../../app/lib/i18n";

export async function renderPage(locale: Locale, element: ReactElement): Promise<{ html: string; text: string }> {
  const handler = createStaticHandler([{ id: "root", path: "/", element, loader: () => ({ locale }) }]);
  const context = (await handler.query(new Request("http://localhost/"))) as StaticHandlerContext;
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToStaticMarkup(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  return { html, text: html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/\s+/g, " ") };
}
