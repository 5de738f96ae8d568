// Remix session storage whose cookie holds only a signed random id; the data lives in Redis with a sliding idle
// timeout, so signing out or timing out ends a session on every replica at once. Citizens and staff each have
// their own cookie and key prefix (app/auth/session.server.ts, app/staff/staff-session.server.ts).
import { randomBytes } from "node:crypto";
import { createCookie, createSessionStorage, type SessionStorage } from "@remix-run/node";
import { env } from "./env.server";
import { redis } from "./redis.server";

export function redisSessionStorage({ cookieName, sameSite, idleSeconds, key }: {
  cookieName: string;
  sameSite: "lax" | "strict";
  idleSeconds: number;
  /** The Redis key of a session id. */
  key: (id: string) => string;
}): SessionStorage {
  const production = env().NODE_ENV === "production";
  const cookie = createCookie(cookieName, {
    httpOnly: true,
    sameSite,
    secure: production,
    path: "/",
    secrets: [env().SESSION_SECRET],
    // No maxAge: a browser-session cookie; Redis enforces the idle timeout.
  });
  return createSessionStorage({
    cookie,
    async createData(data) {
      const id = randomBytes(24).toString("base64url");
      await redis().set(key(id), JSON.stringify(data), "EX", idleSeconds, "NX");
      return id;
    },
    async readData(id) {
      // GETEX slides the idle timeout on every request that reads the session.
      const value = await redis().getex(key(id), "EX", idleSeconds);
      return value ? JSON.parse(value) : null;
    },
    async updateData(id, data) {
      await redis().set(key(id), JSON.stringify(data), "EX", idleSeconds);
    },
    async deleteData(id) {
      await redis().del(key(id));
    },
  });
}
