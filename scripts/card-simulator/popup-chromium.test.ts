// The whole popup protocol in a real browser: a page on another origin runs app/auth/hicos.client.ts (bundled
// as the Remix page would ship it), opens the simulator's /popupForm and gets a signature that verifies.
import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { HICOS_LAST_ERROR, HICOS_RET_CODE } from "../../app/auth/hicos.client";
import { x509 } from "../../app/lib/x509.server";
import { freePort } from "../../test/support/free-port";
import { startCardSimulator, type CardSimulator } from "./server";
import { writeTestCard, type TestCard } from "./testing";

const RSA_SHA256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

let cardsDir: string;
let card: TestCard;
let simulator: CardSimulator;
let opener: http.Server;
let openerUrl: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  cardsDir = await mkdtemp(path.join(tmpdir(), "card-simulator-browser-"));
  const [written, bundle] = await Promise.all([
    writeTestCard({ cardsDir, cardNumber: "TP03120111000002" }),
    build({
      entryPoints: [path.resolve(import.meta.dirname, "../../app/auth/hicos.client.ts")],
      bundle: true, format: "iife", globalName: "Hicos", platform: "browser", target: "es2020", write: false,
    }),
  ]);
  card = written;
  simulator = await startCardSimulator({ cardsDir, port: await freePort(), log: () => {} });

  const html = `<!doctype html><meta charset="utf-8"><title>opener</title><script>${bundle.outputFiles[0]!.text}</script>`;
  opener = http.createServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(html);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => opener.listen(port, "127.0.0.1", resolve));
  // "localhost" for the page, 127.0.0.1 for the simulator: two origins, as with the real site and HiCOS.
  openerUrl = `http://localhost:${port}/`;

  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage();
  await page.goto(openerUrl);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => opener?.close(resolve));
  await simulator?.close();
  await rm(cardsDir, { recursive: true, force: true });
});

type Outcome = { ok: true; value: any } | { ok: false; code: unknown; lastError: unknown; failure: string; message: string };

/** Runs a hicos.client call in the page (evaluate counts as a user gesture, so the popup is allowed). */
function inPage(call: "sign" | "read", options: Record<string, unknown>, { forgeReply = false } = {}): Promise<Outcome> {
  return page.evaluate(
    async ({ call, options, forgeReply }) => {
      const hicos = (window as any).Hicos;
      // A reply forged by a script on the page's own origin must be ignored: only the popup's origin counts.
      if (forgeReply) setTimeout(() => window.postMessage(JSON.stringify({ func: "sign", ret_code: 0, signature: "Zm9yZ2Vk", certb64: "" }), "*"), 0);
      try {
        const value = call === "sign" ? await hicos.signWithCard(options) : await hicos.readCardInfo(options);
        return { ok: true as const, value };
      } catch (error: any) {
        return { ok: false as const, code: error.code, lastError: error.lastError, failure: error.failure, message: hicos.hicosErrorMessage(error.code, "en", error.lastError) };
      }
    },
    { call, options, forgeReply },
  );
}

it("signs through the popup, ignores messages from other origins, and reports card, PIN and service failures", async () => {
  // Shaped like the login's tbs (issue 13: lines naming the site and the nonce), with what the form encoding could mangle.
  const tbs = "moica-reissue-login:v1\norigin=http://127.0.0.1:3000\nnonce=challenge+/=&%20 一次性";
  const signed = await inPage("sign", { baseUrl: simulator.url, tbs, pin: card.pin }, { forgeReply: true });
  expect(signed.ok).toBe(true);
  const result = (signed as { value: any }).value;
  expect(result).toMatchObject({ cardSN: card.cardNumber, signatureType: "PKCS1", certb64: Buffer.from(card.signingCertDer).toString("base64") });
  const key = await new x509.X509Certificate(Uint8Array.from(card.signingCertDer)).publicKey.export(RSA_SHA256, ["verify"]);
  const signature = new Uint8Array(Buffer.from(result.signature, "base64"));
  expect(await crypto.subtle.verify(RSA_SHA256, key, signature, new TextEncoder().encode(tbs))).toBe(true);

  const pkcs7 = await inPage("sign", { baseUrl: simulator.url, tbs, pin: card.pin, signatureType: "PKCS7" });
  expect(pkcs7).toMatchObject({ ok: true, value: { signatureType: "PKCS7" } });

  const info = await inPage("read", { baseUrl: simulator.url });
  expect(info).toMatchObject({ ok: true, value: { cardNumber: card.cardNumber } });
  expect((info as { value: any }).value.certs.map((c: any) => c.usage)).toEqual(["digitalSignature", "keyEncipherment|dataEncipherment"]);

  const wrongPin = await inPage("sign", { baseUrl: simulator.url, tbs, pin: "975310" });
  expect(wrongPin).toMatchObject({
    ok: false, code: HICOS_RET_CODE.cardLoginFailed, lastError: HICOS_LAST_ERROR.pinIncorrectTwoLeft | 0, failure: "wrong-pin",
    message: "Wrong PIN. 2 attempts left before the card locks.",
  });

  await fetch(`${simulator.url}/control/remove`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
  expect(await inPage("read", { baseUrl: simulator.url })).toMatchObject({ ok: false, code: HICOS_RET_CODE.noCard, failure: "no-card" });
  expect(await inPage("sign", { baseUrl: simulator.url, tbs, pin: card.pin })).toMatchObject({ ok: false, failure: "no-card" });

  // Nothing listens there: the popup shows the browser's error page and never says getTbs.
  const nobody = `http://127.0.0.1:${await freePort()}`;
  expect(await inPage("sign", { baseUrl: nobody, tbs, pin: card.pin, readyTimeoutMs: 1_500 })).toMatchObject({
    ok: false, code: "not-running", failure: "not-running",
  });
  await expect.poll(() => page.context().pages().length).toBe(1); // every popup closed (closing is asynchronous)
});
