import { describe, expect, it } from "vitest";
import { action, loader } from "~/routes/lang";

const run = (path: string) => loader({ request: new Request(`http://localhost${path}`), params: {}, context: { clientIp: "127.0.0.1" } });

describe("the /lang route", () => {
  it("remembers the chosen language and goes back to the page", async () => {
    const response = await run("/lang?lang=en&redirectTo=%2Fstatus%3Forder%3D1");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/status?order=1");
    expect(response.headers.get("Set-Cookie")).toBe("lang=en; Path=/; Max-Age=31536000; SameSite=Lax");
  });

  it.each(["//evil.com", "https://evil.com", "/\\evil.com", "javascript:alert(1)", "/.//evil.com"])(
    "never redirects off the site (%j)",
    async (target) => {
      const response = await run(`/lang?lang=en&redirectTo=${encodeURIComponent(target)}`);
      expect(response.headers.get("Location")).toBe("/");
    },
  );

  it("drops ?lang= from the target so the new cookie wins", async () => {
    const response = await run(`/lang?lang=zh-TW&redirectTo=${encodeURIComponent("/?lang=en")}`);
    expect(response.headers.get("Location")).toBe("/");
    expect(response.headers.get("Set-Cookie")).toMatch(/^lang=zh-TW;/);
  });

  it("does not loop back to itself", async () => {
    const response = await run(`/lang?lang=en&redirectTo=${encodeURIComponent("/lang?lang=zh-TW")}`);
    expect(response.headers.get("Location")).toBe("/");
  });

  it("sets no cookie for an unknown language", async () => {
    const response = await run("/lang?lang=fr&redirectTo=%2F");
    expect(response.headers.get("Location")).toBe("/");
    expect(response.headers.get("Set-Cookie")).toBeNull();
  });

  it("marks the cookie Secure over HTTPS", async () => {
    const response = await loader({ request: new Request("https://example.test/lang?lang=en"), params: {}, context: { clientIp: "127.0.0.1" } });
    expect(response.headers.get("Set-Cookie")).toMatch(/; Secure$/);
  });

  it("accepts the same fields from a form post", async () => {
    const body = new URLSearchParams({ lang: "en", redirectTo: "/status" });
    const response = await action({
      request: new Request("http://localhost/lang", { method: "POST", body }),
      params: {},
      context: { clientIp: "127.0.0.1" },
    });
    expect(response.headers.get("Location")).toBe("/status");
    expect(response.headers.get("Set-Cookie")).toMatch(/^lang=en;/);
  });
});
