// The card's PIN retry counter, kept in state.json beside card.json: a real card keeps it in its chip, so
// restarting the simulator (or the PC) must not unlock a card.
import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { SimulatedCard } from "./cards";

/** 3 wrong PINs in a row lock the card (domain brief; MOICA cards). */
export const PIN_TRIES = 3;

const cardStateSchema = z.object({
  wrongPinAttempts: z.number().int().min(0).default(0),
  locked: z.boolean().default(false),
});

export type CardState = z.infer<typeof cardStateSchema>;

export type PinCheck = { result: "ok" } | { result: "wrong"; attemptsLeft: number } | { result: "locked" };

const statePath = (card: SimulatedCard) => path.join(card.dir, "state.json");

export async function readCardState(card: SimulatedCard): Promise<CardState> {
  let text: string;
  try {
    text = await readFile(statePath(card), "utf8");
  } catch {
    return { wrongPinAttempts: 0, locked: false };
  }
  let parsed: ReturnType<typeof cardStateSchema.safeParse> | undefined;
  try {
    parsed = cardStateSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  // An unreadable counter must not hand out fresh attempts: treat it as locked, as a damaged chip would be.
  return parsed?.success ? parsed.data : { wrongPinAttempts: PIN_TRIES, locked: true };
}

async function writeCardState(card: SimulatedCard, state: CardState): Promise<void> {
  // Write-then-rename, so a crash mid-write never leaves a half file.
  const temporary = `${statePath(card)}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, statePath(card));
}

/** What MOICA's PIN unlock (with the user code) does to the card; the simulator's page offers it for training. */
export async function unlockPin(card: SimulatedCard): Promise<void> {
  await rm(statePath(card), { force: true });
}

// Checks of one card run one after another, so two quick wrong PINs cannot both read the same counter.
const queues = new Map<string, Promise<unknown>>();

function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  queues.set(key, next.catch(() => {}));
  return next;
}

/**
 * The card's C_Login: a locked card refuses even the right PIN; a wrong PIN counts, the third one locks; the
 * right PIN before that resets the counter. The caller checks the PIN's length first (the middleware does, and
 * a PIN of the wrong length never reaches the card, so it costs no attempt).
 */
export function verifyPin(card: SimulatedCard, pin: string): Promise<PinCheck> {
  return serialized(card.dir, async () => {
    const state = await readCardState(card);
    if (state.locked) return { result: "locked" };
    if (pin === card.pin) {
      if (state.wrongPinAttempts > 0) await writeCardState(card, { wrongPinAttempts: 0, locked: false });
      return { result: "ok" };
    }
    const wrongPinAttempts = state.wrongPinAttempts + 1;
    const locked = wrongPinAttempts >= PIN_TRIES;
    await writeCardState(card, { wrongPinAttempts, locked });
    return locked ? { result: "locked" } : { result: "wrong", attemptsLeft: PIN_TRIES - wrongPinAttempts };
  });
}
