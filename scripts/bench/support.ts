// `npm run bench:support [-- --orders N --lookups N --keep]`: seeds a year of orders (default 1,000,000; see
// support-seed.ts) in a throwaway database on the dev cluster (or DATABASE_URL's server), then times the support
// desk's registered-mail look-up (findOrderByMailNumber) for random known numbers and ~10% unknown ones, each
// followed by a trivial SELECT 1 on the same client — the ratio of the two p50s means the same on a busy or an
// idle machine. Prints the look-up's plan once. Timings are printed, never asserted; wrong answers are counted.
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { MAIL_NUMBER_PREFIX, seedSupportOrders, type SeedResult } from "./support-seed";
import { withBenchDatabase } from "./scratch-database";

export type FindOrderByMailNumber = (mailNumber: string) => Promise<{ orderNumber: string } | null>;

/** The statement findOrderByMailNumber sends (app/support/search.server.ts), for EXPLAIN. */
export const MAIL_NUMBER_LOOKUP_SQL = `SELECT o.order_number FROM registered_mail m JOIN reissue_order o ON o.id = m.order_id WHERE m.mail_number = $1`;

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LookupBenchResult {
  lookups: number;
  known: number;
  unknown: number;
  wrongAnswers: number;
  /** Milliseconds. */
  lookup: LatencySummary;
  selectOne: LatencySummary;
  /** The desk's search box (searchOrders: classify, look up with the holder, write the audit event), if timed. */
  deskSearch: (LatencySummary & { wrongAnswers: number }) | null;
  lookupsPerSecond: number;
  plan: string[];
  /** registered_mail's indexes and their sizes on disk. */
  indexes: Array<{ name: string; size: string }>;
}

/** Nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) throw new RangeError("no samples");
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1)! };
}

/** A number of the seeded shape that no row holds (10^18 values, at most millions used; checked anyway). */
function unknownMailNumber(): string {
  const digits = Array.from({ length: 18 }, () => Math.floor(Math.random() * 10)).join("");
  return MAIL_NUMBER_PREFIX + digits;
}

/**
 * After `warmup` untimed look-ups, `lookups` timed ones in random order (a share `unknownShare` of unknown
 * numbers), each followed by a timed SELECT 1. Uses this process's DATABASE_URL (through the app's Prisma client).
 */
export async function benchMailNumberLookups({ lookups, warmup = Math.min(200, lookups), unknownShare = 0.1, find, deskSearch = true }: {
  lookups: number;
  warmup?: number;
  unknownShare?: number;
  find?: FindOrderByMailNumber;
  deskSearch?: boolean;
}): Promise<LookupBenchResult> {
  const { prisma } = await import("~/lib/db.server");
  const { findOrderByMailNumber, searchOrders } = await import("~/support/search.server");
  const lookUp: FindOrderByMailNumber = find ?? findOrderByMailNumber;
  // A support member as the session would give one; audit rows name this id (no staff row is needed for that).
  const staff = { id: "00000000-0000-7000-8000-00000000be4c", username: "bench.support", roles: ["SUPPORT" as const] };
  const search = async (mailNumber: string) => (await searchOrders({ staff, query: mailNumber })).matches[0]?.orderNumber ?? null;

  const unknown = Math.round(lookups * unknownShare);
  const sample = await prisma.$queryRawUnsafe<Array<{ mail_number: string; order_number: string }>>(
    `SELECT m.mail_number, o.order_number FROM registered_mail m JOIN reissue_order o ON o.id = m.order_id
      ORDER BY random() LIMIT $1`, lookups - unknown + warmup);
  if (sample.length === 0) throw new Error("no registered mail to look up: seed first");
  const known = sample.slice(warmup);
  const unknowns = Array.from({ length: unknown }, unknownMailNumber);
  const held = await prisma.registeredMail.count({ where: { mailNumber: { in: unknowns } } });
  if (held > 0) throw new Error("an 'unknown' mail number exists: rerun");
  const queries = [
    ...known.map((row) => ({ mailNumber: row.mail_number, expected: row.order_number as string | null })),
    ...unknowns.map((mailNumber) => ({ mailNumber, expected: null as string | null })),
  ];
  for (let i = queries.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [queries[i], queries[j]] = [queries[j]!, queries[i]!];
  }

  for (const row of sample.slice(0, warmup)) {
    await lookUp(row.mail_number);
    await prisma.$queryRaw`SELECT 1`;
    if (deskSearch) await search(row.mail_number);
  }

  const lookupMs: number[] = [];
  const selectOneMs: number[] = [];
  const searchMs: number[] = [];
  let wrongAnswers = 0;
  let wrongSearches = 0;
  for (const query of queries) {
    let started = performance.now();
    const found = await lookUp(query.mailNumber);
    lookupMs.push(performance.now() - started);
    if ((found?.orderNumber ?? null) !== query.expected) wrongAnswers++;
    // Interleaved so both see the same moments of a noisy machine.
    started = performance.now();
    await prisma.$queryRaw`SELECT 1`;
    selectOneMs.push(performance.now() - started);
    if (deskSearch) {
      started = performance.now();
      const answer = await search(query.mailNumber);
      searchMs.push(performance.now() - started);
      if (answer !== query.expected) wrongSearches++;
    }
  }

  const probe = known[0]?.mail_number ?? sample[0]!.mail_number;
  const explained = await prisma.$queryRawUnsafe<Array<{ "QUERY PLAN": string }>>(`EXPLAIN (ANALYZE, BUFFERS) ${MAIL_NUMBER_LOOKUP_SQL}`, probe);
  const indexes = await prisma.$queryRaw<Array<{ name: string; size: string }>>`
    SELECT c.relname AS name, pg_size_pretty(pg_relation_size(c.oid)) AS size
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = 'registered_mail'::regclass ORDER BY c.relname`;
  return {
    lookups: queries.length,
    known: known.length,
    unknown: unknowns.length,
    wrongAnswers,
    lookup: summarize(lookupMs),
    selectOne: summarize(selectOneMs),
    deskSearch: deskSearch ? { ...summarize(searchMs), wrongAnswers: wrongSearches } : null,
    lookupsPerSecond: queries.length / (lookupMs.reduce((a, b) => a + b, 0) / 1000),
    plan: explained.map((row) => row["QUERY PLAN"]),
    indexes,
  };
}

