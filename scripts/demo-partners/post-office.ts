// The demo post office: answers the tracking adapter's API (app/fulfilment/tracking-protocol.ts) for letters the
// demo vendor hands in. Lazy and clock-driven — no timers: a letter's events are worked out from the time elapsed
// since it was accepted whenever someone asks, so tests move a clock instead of waiting. `npm start` serves it
// over HTTP; tests reach it through msw (test/msw/post-office.ts).
import { createHash, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import {
  MAIL_NOT_FOUND,
  MAIL_NUMBER_PATTERN,
  TRACKING_API_KEY_HEADER,
  type TrackingReply,
  type WireTrackingEvent,
} from "../../app/fulfilment/tracking-protocol";

export interface DemoPostOffice {
  /** The letter is handed in at the counter (idempotent: the first acceptance time stays). */
  acceptLetter(letter: { mailNumber: string; acceptedAt: Date }): void;
  /** The letter could not be delivered and goes back to the sender at `at` (default now). */
  returnLetter(mailNumber: string, at?: Date): void;
  handle(request: Request): Promise<Response>;
}

export class DemoPostOfficeError extends Error {
  constructor(readonly code: "MAIL_NOT_FOUND" | "INVALID_MAIL_NUMBER" | "ALREADY_DELIVERED", message: string) {
    super(message);
    this.name = "DemoPostOfficeError";
  }
}

interface Letter {
  acceptedAt: Date;
  returnedAt: Date | null;
}

// Real places along a letter's way (offices and mail processing centres), picked per mail number.
const COUNTER_OFFICES = ["臺北郵局", "臺北北門郵局", "板橋郵局", "臺中郵局", "高雄郵局"];
const SORTING_CENTRES = ["臺北郵件處理中心", "臺中郵件處理中心", "高雄郵件處理中心"];
const DELIVERY_OFFICES = ["臺北郵局", "新竹郵局", "臺中郵局", "臺南郵局", "高雄郵局", "花蓮郵局", "金門郵局", "馬公郵局"];

const stateFileSchema = z.object({
  version: z.literal(1),
  letters: z.array(z.object({
    mailNumber: z.string().regex(MAIL_NUMBER_PATTERN),
    acceptedAt: z.iso.datetime({ offset: true }),
    returnedAt: z.iso.datetime({ offset: true }).nullable(),
  })),
});

function pick(list: string[], mailNumber: string, salt: string): string {
  const digest = createHash("sha256").update(`${salt}:${mailNumber}`).digest();
  return list[digest.readUInt32BE(0) % list.length]!;
}

/** The post answers in Taiwan time: 2026-11-30T14:05:00.000+08:00. */
export function taipeiIso(date: Date): string {
  return `${new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, -1)}+08:00`;
}

function sameKey(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

function errorReply(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

export function createDemoPostOffice({
  apiKey,
  now = () => new Date(),
  inTransitAfterMs = 10_000,
  deliveredAfterMs = 30_000,
  stateFile,
}: {
  apiKey: string;
  now?: () => Date;
  inTransitAfterMs?: number;
  deliveredAfterMs?: number;
  stateFile?: string;
}): DemoPostOffice {
  if (!(inTransitAfterMs > 0 && deliveredAfterMs > inTransitAfterMs)) {
    throw new RangeError("0 < inTransitAfterMs < deliveredAfterMs");
  }
  const letters = new Map<string, Letter>();

  if (stateFile && existsSync(stateFile)) {
    const saved = stateFileSchema.parse(JSON.parse(readFileSync(stateFile, "utf8")));
    for (const letter of saved.letters) {
      letters.set(letter.mailNumber, {
        acceptedAt: new Date(letter.acceptedAt),
        returnedAt: letter.returnedAt ? new Date(letter.returnedAt) : null,
      });
    }
  }

  function save() {
    if (!stateFile) return;
    const state: z.infer<typeof stateFileSchema> = {
      version: 1,
      letters: [...letters].map(([mailNumber, letter]) => ({
        mailNumber,
        acceptedAt: letter.acceptedAt.toISOString(),
        returnedAt: letter.returnedAt?.toISOString() ?? null,
      })),
    };
    mkdirSync(path.dirname(stateFile), { recursive: true });
    // Write aside and rename, so a crash mid-write never leaves half a file to refuse at the next start.
    const temporary = `${stateFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(state, null, 2));
    renameSync(temporary, stateFile);
  }

  const deliveredAt = (letter: Letter) => new Date(letter.acceptedAt.getTime() + deliveredAfterMs);

  /** Everything that has happened to the letter by `at`. */
  function eventsAt(mailNumber: string, letter: Letter, at: Date): WireTrackingEvent[] {
    const accepted = letter.acceptedAt.getTime();
    const delivery = pick(DELIVERY_OFFICES, mailNumber, "delivery");
    const timeline: WireTrackingEvent[] = [
      { status: "accepted", occurredAt: taipeiIso(letter.acceptedAt), office: pick(COUNTER_OFFICES, mailNumber, "counter") },
      { status: "in_transit", occurredAt: taipeiIso(new Date(accepted + inTransitAfterMs)), office: pick(SORTING_CENTRES, mailNumber, "sorting") },
      // Arrived at the delivery office, halfway between the sorting centre and the doorstep.
      { status: "in_transit", occurredAt: taipeiIso(new Date(accepted + (inTransitAfterMs + deliveredAfterMs) / 2)), office: delivery },
    ];
    if (letter.returnedAt) {
      const returned = letter.returnedAt.getTime();
      return [
        ...timeline.filter((event) => Date.parse(event.occurredAt) <= returned),
        { status: "returned" as const, occurredAt: taipeiIso(letter.returnedAt), office: delivery },
      ].filter((event) => Date.parse(event.occurredAt) <= at.getTime());
    }
    timeline.push({ status: "delivered", occurredAt: taipeiIso(deliveredAt(letter)), office: delivery });
    return timeline.filter((event) => Date.parse(event.occurredAt) <= at.getTime());
  }

  function acceptLetter({ mailNumber, acceptedAt }: { mailNumber: string; acceptedAt: Date }) {
    if (!MAIL_NUMBER_PATTERN.test(mailNumber)) throw new DemoPostOfficeError("INVALID_MAIL_NUMBER", "a mail number is digits");
    if (letters.has(mailNumber)) return;
    letters.set(mailNumber, { acceptedAt: new Date(acceptedAt), returnedAt: null });
    save();
  }

  function returnLetter(mailNumber: string, at: Date = now()) {
    const letter = letters.get(mailNumber);
    if (!letter) throw new DemoPostOfficeError("MAIL_NOT_FOUND", "no such letter at this post office");
    if (letter.returnedAt) return;
    if (deliveredAt(letter) <= at) throw new DemoPostOfficeError("ALREADY_DELIVERED", "the letter was delivered already");
    // Returned no earlier than it was accepted: a letter cannot come back before it left.
    letter.returnedAt = new Date(Math.max(at.getTime(), letter.acceptedAt.getTime()));
    save();
  }

  async function handle(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);

    const control = /^\/demo\/registered-mail\/([^/]+)\/return$/.exec(pathname);
    if (control) {
      // Demo only, and deliberately without the API key: a person trying the demo sends a letter back with curl.
      if (request.method !== "POST") return errorReply(405, "METHOD_NOT_ALLOWED", "POST to return a letter");
      try {
        returnLetter(decodeURIComponent(control[1]!));
      } catch (error) {
        if (!(error instanceof DemoPostOfficeError)) throw error;
        return errorReply(error.code === "MAIL_NOT_FOUND" ? 404 : 409, error.code, error.message);
      }
      return Response.json({ mailNumber: decodeURIComponent(control[1]!), returned: true });
    }

    const tracking = /^\/v1\/registered-mail\/([^/]+)$/.exec(pathname);
    if (!tracking) return errorReply(404, "NOT_FOUND", "no such endpoint");
    if (!sameKey(request.headers.get(TRACKING_API_KEY_HEADER), apiKey)) {
      return errorReply(401, "UNAUTHORIZED", `missing or wrong ${TRACKING_API_KEY_HEADER}`);
    }
    if (request.method !== "GET") return errorReply(405, "METHOD_NOT_ALLOWED", "GET a letter's events");
    const mailNumber = decodeURIComponent(tracking[1]!);
    if (!MAIL_NUMBER_PATTERN.test(mailNumber)) return errorReply(400, "INVALID_MAIL_NUMBER", "a mail number is digits");
    const letter = letters.get(mailNumber);
    const events = letter ? eventsAt(mailNumber, letter, now()) : [];
    // Not handed in, or handed in with a time still ahead of the clock: nothing scanned yet.
    if (events.length === 0) return errorReply(404, MAIL_NOT_FOUND, "no events for this mail number yet");
    const reply: TrackingReply = { mailNumber, events };
    return Response.json(reply);
  }

  return { acceptLetter, returnLetter, handle };
}
