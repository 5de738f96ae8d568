// Client-safe: what each role may open in the back office. Routes pass the same lists to requireStaff, so the
// navigation a member sees and what the server lets them do are one list.
import type { StaffRole } from "~/generated/prisma/enums";

export const STAFF_ROLES: StaffRole[] = ["SUPPORT", "REGISTRAR", "FINANCE", "ADMIN"];

/** 002 開卡: support and household registration offices look activations up; admins may look too. */
export const ACTIVATION_VIEWER_ROLES: StaffRole[] = ["SUPPORT", "REGISTRAR", "ADMIN"];
/** 002: support (0800-080-117) lifts the lock for a holder who remembers the code. */
export const LIFT_LOCK_ROLES: StaffRole[] = ["SUPPORT"];
/** 002: a household registration office resets a forgotten code after an in-person check. */
export const RESET_CODE_ROLES: StaffRole[] = ["REGISTRAR"];

/** 002 查詢: the support desk (0800-080-117) looks orders up for holders who phone in. */
export const SUPPORT_DESK_ROLES: StaffRole[] = ["SUPPORT"];
/** Payments, reconciliation, the exception queue and exports. */
export const FINANCE_ROLES: StaffRole[] = ["FINANCE"];
/** Staff accounts: create, roles, disable, reset an authenticator. */
export const ADMIN_ROLES: StaffRole[] = ["ADMIN"];

export interface StaffArea {
  path: string;
  key: "support" | "activation" | "finance" | "admin";
  roles: StaffRole[];
}

export const STAFF_AREAS: StaffArea[] = [
  { path: "/staff/support", key: "support", roles: SUPPORT_DESK_ROLES },
  { path: "/staff/activation", key: "activation", roles: ACTIVATION_VIEWER_ROLES },
  { path: "/staff/finance", key: "finance", roles: FINANCE_ROLES },
  { path: "/staff/admin", key: "admin", roles: ADMIN_ROLES },
];

export function holdsAnyRole(roles: readonly StaffRole[], allowed: readonly StaffRole[]): boolean {
  return roles.some((role) => allowed.includes(role));
}

export function areasFor(roles: readonly StaffRole[]): StaffArea[] {
  return STAFF_AREAS.filter((area) => holdsAnyRole(roles, area.roles));
}
