import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { ReconcileForm } from "~/components/staff/reconciliation/reconcile-form";
import { reconciliationMeta, reconciliationZodFailure, useReconciliationText } from "~/components/staff/reconciliation/reconciliation-text";
import { RunsTable } from "~/components/staff/reconciliation/runs-table";
import { RunSummary } from "~/components/staff/reconciliation/run-summary";
import { reconcileBankDay } from "~/finance/reconciliation/reconcile-bank.server";
import { reconcileStripeDay } from "~/finance/reconciliation/reconcile-stripe.server";
import { listReconciliationRuns, loadReconciliationRun } from "~/finance/reconciliation/runs.server";
import { reconcileFormSchema, uuidSchema } from "~/finance/reconciliation/schema";
import { taipeiYesterday } from "~/finance/reconciliation/taipei-day";
import { assertSameOrigin } from "~/lib/http.server";
import { FINANCE_ROLES } from "~/staff/areas";
import { formFailure } from "~/staff/form-failure.server";
import { requireStaff } from "~/staff/staff-session.server";
import styles from "~/styles/reconciliation.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, FINANCE_ROLES);
  const url = new URL(request.url);
  const runId = uuidSchema.safeParse(url.searchParams.get("run"));
  const cursor = uuidSchema.safeParse(url.searchParams.get("cursor"));
  const [runs, run] = await Promise.all([
    listReconciliationRuns({ staff, cursor: cursor.success ? cursor.data : undefined }),
    runId.success ? loadReconciliationRun({ staff, runId: runId.data }) : null,
  ]);
  if (runId.success && !run) throw new Response(null, { status: 404 });
  return { defaultDay: taipeiYesterday(), runs, run };
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, FINANCE_ROLES);
  const raw = Object.fromEntries(await request.formData());
  const values = { day: typeof raw.day === "string" ? raw.day.slice(0, 10) : "", source: typeof raw.source === "string" ? raw.source.slice(0, 16) : "" };
  try {
    assertSameOrigin(request);
    const form = reconcileFormSchema.safeParse(raw);
    if (!form.success) return data<StaffFormFailure>({ ...reconciliationZodFailure(form.error), values }, { status: 400 });
    const { day, source } = form.data;
    const run = source === "STRIPE" ? await reconcileStripeDay({ staff, day }) : await reconcileBankDay({ staff, day });
    return redirect(`/staff/finance/reconcile?run=${run.runId}`, 303);
  } catch (error) {
    return formFailure(error, { values, fields: { DAY_INVALID: "day", DAY_IN_FUTURE: "day" } });
  }
}

export const meta: MetaFunction = ({ matches }) => reconciliationMeta(matches, "reconcile.title");

export default function Reconcile() {
  const { defaultDay, runs, run } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as StaffFormFailure | undefined;
  const { say } = useReconciliationText();
  return (
    <section className="page reconcile">
      <h1>{say("reconcile.title")}</h1>
      <p>{say("reconcile.intro")}</p>
      <ReconcileForm defaultDay={defaultDay} failure={failure} />
      {run ? <RunSummary run={run} /> : null}
      <RunsTable runs={runs.items} nextCursor={runs.nextCursor} />
    </section>
  );
}
