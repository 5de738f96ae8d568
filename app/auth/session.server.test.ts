import { describe, expect, it } from "vitest";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { citizenFromRequest, endCitizenSession, SESSION_IDLE_SECONDS, SESSION_MAX_SECONDS, startCitizenSession } from "./session.server";

const citizen = {
  holderId: "0193f3c2-0000-7000-8000-000000000001",
  cardId: "0193f3c2-0000-7000-8000-000000000002",
  certificateId: "0193f3c2-0000-7000-8000-000000000003",
  scope: "full" as const,
};

const cookieOf = (headers: Headers) => headers.get("Set-Cookie")!.split(";")[0]!;
const withCookie = (cookie?: string) => new Request("http://localhost/reissue", { headers: cookie ? { Cookie: cookie } : {} });

describe("citizen sessions", () => {
  it("set an httpOnly SameSite=Lax cookie holding only an id, with the data in Redis and an idle timeout", async () => {
    const headers = await startCitizenSession(withCookie(), citizen);
    const setCookie = headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^moica_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Max-Age|Expires/i);
    expect(setCookie).not.toContain(citizen.holderId);
    expect(await citizenFromRequest(withCookie(cookieOf(headers)))).toMatchObject(citizen);
    const [key] = await redis().keys(`${env().QUEUE_PREFIX}:session:*`);
    const ttl = await redis().ttl(key!);
    expect(ttl).toBeGreaterThan(SESSION_IDLE_SECONDS - 5);
    expect(ttl).toBeLessThanOrEqual(SESSION_IDLE_SECONDS);
  });

  it("rotate the id at login: the session id held before login is dead afterwards", async () => {
    const first = cookieOf(await startCitizenSession(withCookie(), citizen));
    const second = cookieOf(await startCitizenSession(withCookie(first), { ...citizen, scope: "reissue-only" }));
    expect(second).not.toBe(first);
    expect(await citizenFromRequest(withCookie(first))).toBeNull();
    expect(await citizenFromRequest(withCookie(second))).toMatchObject({ scope: "reissue-only" });
  });

  it("end at logout, at the idle timeout, and at the absolute limit", async () => {
    const cookie = cookieOf(await startCitizenSession(withCookie(), citizen));
    await endCitizenSession(withCookie(cookie));
    expect(await citizenFromRequest(withCookie(cookie))).toBeNull();

    const idle = cookieOf(await startCitizenSession(withCookie(), citizen));
    for (const key of await redis().keys(`${env().QUEUE_PREFIX}:session:*`)) await redis().expire(key, 1);
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await citizenFromRequest(withCookie(idle))).toBeNull();

    const loggedInAt = new Date("2026-11-23T00:00:00Z");
    const old = cookieOf(await startCitizenSession(withCookie(), citizen, loggedInAt));
    expect(await citizenFromRequest(withCookie(old), new Date(loggedInAt.getTime() + SESSION_MAX_SECONDS * 1000 - 1))).not.toBeNull();
    expect(await citizenFromRequest(withCookie(old), new Date(loggedInAt.getTime() + SESSION_MAX_SECONDS * 1000 + 1))).toBeNull();
  });

  it("ignore a forged or tampered cookie", async () => {
    const cookie = cookieOf(await startCitizenSession(withCookie(), citizen));
    const tampered = cookie.replace(/=(.)/, (_, c: string) => `=${c === "a" ? "b" : "a"}`);
    expect(await citizenFromRequest(withCookie(tampered))).toBeNull();
    expect(await citizenFromRequest(withCookie("moica_session=eyJjaXRpemVuIjp7fX0%3D"))).toBeNull();
  });
});
