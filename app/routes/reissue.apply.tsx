import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireCitizen, requireCitizenForChange } from "~/auth/session.server";
import { ApplicationConfirm, ApplicationForm } from "~/components/application-form";
import { orderText, useOrderText } from "~/components/order-text";
import { AppError } from "~/lib/errors.server";
import { assertSameOrigin } from "~/lib/http.server";
import { localeFromMatches, t } from "~/lib/i18n";
import { confirmApplication, loadApplicationPage, reviewApplication } from "~/orders/application-draft.server";
import landingStyles from "~/styles/landing.css?url";
import orderStyles from "~/styles/orders.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: landingStyles },
  { rel: "stylesheet", href: orderStyles },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const citizen = await requireCitizen(request);
  const page = await loadApplicationPage({ citizen, now: new Date() });
  // Only an eligible card may apply; /reissue says why not (or shows the order already open).
  if (!page) throw redirect("/reissue");
  const step = new URL(request.url).searchParams.get("step") === "confirm" ? "confirm" : "form";
  if (step === "confirm" && !page.draft) throw redirect("/reissue/apply");
  return { ...page, step };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const citizen = await requireCitizenForChange(request, { statusSource: context.certificateStatus });
  try {
    assertSameOrigin(request);
    const form = Object.fromEntries(await request.formData());
    if (form.intent === "confirm") {
      const order = await confirmApplication({ citizen });
      return redirect(`/reissue/orders/${order.orderNumber}`);
    }
    const review = await reviewApplication({ citizen, form });
    if (!review.ok) return data({ fieldErrors: review.fieldErrors, values: review.values, formError: null }, { status: 400 });
    return redirect("/reissue/apply?step=confirm");
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return data({ fieldErrors: {}, values: {}, formError: error.userMessage }, { status: error.status });
  }
}

export const meta: MetaFunction = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return [{ title: `${orderText(locale, "apply.title")} — ${t(locale, "site.name")}` }];
};

export default function Apply() {
  const { applicant, fees, draft, step } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { say } = useOrderText();
  return (
    <section className="page page--narrow">
      {step === "confirm" && draft ? (
        <>
          <h1>{say("confirm.title")}</h1>
          <ApplicationConfirm applicant={applicant} fees={fees} draft={draft} formError={result?.formError} />
        </>
      ) : (
        <>
          <h1>{say("apply.title")}</h1>
          <ApplicationForm
            applicant={applicant}
            fees={fees}
            values={result?.values ?? (draft ? { ...draft, terms: "on" } : undefined)}
            fieldErrors={result?.fieldErrors}
            formError={result?.formError}
          />
        </>
      )}
    </section>
  );
}
