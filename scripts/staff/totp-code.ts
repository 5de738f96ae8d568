// Development and tests only: the code a demo account's authenticator would show now, so the README walk-through,
// the e2e tests and `npm run staff:create -- --print-code <username>` can sign in without a phone. Refuses in
// production (the secret is read back from the database, which only a demo may do).
import { readStaffTotpForDemo, totpCodeFor, totpStep, TOTP_STEP_SECONDS } from "../../app/staff/totp.server";

/**
 * A code the sign-in will accept for `username` at `now`: the current step's, or the next step's when the current
 * one was used already (a code is accepted once; the next step is inside the ±1 window). Throws if both were used.
 */
export async function currentTotpCode(username: string, now = new Date()): Promise<string> {
  const { secretBase32, lastStep } = await readStaffTotpForDemo(username);
  const step = totpStep(now);
  for (const candidate of [step, step + 1n]) {
    if (lastStep === null || candidate > lastStep) return totpCodeFor(secretBase32, new Date(Number(candidate) * TOTP_STEP_SECONDS * 1000));
  }
  throw new Error(`the codes for now and the next 30 seconds were used already; try again in ${TOTP_STEP_SECONDS} seconds`);
}
