// Staff sessions: their own cookie (never the citizens'), SameSite=Strict, data in Redis with a 15-minute idle
// timeout and an 8-hour limit. The session holds only the account id: every request re-reads the account, so a
// disabled account or changed roles take effect at once. Signing in has two steps: the right password starts a
// *pending* session (the account id and which second factor it awaits, for at most 5 minutes), which opens only
// the code and enrolment pages; the code (or a confirmed enrolment) replaces it with a full one.
import { redirect, type Session } from "@remix-run/node";
import { z } from "zod";
import type { StaffRole } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { env } from "~/lib/env.server";
import { redisSessionStorage } from "~/lib/redis-session.server";
import { redis } from "~/lib/redis.server";
import { safeRedirectPath } from "~/lib/safe-redirect";
import { holdsAnyRole } from "./areas";
import { STAFF_CODE_PATH, STAFF_ENROL_PATH, STAFF_LOGIN_PATH, STAFF_PASSWORD_PATH, STAFF_PASSWORD_RESET_PATH } from "./sign-in-paths";
import { loadStaffMember, type StaffMember } from "./staff-accounts.server";

export const STAFF_SESSION_IDLE_SECONDS = 15 * 60;
export const STAFF_SESSION_MAX_SECONDS = 8 * 60 * 60;
export const STAFF_PENDING_MAX_SECONDS = 5 * 60;
export { STAFF_CODE_PATH, STAFF_ENROL_PATH, STAFF_LOGIN_PATH, STAFF_PASSWORD_PATH, STAFF_PASSWORD_RESET_PATH };

const sessionSchema = z.object({ staffId: z.uuid(), signedInAt: z.iso.datetime() });

/**
 * "code": an enrolled account types its authenticator's code; "enrolment": an account without one sets one up;
 * "password": a password someone else chose is replaced first (issue 13).
 */
export type SecondFactorStage = "code" | "enrolment" | "password";
const stageSchema = z.enum(["code", "enrolment", "password"]);
const pendingSchema = z.object({
  staffId: z.uuid(),
  awaiting: stageSchema,
  /** The steps still due after this one. */
  after: z.array(stageSchema).max(2).default([]),
  passwordAt: z.iso.datetime(),
  next: z.string().max(2048),
});
export interface PendingStaffSignIn {
  staffId: string;
  awaiting: SecondFactorStage;
  after: SecondFactorStage[];
  /** Where to go once signed in (already checked by staffReturnPath). */
  next: string;
}

/**
 * The steps after the right password. A password someone else chose is replaced before anything else works — after
 * the code for an enrolled account (so that password alone changes nothing), before enrolment for a new one (so
 * an authenticator is only ever enrolled behind the member's own password).
 */
export function signInStages({ totpEnrolled, passwordChangeRequired }: { totpEnrolled: boolean; passwordChangeRequired: boolean }): [SecondFactorStage, ...SecondFactorStage[]] {
  if (totpEnrolled) return passwordChangeRequired ? ["code", "password"] : ["code"];
  return passwordChangeRequired ? ["password", "enrolment"] : ["enrolment"];
}

export const staffSessionKey = (id: string) => `${env().QUEUE_PREFIX}:staff-session:${id}`;

export function staffCookieName(): string {
  return env().NODE_ENV === "production" ? "__Host-moica_staff" : "moica_staff";
}

function storage() {
  // Strict: no other site can make a browser send it, not even on a top-level link.
  return redisSessionStorage({ cookieName: staffCookieName(), sameSite: "strict", idleSeconds: STAFF_SESSION_IDLE_SECONDS, key: staffSessionKey });
}

function getSession(request: Request): Promise<Session> {
  return storage().getSession(request.headers.get("Cookie"));
}

/** Ends any staff session the request had and starts a new one (a new id) holding `key`; returns Set-Cookie. */
async function rotateSession(request: Request, key: "staff" | "pending", value: unknown): Promise<Headers> {
  const store = storage();
  const previous = await getSession(request);
  if (previous.id) await store.destroySession(previous);
  const session = await store.getSession();
  session.set(key, value);
  return new Headers({ "Set-Cookie": await store.commitSession(session) });
}

/**
 * Starts a FULL session (after the second factor; tests use it to sign in directly), ending any session the request
 * had, pending or full, and rotating the id. Returns the Set-Cookie headers.
 */
export async function startStaffSession(request: Request, member: Pick<StaffMember, "id">, now = new Date()): Promise<Headers> {
  return rotateSession(request, "staff", sessionSchema.parse({ staffId: member.id, signedInAt: now.toISOString() }));
}

/**
 * After the right password: a pending session that only the code page (or the enrolment page) accepts, for
 * STAFF_PENDING_MAX_SECONDS. Ends any session the request had. Returns the Set-Cookie headers.
 */
