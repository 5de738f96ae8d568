// What every request meets before the Remix handler (issue 13, "Abuse and the edge"; docs/decisions/013): security
// headers with a per-request CSP nonce, one same-origin guard for every state-changing request, and one body cap.
import { randomBytes } from "node:crypto";
import {
  createReadableStreamFromReadable,
  createRequestHandler as createRemixHandler,
  type ServerBuild,
  writeReadableStreamToWritable,
} from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import helmet from "helmet";
import type { AppError } from "~/lib/errors.server";
import { CROSS_ORIGIN, TOO_LARGE } from "~/lib/http.server";

/** Forms, JSON and the sign-in requests are a few KiB; 64 KiB leaves room and stops a slow flood of bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Paths that keep their own cap and their own check: the webhooks (authenticated by signatures, sent by servers
 * without an Origin) and the bank-file upload (up to BANK_FILE_MAX_BYTES, read by readBankFileUpload).
 */
const OWN_BODY_CAP = [/^\/webhooks\//, /^\/staff\/finance\/bank-files\/?$/];
const SIGNED_BY_PARTNERS = /^\/webhooks\//;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** The citizen's and the staff member's session cookies (app/auth/session.server.ts, app/staff/staff-session.server.ts). */
const SESSION_COOKIE = /(?:^|;\s*)(?:__Host-)?moica_(?:session|staff)=/;

type Locals = { cspNonce: string; body?: Buffer };
const locals = (res: ExpressResponse) => res.locals as Locals;

export function securityHeaders({ production, development, hicosBaseUrl }: {
  production: boolean;
  /** Vite's dev server: its hot-reload socket and the styles it injects. */
  development: boolean;
  /** The HiCOS local signing service the login and activation pages open (a popup; listed for its requests too). */
  hicosBaseUrl: string;
}): RequestHandler[] {
  const nonce = (_req: unknown, res: unknown) => `'nonce-${locals(res as ExpressResponse).cspNonce}'`;
  return [
    (_req, res, next) => {
      locals(res).cspNonce = randomBytes(16).toString("base64");
      next();
    },
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          // Remix's inline scripts (context, route modules, scroll restoration) carry the nonce; nothing else runs.
          scriptSrc: ["'self'", nonce],
          // React renders style="" attributes (visually hidden text); scripts are what a nonce must guard.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", "data:"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'", new URL(hicosBaseUrl).origin, ...(development ? ["ws:"] : [])],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          frameAncestors: ["'none'"],
          // No form-action: the pay-by-card form is answered with a redirect to Stripe's hosted checkout.
          ...(production ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      // The HiCOS popup answers its opener by postMessage: a same-origin COOP would cut that link.
      crossOriginOpenerPolicy: { policy: "same-origin-allow-popups" },
      strictTransportSecurity: production ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
      referrerPolicy: { policy: "same-origin" },
      xFrameOptions: { action: "deny" },
    }),
  ];
}

/** The origin the Remix adapter gives the request (createRemixRequest): the protocol and host the trusted proxy saw. */
function requestOrigin(req: ExpressRequest): string {
  const port = [req.get("X-Forwarded-Host"), req.get("Host")]
    .map((host) => Number.parseInt(host?.split(":")[1] ?? "", 10))
    .find(Number.isSafeInteger);
  return `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}`;
}

/**
 * Every state-changing request must come from our own pages (browsers send Origin on every POST). Refused here with
 * the app's own 403: Remix's guard would throw a bare Error, a 500. The SameSite cookies are the other half.
 */
export const refuseCrossOrigin: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method) || SIGNED_BY_PARTNERS.test(req.path)) return next();
  const origin = req.get("Origin");
  const crossSite = origin === undefined ? req.get("Sec-Fetch-Site") === "cross-site" : origin !== requestOrigin(req);
  if (crossSite) return refuse(req, res, CROSS_ORIGIN);
  next();
};

/**
 * Reads at most maxBytes of any body, then hands it to Remix; one byte more (or a larger Content-Length) is
 * answered 413 at once and the connection closed, so the rest is never read.
 */
export function capRequestBody(maxBytes = MAX_BODY_BYTES): RequestHandler {
  return (req, res, next) => {
    if (OWN_BODY_CAP.some((path) => path.test(req.path))) return next();
    if (Number(req.get("Content-Length") ?? 0) > maxBytes) return refuse(req, res, TOO_LARGE);
    if (req.method === "GET" || req.method === "HEAD") return next();
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        stop();
        req.pause();
        refuse(req, res, TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      locals(res).body = Buffer.concat(chunks);
      next();
    };
    const onError = (error: Error) => {
      stop();
      next(error);
    };
    req.on("data", onData).on("end", onEnd).on("error", onError);
  };
}

/**
 * The Remix handler of @remix-run/express (same request URL, headers and abort signal), with two differences: a
 * body the cap has read is passed on as it was read, and a response to a signed-in visitor is never stored (every
 * citizen page behind the session shows the holder's data; the staff pages said so already).
 */
export function remixHandler({ build, mode }: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: "production" | "development";
}): RequestHandler {
  const handle = createRemixHandler(build, mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      let response = await handle(remixRequest(req, res), { clientIp: req.ip ?? "unknown", cspNonce: locals(res).cspNonce });
      if (SESSION_COOKIE.test(req.get("Cookie") ?? "")) {
        const headers = new Headers(response.headers);
        headers.set("Cache-Control", "no-store");
        response = new Response(response.body, { status: response.status, statusText: response.statusText, headers });
      }
      // An answer given before the body was read (a redirect to sign in, a refusal): close rather than leave the
      // socket stuck on unread bytes until the keep-alive timeout resets it under the client's next request.
      if (!req.complete && !locals(res).body) res.set("Connection", "close");
      res.statusMessage = response.statusText;
      res.status(response.status);
      for (const [key, value] of response.headers.entries()) res.append(key, value);
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      next(error);
    }
  };
}

function remixRequest(req: ExpressRequest, res: ExpressResponse): Request {
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    for (const value of Array.isArray(values) ? values : values ? [values] : []) headers.append(key, value);
  }
  // Loaders and actions are aborted when the client goes away before the answer is written.
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const read = locals(res).body;
    if (read) init.body = new Uint8Array(read);
    else Object.assign(init, { body: createReadableStreamFromReadable(req), duplex: "half" });
  }
  return new Request(`${requestOrigin(req)}${req.originalUrl}`, init);
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The app's own refusal, bilingual (zh-TW first): a small page for a browser's form post, JSON otherwise. */
function refuse(req: ExpressRequest, res: ExpressResponse, error: AppError): void {
  res.status(error.status).set("Cache-Control", "no-store");
  // A small body is left for Node to drain (closing on unread bytes resets the connection, and the client may lose
  // the answer); a large or endless one is never read: the connection closes after the answer.
  const length = Number(req.get("Content-Length") ?? Number.NaN);
  const small = error.status !== 413 && length >= 0 && length <= MAX_BODY_BYTES;
  if (!req.complete && !small) res.set("Connection", "close");
  const { "zh-TW": zh, en } = error.userMessage;
  if (req.accepts(["json", "html"]) === "html") {
    res.type("html").send(
      `<!doctype html><html lang="zh-TW"><head><meta charset="utf-8"><title>${escapeHtml(zh)}</title></head>` +
        `<body><main><h1>${escapeHtml(zh)}</h1><p lang="en">${escapeHtml(en)}</p></main></body></html>`,
    );
    return;
  }
  res.json({ error: { code: error.code, message: error.userMessage } });
}
