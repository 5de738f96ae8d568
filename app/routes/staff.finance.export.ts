import type { LoaderFunctionArgs } from "@remix-run/node";
import { financeBilingual, isFinanceMessageKey } from "~/components/staff/finance/finance-text";
import { exportPaymentsCsv, queryValues, reportRangeSchema } from "~/finance/reports.server";
import { FINANCE_ROLES } from "~/staff/areas";
import { requireStaff } from "~/staff/staff-session.server";

const NO_STORE = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };

/** Hands the lines to the response as they are produced: a year's CSV never sits whole in memory. */
function streamLines(lines: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      // A few hundred lines a chunk: fewer, larger writes than a line each, still a bounded amount of memory.
      let chunk = "";
      for (let i = 0; i < 500; i++) {
        const next = await lines.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += next.value;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}

// GET /staff/finance/export?from=YYYY-MM-DD&to=YYYY-MM-DD&method=card|atm — the payments of the range as CSV.
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, FINANCE_ROLES);
  const parsed = reportRangeSchema().safeParse(queryValues(new URL(request.url), ["from", "to", "method"]));
  if (!parsed.success) {
    const text = financeBilingual(parsed.error.issues.map((issue) => issue.message).find(isFinanceMessageKey) ?? "error.notValid");
    return new Response(`${text["zh-TW"]}\n${text.en}\n`, { status: 400, headers: { ...NO_STORE, "Content-Type": "text/plain; charset=utf-8" } });
  }
  const exported = await exportPaymentsCsv({ staff, ...parsed.data });
  return new Response(streamLines(exported.lines), {
    headers: {
      ...NO_STORE,
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exported.filename}"`,
    },
  });
}
