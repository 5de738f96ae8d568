import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { BankImportReviewPanel } from "~/components/staff/reconciliation/bank-import-review";
import { reconciliationText, reconciliationZodFailure, useReconciliationText } from "~/components/staff/reconciliation/reconciliation-text";
import { staffText } from "~/components/staff/staff-text";
import { approveBankImport, rejectBankImport } from "~/finance/bank-file-approval.server";
import { loadBankImportReview } from "~/finance/bank-file-review.server";
import { bankDecisionSchema, uuidSchema } from "~/finance/reconciliation/schema";
import { AppError } from "~/lib/errors.server";
import { assertSameOrigin } from "~/lib/http.server";
import { localeFromMatches, t } from "~/lib/i18n";
import { FINANCE_ROLES } from "~/staff/areas";
import { formFailure } from "~/staff/form-failure.server";
import { requireStaff } from "~/staff/staff-session.server";
import styles from "~/styles/reconciliation.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const importIdOf = (params: LoaderFunctionArgs["params"]) => {
  const id = uuidSchema.safeParse(params.importId);
  if (!id.success) throw new Response(null, { status: 404 });
  return id.data;
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, FINANCE_ROLES);
  try {
    const review = await loadBankImportReview({ staff, importId: importIdOf(params) });
    return { review, done: new URL(request.url).searchParams.get("done") };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) throw new Response(null, { status: 404 });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request, FINANCE_ROLES);
  const importId = importIdOf(params);
  const raw = Object.fromEntries(await request.formData());
  const values = { reason: typeof raw.reason === "string" ? raw.reason.slice(0, 500) : "" };
  try {
    assertSameOrigin(request);
    const form = bankDecisionSchema.safeParse(raw);
    if (!form.success) return data<StaffFormFailure>({ ...reconciliationZodFailure(form.error), values }, { status: 400 });
    const decision = { staff, importId, reason: form.data.reason };
    if (form.data.intent === "reject") {
      await rejectBankImport(decision);
      return redirect(`/staff/finance/bank-files/${importId}?done=rejected`, 303);
    }
    const approved = await approveBankImport(decision);
    // A transfer the bank reported meanwhile with other facts: nothing applied, the import stays pending.
    if (!approved.ok) return data<StaffFormFailure>({ formError: approved.problems[0]!.reason, values }, { status: 409 });
    return redirect(`/staff/finance/bank-files/${importId}?done=approved`, 303);
  } catch (error) {
    return formFailure(error, { values, fields: { BANK_DECISION_REASON_REQUIRED: "reason" } });
  }
}

export const meta: MetaFunction<typeof loader> = ({ matches, data: loaded }) => {
  const locale = localeFromMatches(matches);
  const title = reconciliationText(locale, "review.title", { fileName: loaded?.review.fileName ?? "" });
  return [{ title: `${title} — ${staffText(locale, "layout.area")} — ${t(locale, "site.name")}` }, { name: "robots", content: "noindex, nofollow" }];
};

export default function BankImportReviewPage() {
  const { review, done } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as StaffFormFailure | undefined;
  const { say } = useReconciliationText();
  return (
    <section className="page bank-files">
      <h1>{say("review.title", { fileName: review.fileName })}</h1>
      {done === "approved" ? <p className="staff-notice staff-notice--done" role="status">{say("bankFiles.status.APPLIED")}</p> : null}
      {done === "rejected" ? <p className="staff-notice staff-notice--done" role="status">{say("bankFiles.status.REJECTED")}</p> : null}
      {review.status === "AWAITING_APPROVAL" ? <p>{say("review.intro")}</p> : null}
      <BankImportReviewPanel review={review} failure={failure} />
      <p><Link to="/staff/finance/bank-files">{say("review.back")}</Link></p>
    </section>
  );
}
