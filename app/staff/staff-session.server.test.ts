import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { redis } from "~/lib/redis.server";
import { createStaffAccount } from "./staff-accounts.server";
import {
  endStaffSession, requireStaff, staffReturnPath, staffFromRequest, staffSessionKey, startStaffSession, STAFF_SESSION_IDLE_SECONDS,
  STAFF_SESSION_MAX_SECONDS,
} from "./staff-session.server";

const cookieOf = (headers: Headers) => headers.get("Set-Cookie")!.split(";")[0]!;
const request = (cookie?: string, url = "http://localhost/staff") => new Request(url, { headers: cookie ? { Cookie: cookie } : {} });

async function newMember(roles: Parameters<typeof createStaffAccount>[0]["roles"] = ["SUPPORT"]) {
  const username = `s.${randomBytes(4).toString("hex")}`;
  const { id } = await createStaffAccount({ username, displayName: "客服 陳小姐", password: "long enough password", roles });
  return { id, username, displayName: "客服 陳小姐", roles };
}

async function thrown(promise: Promise<unknown>): Promise<Response> {
  const result = await promise.then(() => null, (e: unknown) => e);
  expect(result).toBeInstanceOf(Response);
  return result as Response;
}

/** The Redis keys of this file's staff sessions (the session id is in the signed cookie, not readable here). */
const sessionKeys = () => redis().keys(staffSessionKey("*"));

describe("staff sessions", () => {
  it("use their own HttpOnly SameSite=Strict cookie holding only an id; the member is read back from the database", async () => {
    const member = await newMember(["SUPPORT", "REGISTRAR"]);
    const before = new Set(await sessionKeys());
    const headers = await startStaffSession(request(), member);
    const setCookie = headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^moica_staff=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Max-Age|Expires/i);
    expect(setCookie).not.toContain(member.id);
    expect(await staffFromRequest(request(cookieOf(headers)))).toEqual(member);
    // The citizens' cookie name means nothing here.
    expect(await staffFromRequest(request(cookieOf(headers).replace("moica_staff", "moica_session")))).toBeNull();
    const [key] = (await sessionKeys()).filter((k) => !before.has(k));
    expect(await redis().ttl(key!)).toBeGreaterThan(STAFF_SESSION_IDLE_SECONDS - 5);
  });

  it("rotate the id at sign-in: the id held before is dead afterwards", async () => {
    const member = await newMember();
    const first = cookieOf(await startStaffSession(request(), member));
    const second = cookieOf(await startStaffSession(request(first), member));
    expect(second).not.toBe(first);
    expect(await staffFromRequest(request(first))).toBeNull();
    expect(await staffFromRequest(request(second))).toMatchObject({ id: member.id });
  });

  it("end at sign-out, when Redis lets the idle key expire, and at the 8-hour limit", async () => {
    const member = await newMember();
    const cookie = cookieOf(await startStaffSession(request(), member));
    await endStaffSession(request(cookie), member);
    expect(await staffFromRequest(request(cookie))).toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "staff.signed_out", actorId: member.id } })).toBe(1);

    const idle = cookieOf(await startStaffSession(request(), member));
    expect(await staffFromRequest(request(idle))).not.toBeNull();
    // What the idle timeout does: Redis drops the key once its TTL runs out (EXPIRE 0 = "now").
    for (const key of await sessionKeys()) await redis().expire(key, 0);
    expect(await staffFromRequest(request(idle))).toBeNull();

    const signedInAt = new Date("2026-11-23T00:00:00Z");
    const old = cookieOf(await startStaffSession(request(), member, signedInAt));
    const limit = signedInAt.getTime() + STAFF_SESSION_MAX_SECONDS * 1000;
    expect(await staffFromRequest(request(old), new Date(limit - 1))).not.toBeNull();
    expect(await staffFromRequest(request(old), new Date(limit + 1))).toBeNull();
  });

  it("slide the idle timeout on every request", async () => {
    const member = await newMember();
    const before = new Set(await sessionKeys());
    const cookie = cookieOf(await startStaffSession(request(), member));
    const [key] = (await sessionKeys()).filter((k) => !before.has(k));
    await redis().expire(key!, 60);
    await staffFromRequest(request(cookie));
    expect(await redis().ttl(key!)).toBeGreaterThan(STAFF_SESSION_IDLE_SECONDS - 5);
  });

  it("see a disabled account or changed roles at once", async () => {
    const member = await newMember(["SUPPORT"]);
    const cookie = cookieOf(await startStaffSession(request(), member));
    await prisma.staffAccount.update({ where: { id: member.id }, data: { roles: ["REGISTRAR"] } });
    expect((await staffFromRequest(request(cookie)))?.roles).toEqual(["REGISTRAR"]);
    await prisma.staffAccount.update({ where: { id: member.id }, data: { disabledAt: new Date() } });
    expect(await staffFromRequest(request(cookie))).toBeNull();
  });

  it("ignore a tampered cookie", async () => {
    const member = await newMember();
    const cookie = cookieOf(await startStaffSession(request(), member));
    const tampered = cookie.replace(/=(.)/, (_, c: string) => `=${c === "a" ? "b" : "a"}`);
    expect(await staffFromRequest(request(tampered))).toBeNull();
  });
});

describe("staffReturnPath", () => {
  it("goes back only to back-office pages of this site", () => {
    expect(staffReturnPath("/staff/activation/1151123482153")).toBe("/staff/activation/1151123482153");
    expect(staffReturnPath("/staff")).toBe("/staff");
    for (const bad of ["//evil.example/staff", "https://evil.example/staff", "/reissue", "/staffroom", "/staff/login?next=/x", "/staff/logout", undefined, "/\\evil.example"]) {
      expect(staffReturnPath(bad)).toBe("/staff");
    }
  });
});

describe("requireStaff", () => {
  it("redirects without a session to the sign-in page, coming back to the same path", async () => {
    const response = await thrown(requireStaff(request(undefined, "http://localhost/staff/activation?x=1"), ["SUPPORT"]));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/staff/login?${new URLSearchParams({ next: "/staff/activation?x=1" })}`);
    // A post comes back to the page, not to its query.
    const post = await thrown(requireStaff(new Request("http://localhost/staff/activation?x=1", { method: "POST" }), ["SUPPORT"]));
    expect(post.headers.get("Location")).toBe(`/staff/login?${new URLSearchParams({ next: "/staff/activation" })}`);
  });

  it("answers 403 to a member without any of the roles (an empty list admits nobody), and returns the member otherwise", async () => {
    const member = await newMember(["REGISTRAR"]);
    const cookie = cookieOf(await startStaffSession(request(), member));
    expect((await thrown(requireStaff(request(cookie), ["SUPPORT"]))).status).toBe(403);
    expect(await requireStaff(request(cookie), ["SUPPORT", "REGISTRAR"])).toEqual(member);
    expect((await thrown(requireStaff(request(cookie), []))).status).toBe(403);
  });
});
