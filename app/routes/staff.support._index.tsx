import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { StaffField, StaffFormError } from "~/components/staff/staff-field";
import { staffMeta } from "~/components/staff/staff-meta";
import { SearchResults, type SearchResultsData } from "~/components/staff/support/search-results";
import { supportBilingual, supportZodFailure, useSupportText } from "~/components/staff/support/support-text";
import { assertSameOrigin } from "~/lib/http.server";
import { SUPPORT_DESK_ROLES } from "~/staff/areas";
import { formFailure } from "~/staff/form-failure.server";
import { requireStaff } from "~/staff/staff-session.server";
import { idHintHeader } from "~/support/id-hint.server";
import { SUPPORT_QUERY_MAX, supportSearchSchema } from "~/support/schema";
import { searchOrders } from "~/support/search.server";
import supportStyles from "~/styles/support.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: supportStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, SUPPORT_DESK_ROLES);
  return null;
}

type SearchAnswer = StaffFormFailure & { results?: SearchResultsData };

// A POST: mail, card and ID numbers never sit in a URL (history, logs, Referer); one match goes to the order's page.
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, SUPPORT_DESK_ROLES);
  const raw = Object.fromEntries(await request.formData());
  const typed = typeof raw.query === "string" ? raw.query.slice(0, SUPPORT_QUERY_MAX) : "";
  try {
    assertSameOrigin(request);
    const form = supportSearchSchema.safeParse(raw);
    if (!form.success) return data<SearchAnswer>({ ...supportZodFailure(form.error), values: { query: typed } }, { status: 400 });
    const result = await searchOrders({ staff, query: typed });
    // An ID typed is not written back into the page; other numbers are, to correct a typo.
    const values = { query: result.by === "national_id" ? "" : typed };
    const headers = { "Set-Cookie": await idHintHeader(result.maskedIdHint, result.matches.map((m) => m.orderNumber)) };
    if (result.matches.length === 0) return data<SearchAnswer>({ fieldErrors: { query: supportBilingual("error.notFound") }, values }, { status: 404, headers });
    if (result.matches.length === 1) return redirect(`/staff/support/${encodeURIComponent(result.matches[0]!.orderNumber)}`, { status: 303, headers });
    return data<SearchAnswer>({ results: { by: result.by, matches: result.matches }, values }, { headers });
  } catch (error) {
    return formFailure(error, { values: { query: typed } });
  }
}

export const meta: MetaFunction = ({ matches }) => staffMeta(matches, "area.support.title");

export default function SupportSearch() {
  const answer = useActionData<typeof action>() as SearchAnswer | undefined;
  const { say } = useSupportText();
  return (
    <section className="page support">
      <h1>{say("search.title")}</h1>
      <p>{say("search.intro")}</p>
      <StaffFormError error={answer?.formError} />
      <Form method="post" className="staff-form" noValidate>
        <StaffField name="query" label={say("search.query")} hint={say("search.queryHint")} autoComplete="off" spellCheck={false}
          required maxLength={SUPPORT_QUERY_MAX} defaultValue={answer?.values?.query} error={answer?.fieldErrors?.query} autoFocus />
        <button type="submit" className="button button--primary">{say("search.submit")}</button>
      </Form>
      {answer?.results ? <SearchResults results={answer.results} /> : null}
    </section>
  );
}
