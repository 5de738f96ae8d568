// Citizen sessions: the cookie holds only a signed random id; the data lives in Redis with a sliding idle
// timeout, so logging out or timing out ends the session on every replica at once. A new id at every login
// (rotation) keeps a session id planted before login from becoming a logged-in one.
import { randomBytes } from "node:crypto";
import { createCookie, createSessionStorage, redirect, type Session } from "@remix-run/node";
import { z } from "zod";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";

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
  const production = env().NODE_ENV === "production";
  const cookie = createCookie(production ? "__Host-moica_session" : "moica_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: production,
    path: "/",
    secrets: [env().SESSION_SECRET],
    // No maxAge: a browser-session cookie; Redis enforces the idle timeout.
  });
  return createSessionStorage({
    cookie,
    async createData(data) {
      const id = randomBytes(24).toString("base64url");
      await redis().set(key(id), JSON.stringify(data), "EX", SESSION_IDLE_SECONDS, "NX");
      return id;
    },
    async readData(id) {
      // GETEX slides the idle timeout on every request that reads the session.
      const value = await redis().getex(key(id), "EX", SESSION_IDLE_SECONDS);
      return value ? JSON.parse(value) : null;
    },
    async updateData(id, data) {
      await redis().set(key(id), JSON.stringify(data), "EX", SESSION_IDLE_SECONDS);
    },
    async deleteData(id) {
      await redis().del(key(id));
    },
  });
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

export async function endCitizenSession(request: Request): Promise<Headers> {
  const session = await getSession(request);
  return new Headers({ "Set-Cookie": await storage().destroySession(session) });
}
