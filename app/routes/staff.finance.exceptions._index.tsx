import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ExceptionFilters, ExceptionsTable } from "~/components/staff/reconciliation/exceptions-table";
import { reconciliationMeta, useReconciliationText } from "~/components/staff/reconciliation/reconciliation-text";
import { listExceptionQueue } from "~/finance/reconciliation/exception-queue.server";
import { exceptionQueueSchema } from "~/finance/reconciliation/schema";
import { FINANCE_ROLES } from "~/staff/areas";
import { requireStaff } from "~/staff/staff-session.server";
import styles from "~/styles/reconciliation.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, FINANCE_ROLES);
  const filters = exceptionQueueSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listExceptionQueue({ staff, ...filters });
  return { filters, page };
}

export const meta: MetaFunction = ({ matches }) => reconciliationMeta(matches, "exceptions.title");

export default function ExceptionQueue() {
  const { filters, page } = useLoaderData<typeof loader>();
  const { say } = useReconciliationText();
  const query = (cursor?: string) =>
    `?${new URLSearchParams({ status: filters.status, ...(filters.kind ? { kind: filters.kind } : {}), ...(cursor ? { cursor } : {}) })}`;
  return (
    <section className="page">
      <h1>{say("exceptions.title")}</h1>
      <p>{say("exceptions.intro")}</p>
      <ExceptionFilters kind={filters.kind} status={filters.status} />
      <ExceptionsTable rows={page.items} />
      <nav className="exception-pager" aria-label={say("exceptions.title")}>
        {filters.cursor ? <Link to={query()}>{say("exceptions.first")}</Link> : null}
        {page.nextCursor ? <Link to={query(page.nextCursor)}>{say("exceptions.next")}</Link> : null}
      </nav>
    </section>
  );
}
