// Client-safe: the staff sign-in pages' paths (the pages link to each other; the session module redirects to them).
export const STAFF_LOGIN_PATH = "/staff/login";
/** The second step for an account with an authenticator. */
export const STAFF_CODE_PATH = "/staff/login/code";
/** The second step for an account without one: set it up. */
export const STAFF_ENROL_PATH = "/staff/enrol";
/** A new password: forced after a password someone else chose, or the member's own change. */
export const STAFF_PASSWORD_PATH = "/staff/password";
/** Redeeming an admin's one-time reset code (not signed in). */
export const STAFF_PASSWORD_RESET_PATH = "/staff/password/reset";
