// The web process's HTTP server: request logs, the edge (server/edge.ts: headers, origin guard, body cap), static
// assets, and the Remix handler.
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import type { ViteDevServer } from "vite";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { capRequestBody, refuseCrossOrigin, remixHandler, securityHeaders } from "./edge";

export async function createApp({ mode, root, buildDirectory = path.join(root, "build") }: {
  mode: "production" | "development";
  root: string;
  /** Where the production build is (the end-to-end test builds into a folder of its own). */
  buildDirectory?: string;
}) {
  const log = logger().child({ component: "web" });
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback, linklocal, uniquelocal");
  app.use(compression());

  app.use((req, res, next) => {
    const requestId = req.get("x-request-id")?.slice(0, 64) ?? randomUUID();
    res.setHeader("X-Request-Id", requestId);
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    const started = performance.now();
    res.on("finish", () => {
      // The path only: query strings may carry personal data.
      log.info(
        { requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started) },
        "request",
      );
    });
    next();
  });
  const config = env();
  app.use(
    securityHeaders({ production: config.NODE_ENV === "production", development: mode === "development", hicosBaseUrl: config.HICOS_BASE_URL }),
  );
  app.use(refuseCrossOrigin, capRequestBody());

  let vite: ViteDevServer | undefined;
  if (mode === "development") {
    const { createServer } = await import("vite");
    vite = await createServer({ root, server: { middlewareMode: true } });
    app.use(vite.middlewares);
  } else {
    const client = path.join(buildDirectory, "client");
    app.use("/assets", express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(client, { maxAge: "1h" }));
  }

  const build = vite
    ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
    : ((await import(path.join(buildDirectory, "server/index.js"))) as ServerBuild);
  // req.ip honours X-Forwarded-For only from the proxies "trust proxy" names (the load balancer).
  app.all("*", remixHandler({ build, mode }));

  return { app, close: async () => vite?.close() };
}
