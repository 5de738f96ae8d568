// The whole service in this test process: the Remix app (Vite, development mode) on a free port, the workers,
// and the card simulator holding a freshly issued card — so msw can answer Stripe for the server's own calls.
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { issueCard } from "../../app/cards/issue-card.server";
import { writeCardFile } from "../../app/cards/card-file";
import { addCalendarYears, addExactDays } from "../../app/eligibility/rules";
import { startCardSimulator, type CardSimulator } from "../../scripts/card-simulator/server";
import { createApp } from "../../server/app";
import { startWorkers, type RunningWorkers } from "../../workers/workers";
import { nationalIdWithCheckDigit } from "../factories/national-ids";
import { freePort } from "../support/free-port";

const root = path.resolve(import.meta.dirname, "../..");

export interface AppUnderTest {
  base: string;
  hicos: string;
  cardNumber: string;
  pin: string;
  stop(): Promise<void>;
}

/** Env must be complete before anything reads env(): call this before importing app modules elsewhere. */
export async function startAppUnderTest({ env }: { env: Record<string, string> }): Promise<AppUnderTest> {
  const port = await freePort();
  const hicosPort = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const hicos = `http://127.0.0.1:${hicosPort}`;
  Object.assign(process.env, { HICOS_BASE_URL: hicos, PUBLIC_BASE_URL: base, ...env });

  // A holder whose extended card reaches its 8-year end in 30 days: inside the reissue window.
  const now = new Date();
  const issuedAt = addCalendarYears(addExactDays(now, 30), -8);
  const nationalId = nationalIdWithCheckDigit(`A1${String(Date.now() % 10_000_000).padStart(7, "0")}`);
  const issued = await issueCard({ nationalId, name: "林美玲", issuedAt, extended: true, status: "valid", pin: "246810" });
  const cardsDir = mkdtempSync(path.join(tmpdir(), "moica-e2e-cards-"));
  await writeCardFile(path.join(cardsDir, "card"), issued.file);

  const simulator: CardSimulator = await startCardSimulator({ cardsDir, port: hicosPort, host: "127.0.0.1", log: () => {} });
  const workers: RunningWorkers = await startWorkers();
  const { app, close } = await createApp({ mode: "development", root, hmr: false });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(port, "127.0.0.1", () => resolve(listening));
  });

  return {
    base,
    hicos,
    cardNumber: issued.file.cardNumber,
    pin: "246810",
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
