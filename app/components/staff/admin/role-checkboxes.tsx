import type { StaffRole } from "~/generated/prisma/enums";
import { useLocale } from "~/lib/i18n";
import { STAFF_ROLES } from "~/staff/areas";
import type { Bilingual } from "../staff-text";
import { useStaffText } from "../staff-text";

/** The roles as checkboxes in a fieldset (one legend for the group, its error announced). */
export function RoleCheckboxes({ idPrefix, checked, error }: { idPrefix: string; checked: readonly StaffRole[]; error?: Bilingual }) {
  const { say } = useStaffText();
  const locale = useLocale();
  const errorId = `${idPrefix}roles-error`;
  return (
    <fieldset className="staff-roles" aria-describedby={error ? errorId : undefined}>
      <legend>{say("admin.roles")}</legend>
      {STAFF_ROLES.map((role) => (
        <div key={role} className="staff-field staff-field--checkbox">
          <input id={`${idPrefix}role-${role}`} type="checkbox" name="roles" value={role} defaultChecked={checked.includes(role)} />
          <label htmlFor={`${idPrefix}role-${role}`}>{say(`role.${role}`)}</label>
        </div>
      ))}
      {error ? <p id={errorId} className="staff-field__error" role="alert">{error[locale]}</p> : null}
    </fieldset>
  );
}
