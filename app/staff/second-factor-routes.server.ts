// What the two second-step pages (the code page and the enrolment page) share: only a pending sign-in at that
// stage opens them, and a right code turns the pending sign-in into a full session and goes where sign-in began.
import { data, redirect } from "@remix-run/node";
import { zodFailure, type StaffFormFailure } from "~/components/staff/form-result";
import { assertSameOrigin } from "~/lib/http.server";
import { formFailure } from "./form-failure.server";
import { staffCodeSchema } from "./schema";
import { STAFF_LOGIN_PATH } from "./sign-in-paths";
import type { StaffMember } from "./staff-accounts.server";
import {
  pendingStaffFromRequest, secondFactorPath, staffFromRequest, startPendingStaffSession, startStaffSession, type PendingStaffSignIn,
} from "./staff-session.server";

type Stage = PendingStaffSignIn["awaiting"];

/** For the loaders: the pending sign-in at this stage, or a redirect to where the visitor belongs. */
export async function requirePendingStage(request: Request, stage: Stage): Promise<PendingStaffSignIn> {
  const pending = await pendingStaffFromRequest(request);
  if (!pending) throw redirect((await staffFromRequest(request)) ? "/staff" : `${STAFF_LOGIN_PATH}?expired`);
  if (pending.awaiting !== stage) throw redirect(secondFactorPath(pending.awaiting));
  return pending;
}

/**
 * After a step of a pending sign-in: the next step due (a new pending session, its clock restarted), or — when none
 * is left — the full session, going where sign-in began. `at` is when the session starts (after any revocation).
 */
export async function continueSignIn(request: Request, pending: PendingStaffSignIn, member: Pick<StaffMember, "id">, at = new Date()) {
  const [awaiting, ...after] = pending.after;
  if (awaiting) {
    return redirect(secondFactorPath(awaiting), { status: 303, headers: await startPendingStaffSession(request, member, { awaiting, after, next: pending.next }, at) });
  }
  return redirect(pending.next, { status: 303, headers: await startStaffSession(request, member, at) });
}

/** For the actions: checks the code with `verify` and, if right, signs in fully. The code is never sent back. */
export async function completeSecondFactor({ request, stage, verify }: {
  request: Request;
  stage: Stage;
  verify: (pending: PendingStaffSignIn, code: string) => Promise<StaffMember>;
}) {
  try {
    assertSameOrigin(request);
  } catch (error) {
    return formFailure(error, {});
  }
  const pending = await pendingStaffFromRequest(request);
  if (pending?.awaiting !== stage) return redirect(`${STAFF_LOGIN_PATH}?expired`, 303);
  const form = staffCodeSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return data<StaffFormFailure>(zodFailure(form.error), { status: 400 });
  try {
    const member = await verify(pending, form.data.code);
    return await continueSignIn(request, pending, member);
  } catch (error) {
    return formFailure(error, { fields: { CODE_WRONG: "code" } });
  }
}
