import { NavLink } from "@remix-run/react";
import { useFinanceText } from "./finance-text";

const LINKS = [
  { to: "/staff/finance", key: "nav.overview", end: true },
  { to: "/staff/finance/payments", key: "nav.payments", end: false },
  { to: "/staff/finance/bank-files", key: "nav.bankFiles", end: false },
  { to: "/staff/finance/reconcile", key: "nav.reconcile", end: false },
  { to: "/staff/finance/exceptions", key: "nav.exceptions", end: false },
] as const;

/** The finance area's heading and sub-navigation; the current page is marked with aria-current by NavLink. */
export function FinanceNav() {
  const { say } = useFinanceText();
  return (
    <div className="finance-nav">
      <p className="finance-nav__area" id="finance-nav-title">{say("area")}</p>
      <nav aria-labelledby="finance-nav-title">
        <ul>
          {LINKS.map((link) => (
            <li key={link.to}>
              <NavLink to={link.to} end={link.end}>{say(link.key)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}
