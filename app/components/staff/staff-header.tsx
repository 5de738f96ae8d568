import { Form, NavLink } from "@remix-run/react";
import type { StaffRole } from "~/generated/prisma/enums";
import { areasFor } from "~/staff/areas";
import { useStaffText } from "./staff-text";

export interface StaffHeaderMember {
  displayName: string;
  username: string;
  roles: StaffRole[];
}

/** Who is signed in, with which roles, the links those roles allow, and sign-out (a POST, never a link). */
export function StaffHeader({ member }: { member: StaffHeaderMember | null }) {
  const { say } = useStaffText();
  return (
    <div className="staff-bar">
      <div className="staff-bar__inner">
        <p className="staff-bar__area">{say("layout.area")}</p>
        {member ? (
          <>
            <nav aria-label={say("layout.nav")} className="staff-bar__nav">
              <ul>
                <li>
                  <NavLink to="/staff" end>{say("layout.home")}</NavLink>
                </li>
                {areasFor(member.roles).map((area) => (
                  <li key={area.key}>
                    <NavLink to={area.path}>{say(`area.${area.key}.title`)}</NavLink>
                  </li>
                ))}
              </ul>
            </nav>
            <div className="staff-bar__who">
              <p>
                {say("layout.signedInAs", { name: member.displayName, username: member.username })}
                <br />
                <span className="staff-muted">
                  {say("layout.roles", { roles: member.roles.map((role) => say(`role.${role}`)).join("、") })}
                </span>
                <br />
                <NavLink to="/staff/password">{say("nav.password")}</NavLink>
              </p>
              <Form method="post" action="/staff/logout">
                <button type="submit" className="button button--secondary staff-button--small">
                  {say("layout.signOut")}
                </button>
              </Form>
            </div>
          </>
        ) : null}
      </div>
    </div>
  );
}