const ms = (n: number) => `${n.toFixed(3)} ms`;
const count = (n: number) => n.toLocaleString("en-US");

/** The printed report: the seed, then one line per figure (tests look for the p50/p99 lines, never at values). */
export function formatSupportReport(seed: SeedResult | null, result: LookupBenchResult): string[] {
  const lines: string[] = [];
  if (seed) {
    lines.push(`seeded ${count(seed.orders)} orders for ${count(seed.holders)} holders in ${seed.seconds.toFixed(1)} s (${count(Math.round(seed.orders / seed.seconds))} orders/s with applications, payments and letters)`);
    lines.push(`statuses: ${Object.entries(seed.statusCounts).sort((a, b) => b[1] - a[1]).map(([s, n]) => `${s} ${count(n)}`).join(", ")}`);
    lines.push(`registered mail: ${count(seed.registeredMail)}`);
  }
  lines.push(`look-ups: ${count(result.lookups)} sequential findOrderByMailNumber (${count(result.known)} known, ${count(result.unknown)} unknown), ${result.wrongAnswers} wrong answers`);
  lines.push(`p50: ${ms(result.lookup.p50)}`);
  lines.push(`p95: ${ms(result.lookup.p95)}`);
  lines.push(`p99: ${ms(result.lookup.p99)}`);
  lines.push(`max: ${ms(result.lookup.max)}`);
  lines.push(`look-ups per second: ${result.lookupsPerSecond.toFixed(0)} (one connection, one after another)`);
  lines.push(`SELECT 1 round trip (interleaved): p50 ${ms(result.selectOne.p50)}, p99 ${ms(result.selectOne.p99)}`);
  lines.push(`ratio look-up p50 / SELECT 1 p50: ${(result.lookup.p50 / result.selectOne.p50).toFixed(2)}`);
  if (result.deskSearch) {
    const desk = result.deskSearch;
    lines.push(`desk search box (searchOrders, with the holder and its audit event; interleaved): p50 ${ms(desk.p50)}, p99 ${ms(desk.p99)}, max ${ms(desk.max)}, ${desk.wrongAnswers} wrong answers; ratio p50 / SELECT 1 p50: ${(desk.p50 / result.selectOne.p50).toFixed(2)}`);
  }
  lines.push("plan of the look-up:", ...result.plan.map((line) => `  ${line}`));
  lines.push(`registered_mail indexes: ${result.indexes.map((index) => `${index.name} ${index.size}`).join(", ")}`);
  return lines;
}

async function main() {
  const { values } = parseArgs({
    options: { orders: { type: "string" }, lookups: { type: "string" }, holders: { type: "string" }, keep: { type: "boolean" } },
  });
  const orders = Number(values.orders ?? 1_000_000);
  const lookups = Number(values.lookups ?? 2_000);
  if (!Number.isInteger(lookups) || lookups < 1) throw new RangeError("--lookups must be a whole number ≥ 1");
  await withBenchDatabase("bench_support", async (scratch) => {
    console.log(`seeding ${count(orders)} orders into ${scratch.name}…`);
    const seed = await seedSupportOrders({
      databaseUrl: scratch.url,
      orders,
      ...(values.holders ? { holders: Number(values.holders) } : {}),
      onProgress: (p) => console.log(`  ${p.phase}: ${count(p.done)} / ${count(p.total)} (${p.seconds.toFixed(1)} s)`),
    });
    const result = await benchMailNumberLookups({ lookups });
    for (const line of formatSupportReport(seed, result)) console.log(line);
  }, { keep: values.keep });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
