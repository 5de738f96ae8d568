import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { findActivationForStaff } from "~/activation/staff-activation.server";
import { zodFailure, type StaffFormFailure } from "~/components/staff/form-result";
import { StaffField, StaffFormError } from "~/components/staff/staff-field";
import { staffMeta } from "~/components/staff/staff-meta";
import { bilingual, useStaffText } from "~/components/staff/staff-text";
import { assertSameOrigin } from "~/lib/http.server";
import { ACTIVATION_VIEWER_ROLES } from "~/staff/areas";
import { formFailure } from "~/staff/form-failure.server";
import { activationSearchSchema } from "~/staff/schema";
import { requireStaff } from "~/staff/staff-session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, ACTIVATION_VIEWER_ROLES);
  return null;
}

// A POST, so a card number never sits in a URL (history, logs, Referer); the detail page is keyed by order number.
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, ACTIVATION_VIEWER_ROLES);
  const raw = Object.fromEntries(await request.formData());
  const values = { query: typeof raw.query === "string" ? raw.query.slice(0, 40) : "" };
  try {
    assertSameOrigin(request);
    const form = activationSearchSchema.safeParse(raw);
    if (!form.success) return data<StaffFormFailure>({ ...zodFailure(form.error), values }, { status: 400 });
    const view = await findActivationForStaff({ staff, query: form.data.query });
    if (!view) return data<StaffFormFailure>({ fieldErrors: { query: bilingual("error.notFound") }, values }, { status: 404 });
    return redirect(`/staff/activation/${encodeURIComponent(view.orderNumber)}`, 303);
  } catch (error) {
    return formFailure(error, { values });
  }
}

export const meta: MetaFunction = ({ matches }) => staffMeta(matches, "search.title");

export default function ActivationSearch() {
  const failure = useActionData<typeof action>() as StaffFormFailure | undefined;
  const { say } = useStaffText();
  return (
    <section className="page page--narrow">
      <h1>{say("search.title")}</h1>
      <p>{say("search.intro")}</p>
      <StaffFormError error={failure?.formError} />
      <Form method="post" className="staff-form" noValidate>
        <StaffField name="query" label={say("search.query")} hint={say("search.queryHint")} autoComplete="off" spellCheck={false}
          required maxLength={40} defaultValue={failure?.values?.query} error={failure?.fieldErrors?.query} />
        <button type="submit" className="button button--primary">{say("search.submit")}</button>
      </Form>
    </section>
  );
}