export async function startPendingStaffSession(
  request: Request,
  member: Pick<StaffMember, "id">,
  { awaiting, after = [], next }: { awaiting: SecondFactorStage; after?: SecondFactorStage[]; next?: unknown },
  now = new Date(),
): Promise<Headers> {
  return rotateSession(request, "pending", pendingSchema.parse({ staffId: member.id, awaiting, after, passwordAt: now.toISOString(), next: staffReturnPath(next) }));
}

const revokedKey = (staffId: string) => `${env().QUEUE_PREFIX}:staff-sessions-revoked:${staffId}`;

/**
 * Ends every session of this member of staff that began before `now`, on every replica (an authenticator reset:
 * a session signed in with the old authenticator must not outlive it). Sessions are not indexed by member, so
 * the time is kept instead, for as long as any session can live.
 */
export async function revokeStaffSessions(staffId: string, now = new Date()): Promise<void> {
  await redis().set(revokedKey(staffId), String(now.getTime()), "EX", STAFF_SESSION_MAX_SECONDS);
}

async function fullSessionOf(session: Session, now: Date) {
  const parsed = sessionSchema.safeParse(session.get("staff"));
  if (!parsed.success) return null;
  const signedInAt = new Date(parsed.data.signedInAt).getTime();
  if (now.getTime() - signedInAt > STAFF_SESSION_MAX_SECONDS * 1000) return null;
  const revokedAt = Number((await redis().get(revokedKey(parsed.data.staffId))) ?? 0);
  if (signedInAt <= revokedAt) return null;
  return parsed.data;
}

function pendingOf(session: Session, now: Date): PendingStaffSignIn | null {
  const parsed = pendingSchema.safeParse(session.get("pending"));
  if (!parsed.success) return null;
  if (now.getTime() - new Date(parsed.data.passwordAt).getTime() > STAFF_PENDING_MAX_SECONDS * 1000) return null;
  const { staffId, awaiting, after, next } = parsed.data;
  return { staffId, awaiting, after, next };
}

/** The signed-in member of staff (full sessions only) as the database has them now, or null. */
export async function staffFromRequest(request: Request, now = new Date()): Promise<StaffMember | null> {
  const full = await fullSessionOf(await getSession(request), now);
  return full ? loadStaffMember(full.staffId) : null;
}

/** The sign-in awaiting its second factor (at most 5 minutes after the password), or null. */
export async function pendingStaffFromRequest(request: Request, now = new Date()): Promise<PendingStaffSignIn | null> {
  return pendingOf(await getSession(request), now);
}

/** The page a pending sign-in continues on. */
export function secondFactorPath(awaiting: SecondFactorStage): string {
  return awaiting === "code" ? STAFF_CODE_PATH : awaiting === "password" ? STAFF_PASSWORD_PATH : STAFF_ENROL_PATH;
}

/** Where to go after signing in: a back-office page of this site, never the sign-in page or another site. */
export function staffReturnPath(next: unknown): string {
  const path = safeRedirectPath(next, "/staff");
  const pathname = path.split(/[?#]/)[0]!.replace(/\/+$/, "");
  const inBackOffice = pathname === "/staff" || pathname.startsWith("/staff/");
  const signInPages = [STAFF_LOGIN_PATH, STAFF_CODE_PATH, STAFF_ENROL_PATH, STAFF_PASSWORD_RESET_PATH, "/staff/logout"];
  return inBackOffice && !signInPages.includes(pathname) ? path : "/staff";
}

/**
 * For every staff loader and action: the member of staff holding one of `roles` (an empty list admits nobody), from
 * a full session only. A pending sign-in: a redirect back to its code (or enrolment) page. No session: a redirect
 * to the sign-in page that comes back here. A member without the role: 403.
 */
export async function requireStaff(request: Request, roles: StaffRole[]): Promise<StaffMember> {
  const now = new Date();
  const session = await getSession(request);
  const full = await fullSessionOf(session, now);
  const member = full ? await loadStaffMember(full.staffId) : null;
  if (!member) {
    const pending = pendingOf(session, now);
    if (pending) throw redirect(secondFactorPath(pending.awaiting), { headers: { "Cache-Control": "no-store" } });
    const url = new URL(request.url);
    // A form post cannot be replayed after sign-in; come back to the page it was posted from.
    const next = safeRedirectPath(url.pathname + (request.method === "GET" ? url.search : ""), "/staff");
    throw redirect(`${STAFF_LOGIN_PATH}?${new URLSearchParams({ next })}`, { headers: { "Cache-Control": "no-store" } });
  }
  if (!holdsAnyRole(member.roles, roles)) {
    throw new Response("Forbidden", { status: 403, headers: { "Cache-Control": "no-store" } });
  }
  return member;
}

/** Signs out; `member` (the one signing out) is written to the audit trail. */
export async function endStaffSession(request: Request, member?: Pick<StaffMember, "id">): Promise<Headers> {
  const session = await getSession(request);
  if (member) await recordAuditEvent({ actor: { type: "STAFF", id: member.id }, action: "staff.signed_out", subject: { type: "staff", id: member.id } });
  return new Headers({ "Set-Cookie": await storage().destroySession(session) });
}
