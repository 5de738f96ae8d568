// The whole service in this test process: the Remix app (a production build of its own) on a free port, the workers,
// and the card simulator holding a freshly issued card — so msw can answer Stripe for the server's own calls.
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../support/free-port";
import { productionBuild } from "./production-build";

const root = path.resolve(import.meta.dirname, "../..");

export interface AppUnderTest {
  base: string;
  hicos: string;
  cardNumber: string;
  /** The card's row (its holder is the one who logs in). */
  cardId: string;
  pin: string;
  /** The card simulator's folder: a card file written to <cardsDir>/<folder>/card.json can be inserted. */
  cardsDir: string;
  stop(): Promise<void>;
}

/**
 * The environment is complete before any app module loads: env() is read once and cached, and importing the
 * Prisma client reads it. So app modules are imported here, after the variables are set, never at the top.
 */
export async function startAppUnderTest({ env }: { env: Record<string, string> }): Promise<AppUnderTest> {
  const port = await freePort();
  const hicosPort = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const hicos = `http://127.0.0.1:${hicosPort}`;
  Object.assign(process.env, { HICOS_BASE_URL: hicos, PUBLIC_BASE_URL: base, ...env });
  const { issueCard } = await import("../../app/cards/issue-card.server");
  const { writeCardFile } = await import("../../app/cards/card-file");
  const { addCalendarYears, addExactDays } = await import("../../app/eligibility/rules");
  const { startCardSimulator } = await import("../../scripts/card-simulator/server");
  const { createApp } = await import("../../server/app");
  const { startWorkers } = await import("../../workers/workers");
  const { nationalIdWithCheckDigit } = await import("../factories/national-ids");
  const { env: readEnv } = await import("../../app/lib/env.server");
  for (const [key, value] of Object.entries(env)) {
    if (String((readEnv() as Record<string, unknown>)[key]) !== value) throw new Error(`${key} was read before startAppUnderTest set it`);
  }

  // A holder whose extended card reaches its 8-year end in 30 days: inside the reissue window.
  const now = new Date();
  const issuedAt = addCalendarYears(addExactDays(now, 30), -8);
  const nationalId = nationalIdWithCheckDigit(`A1${String(Date.now() % 10_000_000).padStart(7, "0")}`);
  const issued = await issueCard({ nationalId, name: "林美玲", issuedAt, extended: true, status: "valid", pin: "246810" });
  const cardsDir = mkdtempSync(path.join(tmpdir(), "moica-e2e-cards-"));
  await writeCardFile(path.join(cardsDir, "card"), issued.file);

  const simulator = await startCardSimulator({ cardsDir, port: hicosPort, host: "127.0.0.1", log: () => {} });
  const workers = await startWorkers();
  // A production build (what citizens get, with no dev-server dependency optimiser to reload pages), shared by the run.
  const buildDirectory = await productionBuild();
  const { app, close } = await createApp({ mode: "production", root, buildDirectory });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(port, "127.0.0.1", () => resolve(listening));
  });

  return {
    base,
    hicos,
    cardNumber: issued.file.cardNumber,
    cardId: issued.cardId,
    pin: "246810",
    cardsDir,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await close();
      await workers.stop();
      await simulator.close();
      rmSync(cardsDir, { recursive: true, force: true });
    },
  };
}
