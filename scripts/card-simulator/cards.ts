// The simulated cards: one folder per card under the cards dir, each with a card.json (app/cards/card-file.ts,
// written by the seed and by `tsx scripts/ca.ts issue-card`). Re-scanned on every request, since cards get added while the simulator runs; parsed
// certificates and keys are cached by the file's mtime so a scan stays cheap.
import { createPrivateKey, type KeyObject } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { CARD_FILE_NAME, cardFileSchema, type CardFile } from "../../app/cards/card-file";
import { x509 } from "../../app/lib/x509.server";

export interface CardCertificate {
  certificate: x509.X509Certificate;
  der: Uint8Array;
  key: KeyObject;
}

export interface SimulatedCard {
  cardNumber: string;
  /** The card's folder; its state.json (PIN counter, lock) lives here too. */
  dir: string;
  pin: string;
  signing: CardCertificate;
  encryption: CardCertificate;
}

function loadCertificate(pair: CardFile["signing"]): CardCertificate {
  const certificate = new x509.X509Certificate(pair.certPem);
  return { certificate, der: new Uint8Array(certificate.rawData), key: createPrivateKey(pair.keyPem) };
}

/** The holder's name as the card shows it (the signing certificate's CN). */
export function holderName(card: SimulatedCard): string {
  return card.signing.certificate.subjectName.getField("CN")[0] ?? "";
}

type Selection = { kind: "default" } | { kind: "card"; cardNumber: string } | { kind: "none" };

export class CardStore {
  private readonly cache = new Map<string, { mtimeMs: number; card: SimulatedCard | undefined }>();
  private readonly warned = new Set<string>();
  private selection: Selection = { kind: "default" };

  constructor(
    readonly cardsDir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Every readable card, sorted by card number. A broken card.json is skipped with one warning. */
  async list(): Promise<SimulatedCard[]> {
    let entries: string[];
    try {
      entries = await readdir(this.cardsDir);
    } catch {
      return [];
    }
    const cards: SimulatedCard[] = [];
    for (const entry of entries.sort()) {
      const card = await this.load(path.join(this.cardsDir, entry));
      if (card && !cards.some((c) => c.cardNumber === card.cardNumber)) cards.push(card);
    }
    return cards.sort((a, b) => a.cardNumber.localeCompare(b.cardNumber));
  }

  private async load(dir: string): Promise<SimulatedCard | undefined> {
    const file = path.join(dir, CARD_FILE_NAME);
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(file)).mtimeMs;
    } catch {
      return undefined; // not a card folder
    }
    const cached = this.cache.get(file);
    if (cached?.mtimeMs === mtimeMs) return cached.card;
    let card: SimulatedCard | undefined;
    try {
      const parsed = cardFileSchema.parse(JSON.parse(await readFile(file, "utf8")));
      card = {
        cardNumber: parsed.cardNumber,
        dir,
        pin: parsed.pin,
        signing: loadCertificate(parsed.signing),
        encryption: loadCertificate(parsed.encryption),
      };
      this.warned.delete(file);
    } catch (error) {
      if (!this.warned.has(file)) {
        this.warned.add(file);
        const reason = error instanceof z.ZodError ? z.prettifyError(error).replace(/\n/g, "; ") : String(error);
        this.log(`skipping ${file}: ${reason}`);
      }
    }
    this.cache.set(file, { mtimeMs, card });
    return card;
  }

  /** The card in the simulated reader: the chosen one, else the first card, unless the card was removed. */
  async inserted(): Promise<SimulatedCard | undefined> {
    const cards = await this.list();
    if (this.selection.kind === "none") return undefined;
    if (this.selection.kind === "default") return cards[0];
    const wanted = this.selection.cardNumber;
    return cards.find((card) => card.cardNumber === wanted);
  }

  async find(cardNumber: string): Promise<SimulatedCard | undefined> {
    return (await this.list()).find((card) => card.cardNumber === cardNumber);
  }

  /** False when no such card is in the cards dir. */
  async insert(cardNumber: string): Promise<boolean> {
    if (!(await this.find(cardNumber))) return false;
    this.selection = { kind: "card", cardNumber };
    return true;
  }

  remove(): void {
    this.selection = { kind: "none" };
  }
}
