// Staff sessions: their own cookie (never the citizens'), SameSite=Strict, data in Redis with a 15-minute idle
// timeout and an 8-hour limit. The session holds only the account id: every request re-reads the account, so a
// disabled account or changed roles take effect at once.
import { redirect, type Session } from "@remix-run/node";
import { z } from "zod";
import type { StaffRole } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { env } from "~/lib/env.server";
import { redisSessionStorage } from "~/lib/redis-session.server";
import { safeRedirectPath } from "~/lib/safe-redirect";
import { holdsAnyRole } from "./areas";
import { loadStaffMember, type StaffMember } from "./staff-accounts.server";

export const STAFF_SESSION_IDLE_SECONDS = 15 * 60;
export const STAFF_SESSION_MAX_SECONDS = 8 * 60 * 60;
export const STAFF_LOGIN_PATH = "/staff/login";

const sessionSchema = z.object({ staffId: z.uuid(), signedInAt: z.iso.datetime() });

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

/** Ends any staff session the request had and starts a new one (a new id); returns the Set-Cookie headers. */
export async function startStaffSession(request: Request, member: Pick<StaffMember, "id">, now = new Date()): Promise<Headers> {
  const store = storage();
  const previous = await getSession(request);
  if (previous.id) await store.destroySession(previous);
  const session = await store.getSession();
  session.set("staff", sessionSchema.parse({ staffId: member.id, signedInAt: now.toISOString() }));
  return new Headers({ "Set-Cookie": await store.commitSession(session) });
}

/** The signed-in member of staff as the database has them now, or null. */
export async function staffFromRequest(request: Request, now = new Date()): Promise<StaffMember | null> {
  const session = await getSession(request);
  const parsed = sessionSchema.safeParse(session.get("staff"));
  if (!parsed.success) return null;
  if (now.getTime() - new Date(parsed.data.signedInAt).getTime() > STAFF_SESSION_MAX_SECONDS * 1000) return null;
  return loadStaffMember(parsed.data.staffId);
}

/** Where to go after signing in: a back-office page of this site, never the sign-in page or another site. */
export function staffReturnPath(next: unknown): string {
  const path = safeRedirectPath(next, "/staff");
  const pathname = path.split(/[?#]/)[0]!.replace(/\/+$/, "");
  const inBackOffice = pathname === "/staff" || pathname.startsWith("/staff/");
  return inBackOffice && pathname !== STAFF_LOGIN_PATH && pathname !== "/staff/logout" ? path : "/staff";
}

/**
 * For every staff loader and action: the member of staff holding one of `roles` (an empty list admits nobody). No session:
 * a redirect to the sign-in page that comes back here; a member without the role: 403.
 */
export async function requireStaff(request: Request, roles: StaffRole[]): Promise<StaffMember> {
  const member = await staffFromRequest(request);
  if (!member) {
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
