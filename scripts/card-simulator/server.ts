// A stand-in for HiCOS's local service (http://localhost:61161) for development, demos and tests: the same
// endpoints and answers the login and activation pages rely on, backed by card files instead of a card.
// Like HiCOS it sends no CORS headers, so pages must go through /popupForm exactly as with the real one.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { HICOS_RET_CODE } from "../../app/auth/hicos.client";
import { CardStore, holderName } from "./cards";
import { readCardState, unlockPin } from "./card-state";
import { popupFormPage, readerPage, type ReaderCard } from "./pages";
import { makeSignature, pkcs11Info, readTbsPackage } from "./protocol";

export interface CardSimulatorOptions {
  cardsDir: string;
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

export interface CardSimulator {
  url: string;
  port: number;
  store: CardStore;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.removeAllListeners("data");
        request.resume(); // drain the rest so the answer can still be sent
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response: http.ServerResponse, status: number, body: string, type: string): void {
  response.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  response.end(body);
}

const json = (response: http.ServerResponse, status: number, value: unknown) =>
  send(response, status, JSON.stringify(value), "application/json; charset=utf-8");

async function readerCards(store: CardStore): Promise<ReaderCard[]> {
  const [cards, inserted] = await Promise.all([store.list(), store.inserted()]);
  return Promise.all(
    cards.map(async (card) => ({
      cardNumber: card.cardNumber,
      holder: holderName(card),
      notAfter: card.signing.certificate.notAfter,
      inserted: card.cardNumber === inserted?.cardNumber,
      ...(await readCardState(card)),
    })),
  );
}

/** The control API (tests, e2e tests, the reader page) takes JSON only: a cross-site form cannot send that. */
async function control(store: CardStore, action: string, body: string, response: http.ServerResponse, note: (s: string) => void) {
  let input: { cardNumber?: unknown } = {};
  try {
    input = body.trim() ? JSON.parse(body) : {};
  } catch {
    return json(response, 400, { error: "body must be JSON" });
  }
  const cardNumber = typeof input?.cardNumber === "string" ? input.cardNumber : "";
  if (action === "remove") {
    store.remove();
    note("card removed");
  } else if (action === "insert") {
    if (!(await store.insert(cardNumber))) return json(response, 404, { error: `no card ${cardNumber} in ${store.cardsDir}` });
    note(`card ${cardNumber} inserted`);
  } else if (action === "unlock") {
    const card = await store.find(cardNumber);
    if (!card) return json(response, 404, { error: `no card ${cardNumber} in ${store.cardsDir}` });
    await unlockPin(card);
    note(`card ${cardNumber} PIN unlocked`);
  } else {
    return json(response, 404, { error: `unknown control action ${action}` });
  }
  json(response, 200, { inserted: (await store.inserted())?.cardNumber ?? null });
}

export async function startCardSimulator(options: CardSimulatorOptions): Promise<CardSimulator> {
  const log = options.log ?? ((line: string) => console.log(`[card-simulator] ${line}`));
  const store = new CardStore(options.cardsDir, log);

  const server = http.createServer(async (request, response) => {
    const started = Date.now();
    const url = new URL(request.url ?? "/", "http://localhost");
    const notes: string[] = [];
    const note = (line: string) => notes.push(line);
    // One line per request; the URL path only (queries and bodies may carry a PIN or signature).
    response.on("finish", () =>
      log(`${request.method} ${url.pathname} ${response.statusCode} ${Date.now() - started}ms${notes.length ? ` ${notes.join("; ")}` : ""}`),
    );
    try {
      const route = `${request.method} ${url.pathname}`;
      if (route === "GET /") {
        return send(response, 200, readerPage({ cards: await readerCards(store), cardsDir: store.cardsDir }), "text/html; charset=utf-8");
      }
      if (route === "GET /favicon.ico") return send(response, 204, "", "image/x-icon");
      if (route === "GET /popupForm") return send(response, 200, popupFormPage(), "text/html; charset=utf-8");
      if (route === "GET /pkcs11info") {
        const card = await store.inserted();
        note(card ? `card=${card.cardNumber}` : "no card");
        return json(response, 200, pkcs11Info(card, url.searchParams.get("withcert") === "true"));
      }
      if (route === "POST /sign") {
        let body: string;
        try {
          body = await readBody(request);
        } catch (error) {
          if (error instanceof BodyTooLarge) return json(response, 200, { func: "sign", ret_code: HICOS_RET_CODE.requestTooLarge, last_error: 0 });
          throw error;
        }
        return json(response, 200, await makeSignature(store, readTbsPackage(body, request.headers["content-type"]), note));
      }
      if (request.method === "GET" && url.pathname === "/control/state") {
        return json(response, 200, { inserted: (await store.inserted())?.cardNumber ?? null, cards: await readerCards(store) });
      }
      const action = /^\/control\/([a-z]+)$/.exec(url.pathname)?.[1];
      if (request.method === "POST" && action) {
        if (!/^application\/json\b/i.test(request.headers["content-type"] ?? "")) {
          return json(response, 415, { error: "send Content-Type: application/json" });
        }
        return await control(store, action, await readBody(request), response, note);
      }
      json(response, 404, { error: "not found" });
    } catch (error) {
      note(`error: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) json(response, 500, { ret_code: HICOS_RET_CODE.serviceFailure, last_error: 0 });
      else response.destroy();
    }
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 61161, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A browser's keep-alive socket would hold close() open; nobody is mid-request by now.
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      }),
  };
}
