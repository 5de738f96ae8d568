// The web server as the outside sees it (issue 13, "Abuse and the edge"): the production build behind server/app.ts
// on a free port, probed over HTTP — body cap, cross-origin guard, security headers, no-store for signed-in pages.
import http from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCitizenSession } from "~/auth/session.server";
import { createApp } from "../server/app";
import { MAX_BODY_BYTES, securityHeaders } from "../server/edge";
import { productionBuild } from "./e2e/production-build";
import { recordEligibleCard } from "./factories/orders";

const root = path.resolve(import.meta.dirname, "..");
let server: Server;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const built = await createApp({ mode: "production", root, buildDirectory: await productionBuild() });
  close = async () => void (await built.close());
  server = await new Promise((resolve) => {
    const listening = built.app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 240_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await close();
});

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A request whose body is written only as far as `write` says and never finished: the answer can only come from a
 * server that stopped reading. (fetch would wait to send the whole body first.)
 */
function partialPost(pathname: string, headers: Record<string, string>, write: (req: http.ClientRequest) => void): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${pathname}`, { method: "POST", headers: { Origin: base, ...headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        req.destroy();
      });
    });
    req.on("error", reject);
    write(req);
  });
}

const form = (bytes: number) => `redirectTo=/&lang=en&pad=${"x".repeat(bytes)}`;

describe("the body cap", () => {
  it("answers 413 with the app's message from Content-Length alone, before the body arrives", async () => {
    const answer = await partialPost("/lang", { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(10 * 1024 * 1024) }, (req) => {
      req.write("redirectTo=/&lang=en&pad=");
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      error: { code: "BODY_TOO_LARGE", message: { "zh-TW": "送出的資料過大。", en: "The request is too large." } },
    });
    expect(answer.headers.connection).toBe("close");
  });

  it("counts the bytes of a streamed body and answers 413 as soon as they pass the cap", async () => {
    const answer = await partialPost("/lang", { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" }, (req) => {
      for (let sent = 0; sent <= MAX_BODY_BYTES; sent += 8 * 1024) req.write("x".repeat(8 * 1024));
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe("BODY_TOO_LARGE");
  });

  it("passes a body under the cap to the page whole", async () => {
    const answer = await fetch(`${base}/lang`, {
      method: "POST", redirect: "manual",
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
      body: form(MAX_BODY_BYTES - 100),
    });
    expect(answer.status).toBe(302);
    expect(answer.headers.get("set-cookie")).toContain("en");
  });

  it("leaves the bank-file upload and the webhooks to their own caps", async () => {
    const upload = await fetch(`${base}/staff/finance/bank-files`, {
      method: "POST", redirect: "manual",
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
      body: form(MAX_BODY_BYTES * 2),
    });
    expect(upload.status).toBe(302); // to the staff sign-in, not 413
    // Stripe's events may be up to STRIPE_WEBHOOK_MAX_BYTES (256 KiB): the route answers for itself (no secret here).
    const webhook = await fetch(`${base}/webhooks/stripe`, { method: "POST", body: "x".repeat(MAX_BODY_BYTES * 2) });
    expect(webhook.status).not.toBe(413);
  });
});

describe("the cross-origin guard", () => {
  it("answers a form post from another site 403 with the app's message, in a page for a browser", async () => {
    const answer = await fetch(`${base}/lang`, {
      method: "POST", redirect: "manual",
      headers: { Origin: "https://evil.example", Accept: "text/html", "Content-Type": "application/x-www-form-urlencoded" },
      body: form(10),
    });
    expect(answer.status).toBe(403);
    const page = await answer.text();
    expect(page).toContain("請從本服務的網頁操作。");
    expect(page).toContain("Please use this service's own pages.");
  });

  it("answers JSON to a script, and refuses an opaque origin and a cross-site request without Origin", async () => {
    const refused: Array<Record<string, string>> = [{ Origin: "https://evil.example" }, { Origin: "null" }, { "Sec-Fetch-Site": "cross-site" }];
    for (const headers of refused) {
      const answer = await fetch(`${base}/auth/card/challenge`, { method: "POST", headers });
      expect(answer.status).toBe(403);
      expect((await answer.json()).error.code).toBe("CROSS_ORIGIN");
    }
  });

  it("lets the partners' signed webhooks through to their own checks", async () => {
    const answer = await fetch(`${base}/webhooks/stripe`, { method: "POST", headers: { Origin: "https://evil.example" }, body: "{}" });
    expect(answer.status).not.toBe(403);
  });
});

describe("security headers", () => {
  it("puts a fresh nonce in the CSP and on every inline script, and no 'unsafe-inline' for scripts", async () => {
    const answers = await Promise.all([fetch(`${base}/`), fetch(`${base}/login`)]);
    const nonces = new Set<string>();
    for (const answer of answers) {
      const csp = answer.headers.get("content-security-policy") ?? "";
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? "";
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
      expect(nonce).toBeTruthy();
      nonces.add(nonce!);
      expect(scriptSrc).not.toContain("unsafe-inline");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/connect-src [^;]*http:\/\/localhost:61161/);
      const html = await answer.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      expect(answer.headers.get("strict-transport-security")).toBeNull();
      expect(answer.headers.get("x-frame-options")).toBe("DENY");
    }
    expect(nonces.size).toBe(2);
  });

  it("sends HSTS in production", async () => {
    const app = express().use(securityHeaders({ production: true, development: false, hicosBaseUrl: "http://localhost:61161" }));
    app.get("/", (_req, res) => void res.send("ok"));
    const listening: Server = await new Promise((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    try {
      const answer = await fetch(`http://127.0.0.1:${(listening.address() as AddressInfo).port}/`);
      expect(answer.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    } finally {
      await new Promise((resolve) => listening.close(resolve));
    }
  });

  it("marks every page a signed-in citizen sees no-store, and leaves public pages alone", async () => {
    const { holder, card } = await recordEligibleCard();
    const started = await startCitizenSession(new Request(base), {
      holderId: holder.id, cardId: card.id, certificateId: "0193f3c2-0000-7000-8000-000000000003", scope: "full",
    });
    const cookie = started.get("Set-Cookie")!.split(";")[0]!;
    for (const page of ["/reissue", "/reissue/apply", "/reissue.data", "/activate"]) {
      const answer = await fetch(`${base}${page}`, { headers: { Cookie: cookie }, redirect: "manual" });
      expect(answer.status, page).toBeLessThan(400);
      expect(answer.headers.get("cache-control"), page).toBe("no-store");
    }
    expect((await fetch(`${base}/`)).headers.get("cache-control")).not.toBe("no-store");
  });
});
