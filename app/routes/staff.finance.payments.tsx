import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { financeFieldErrors, type FinanceFieldErrors } from "~/components/staff/finance/field-errors";
import { financeMeta, useFinanceText } from "~/components/staff/finance/finance-text";
import { PaymentsFilter, PaymentsTable } from "~/components/staff/finance/payments-table";
import { StaffFormError } from "~/components/staff/staff-field";
import { listPayments, paymentsQuerySchema, queryValues, taipeiDayOf } from "~/finance/reports.server";
import { AppError } from "~/lib/errors.server";
import { FINANCE_ROLES } from "~/staff/areas";
import { requireStaff } from "~/staff/staff-session.server";

// /staff/finance/payments?day=YYYY-MM-DD&method=card|atm&cursor=… (default: today in Taipei, both methods).
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, FINANCE_ROLES);
  const today = taipeiDayOf(new Date());
  const parsed = paymentsQuerySchema(today).safeParse(queryValues(new URL(request.url), ["day", "method", "cursor"]));
  const query = parsed.success ? parsed.data : { day: today, method: undefined, cursor: undefined };
  const shown = { day: query.day, method: query.method?.toLowerCase() ?? "" };
  const errors: FinanceFieldErrors | null = parsed.success ? null : financeFieldErrors(parsed.error);
  try {
    const page = await listPayments({ day: query.day, method: query.method, cursor: query.cursor, staff });
    return data({ query: shown, page, isFirstPage: !query.cursor, errors, formError: null }, { status: parsed.success ? 200 : 400 });
  } catch (error) {
    // A cursor that does not decode (edited by hand, or from another day): say so and show the first page.
    if (!(error instanceof AppError)) throw error;
    const page = await listPayments({ day: query.day, method: query.method, staff });
    return data({ query: shown, page, isFirstPage: true, errors, formError: error.userMessage }, { status: error.status });
  }
}

export const meta: MetaFunction = ({ matches }) => financeMeta(matches, "payments.title");

export default function FinancePayments() {
  const { query, page, isFirstPage, errors, formError } = useLoaderData<typeof loader>();
  const { say } = useFinanceText();
  return (
    <section className="page">
      <h1>{say("payments.title")}</h1>
      <p>{say("payments.intro")}</p>
      <StaffFormError error={formError ?? undefined} />
      <PaymentsFilter query={query} errors={errors ?? undefined} />
      <PaymentsTable items={page.items} query={query} nextCursor={page.nextCursor} isFirstPage={isFirstPage} />
    </section>
  );
}
