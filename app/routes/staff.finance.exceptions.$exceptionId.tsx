import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { ExceptionDetail } from "~/components/staff/reconciliation/exception-detail";
import { reconciliationMeta, reconciliationZodFailure, useReconciliationText } from "~/components/staff/reconciliation/reconciliation-text";
import { ResolveForm } from "~/components/staff/reconciliation/resolve-form";
import { loadFinanceException } from "~/finance/reconciliation/exception-queue.server";
import { resolveFormSchema, uuidSchema } from "~/finance/reconciliation/schema";
import { resolveFinanceException } from "~/finance/resolve-exception.server";
import { assertSameOrigin } from "~/lib/http.server";
import { FINANCE_ROLES } from "~/staff/areas";
import { formFailure } from "~/staff/form-failure.server";
import { requireStaff } from "~/staff/staff-session.server";
import styles from "~/styles/reconciliation.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, FINANCE_ROLES);
  const view = await loadFinanceException({ staff, exceptionId: params.exceptionId ?? "" });
  if (!view) throw new Response(null, { status: 404 });
  return { view, done: new URL(request.url).searchParams.get("done") === "1" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request, FINANCE_ROLES);
  const exceptionId = params.exceptionId ?? "";
  if (!uuidSchema.safeParse(exceptionId).success) throw new Response(null, { status: 404 });
  const raw = Object.fromEntries(await request.formData());
  const text = (key: string, max: number) => (typeof raw[key] === "string" ? (raw[key] as string).slice(0, max) : "");
  const values = { resolution: text("resolution", 32), note: text("note", 500), orderNumber: text("orderNumber", 20) };
  try {
    assertSameOrigin(request);
    const form = resolveFormSchema.safeParse(raw);
    if (!form.success) return data<StaffFormFailure>({ ...reconciliationZodFailure(form.error), values }, { status: 400 });
    await resolveFinanceException({ staff, exceptionId, ...form.data });
    return redirect(`/staff/finance/exceptions/${exceptionId}?done=1`, 303);
  } catch (error) {
    return formFailure(error, { values, fields: { NOTE_REQUIRED: "note", ORDER_REQUIRED: "orderNumber", ORDER_NOT_FOUND: "orderNumber", RESOLUTION_INVALID: "resolution" } });
  }
}

export const meta: MetaFunction = ({ matches }) => reconciliationMeta(matches, "detail.title");

export default function FinanceExceptionPage() {
  const { view, done } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as StaffFormFailure | undefined;
  const { say } = useReconciliationText();
  return (
    <section className="page">
      <h1>{say("detail.title")}</h1>
      {done ? <p className="staff-notice staff-notice--done" role="status">{say("resolve.done")}</p> : null}
      <ExceptionDetail view={view} />
      {view.resolvedAt ? null : <ResolveForm failure={failure} />}
      <p><Link to="/staff/finance/exceptions">{say("detail.back")}</Link></p>
    </section>
  );
}
