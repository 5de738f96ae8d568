import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DailyChart } from "~/components/staff/finance/daily-chart";
import { DailyTable } from "~/components/staff/finance/daily-table";
import { financeFieldErrors, type FinanceFieldErrors } from "~/components/staff/finance/field-errors";
import { financeMeta, useFinanceText } from "~/components/staff/finance/finance-text";
import { ExportForm, RangeForm } from "~/components/staff/finance/range-forms";
import { dailyTotals, queryValues, recentDays, reportRangeSchema } from "~/finance/reports.server";
import { FINANCE_ROLES } from "~/staff/areas";
import { requireStaff } from "~/staff/staff-session.server";

// /staff/finance?from=YYYY-MM-DD&to=YYYY-MM-DD (default: the last 30 Taipei days). A range that does not parse is
// answered 400 with its field errors, and the default range is shown meanwhile.
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, FINANCE_ROLES);
  const fallback = recentDays(new Date());
  const query = queryValues(new URL(request.url), ["from", "to"]);
  const parsed = reportRangeSchema(fallback).safeParse(query);
  const range = parsed.success ? { from: parsed.data.from, to: parsed.data.to } : fallback;
  const days = await dailyTotals({ ...range, staff });
  const errors: FinanceFieldErrors | null = parsed.success ? null : financeFieldErrors(parsed.error);
  const values = parsed.success ? range : { from: query.from?.slice(0, 10) ?? "", to: query.to?.slice(0, 10) ?? "" };
  return data({ range, days, errors, values }, { status: parsed.success ? 200 : 400 });
}

export const meta: MetaFunction = ({ matches }) => financeMeta(matches, "overview.title");

export default function FinanceOverview() {
  const { range, days, errors, values } = useLoaderData<typeof loader>();
  const { say } = useFinanceText();
  return (
    <section className="page">
      <h1>{say("overview.title")}</h1>
      <p>{say("overview.intro")}</p>
      <RangeForm values={values} errors={errors ?? undefined} />
      <DailyChart days={days} from={range.from} to={range.to} />
      <DailyTable days={days} from={range.from} to={range.to} />
      <ExportForm values={range} />
    </section>
  );
}
