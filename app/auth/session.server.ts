// Citizen sessions: the cookie holds only a signed random id; the data lives in Redis with a sliding idle
// timeout, so logging out or timing out ends the session on every replica at once. A new id at every login
// (rotation) keeps a session id planted before login from becoming a logged-in one.
import { redirect, type Session } from "@remix-run/node";
import { z } from "zod";
import { env } from "~/lib/env.server";
import { errorResponse } from "~/lib/http.server";
import { redisSessionStorage } from "~/lib/redis-session.server";
import { assertCardStillValid, CardNoLongerValid } from "./card-recheck.server";
import { certificateStatusSource, CertificateStatusUnavailable, type CertificateStatusSource } from "./certificate-status.server";

export const SESSION_IDLE_SECONDS = 15 * 60;
/** However active, a session ends this long after login. */
export const SESSION_MAX_SECONDS = 8 * 60 * 60;

const citizenSchema = z.object({
  holderId: z.string().uuid(),
  cardId: z.string().uuid(),
  certificateId: z.string().uuid(),
  /** "reissue-only": an expired card inside the reissue window (003) may use the reissue flow and nothing else. */
  scope: z.enum(["full", "reissue-only"]),
  loggedInAt: z.string().datetime(),
});

export type CitizenSession = z.infer<typeof citizenSchema>;

const key = (id: string) => `${env().QUEUE_PREFIX}:session:${id}`;

function storage() {
  const cookieName = env().NODE_ENV === "production" ? "__Host-moica_session" : "moica_session";
  return redisSessionStorage({ cookieName, sameSite: "lax", idleSeconds: SESSION_IDLE_SECONDS, key });
}

async function getSession(request: Request): Promise<Session> {
  return storage().getSession(request.headers.get("Cookie"));
}

/** Ends whatever session the request had and starts a new one for this citizen; returns the Set-Cookie headers. */
export async function startCitizenSession(request: Request, citizen: Omit<CitizenSession, "loggedInAt">, now = new Date()): Promise<Headers> {
  const store = storage();
  const headers = new Headers();
  const previous = await getSession(request);
  if (previous.id) headers.append("Set-Cookie", await store.destroySession(previous));
  const session = await store.getSession();
  session.set("citizen", citizenSchema.parse({ ...citizen, loggedInAt: now.toISOString() }));
  // Replace the clearing cookie: the new session's cookie is the one the browser must keep.
  headers.set("Set-Cookie", await store.commitSession(session));
  return headers;
}

export async function citizenFromRequest(request: Request, now = new Date()): Promise<CitizenSession | null> {
  const session = await getSession(request);
  const parsed = citizenSchema.safeParse(session.get("citizen"));
  if (!parsed.success) return null;
  if (now.getTime() - new Date(parsed.data.loggedInAt).getTime() > SESSION_MAX_SECONDS * 1000) return null;
  return parsed.data;
}

/** For loaders and actions of citizen pages: the session, or a redirect to the login page. */
export async function requireCitizen(request: Request): Promise<CitizenSession> {
  const citizen = await citizenFromRequest(request);
  if (!citizen) throw redirect("/login");
  return citizen;
}

/**
 * For actions that change anything (apply, confirm, pay, report…): the session, after the CA confirmed again that
 * its card is neither revoked nor suspended (issue 13). A withdrawn card ends the session and sends the holder to
 * the login page, which says why; when the CA cannot answer, a 503 that says to try later — nothing is done.
 */
export async function requireCitizenForChange(
  request: Request,
  { statusSource = certificateStatusSource() }: { statusSource?: CertificateStatusSource } = {},
): Promise<CitizenSession> {
  const citizen = await requireCitizen(request);
  try {
    await assertCardStillValid({ session: citizen, statusSource });
    return citizen;
  } catch (error) {
    if (error instanceof CardNoLongerValid) {
      // The login page shows the reason from its code; the URL carries nothing else.
      throw redirect(`/login?ended=${error.reason}`, { status: 303, headers: await endCitizenSession(request) });
    }
    if (error instanceof CertificateStatusUnavailable) throw errorResponse(error, { "Cache-Control": "no-store" });
    throw error;
  }
}

export async function endCitizenSession(request: Request): Promise<Headers> {
  const session = await getSession(request);
  return new Headers({ "Set-Cookie": await storage().destroySession(session) });
}
