import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { FinanceNav } from "~/components/staff/finance/finance-nav";
import { FINANCE_ROLES } from "~/staff/areas";
import { requireStaff } from "~/staff/staff-session.server";
import financeStyles from "~/styles/finance.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: financeStyles }];

// The finance area as a whole is for finance staff; each page below checks again in its own loader and action.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, FINANCE_ROLES);
  return null;
}

export default function FinanceLayout() {
  return (
    <div className="finance">
      <FinanceNav />
      <Outlet />
    </div>
  );
}
