// A year of orders as the support desk meets them, straight in SQL for `npm run bench:support`: holders with
// their old cards, then orders whose status follows their age (today's are unpaid or paid, last week's are in
// the post, older ones delivered and mostly activated; a tenth never paid and are tombstones), each with its
// application, payment and registered letter where the status keeps one. Set-based INSERT … SELECT over
// generate_series in chunks; every key is built to be unique by construction (a bijection of the row number),
// so no statement ever retries. Keys are well-formed (order numbers pass their check digit, virtual accounts
// theirs, national IDs are valid and HMAC-hashed with this environment's key) so a kept database can be
// searched from the support desk by any of them.
import pg from "pg";
import type { ReissueOrderStatus } from "../../app/generated/prisma/client";
import { nationalIdHash } from "../../app/cards/national-id.server";
import { hashUserCode } from "../../app/activation/user-code.server";
import { nationalIdWithCheckDigit } from "../../test/factories/national-ids";

/** How old an order is (Taipei calendar days before today) decides what it has become; shares are per mille. */
export const STATUS_BY_AGE: ReadonlyArray<{ fromDay: number; toDay: number; mix: ReadonlyArray<readonly [ReissueOrderStatus, number]> }> = [
  { fromDay: 0, toDay: 0, mix: [["AWAITING_PAYMENT", 550], ["PAID", 450]] },
  { fromDay: 1, toDay: 1, mix: [["AWAITING_PAYMENT", 150], ["PAID", 100], ["IN_PRODUCTION", 750]] },
  { fromDay: 2, toDay: 2, mix: [["IN_PRODUCTION", 1000]] },
  // 002: unpaid after 2 days → deleted; only from day 3 is every such deadline surely past.
  { fromDay: 3, toDay: 4, mix: [["DELETED_UNPAID", 100], ["IN_PRODUCTION", 900]] },
  { fromDay: 5, toDay: 13, mix: [["DELETED_UNPAID", 100], ["MAILED", 600], ["DELIVERED", 200], ["ACTIVATED", 100]] },
  // Older letters still MAILED were returned or lost: what support is phoned about.
  { fromDay: 14, toDay: 364, mix: [["DELETED_UNPAID", 100], ["MAILED", 5], ["DELIVERED", 75], ["ACTIVATED", 820]] },
];
export const DAYS = 365;
export const MAILED_STATUSES: ReissueOrderStatus[] = ["MAILED", "DELIVERED", "ACTIVATED"];
export const PAID_STATUSES: ReissueOrderStatus[] = ["PAID", "IN_PRODUCTION", ...MAILED_STATUSES];
/** Every registered-mail number starts so (Chunghwa Post numbers are opaque digits; 20 is the common length). */
export const MAIL_NUMBER_PREFIX = "14";
const MAX_ORDERS = 10_000_000; // g × MAIL_MULTIPLIER stays inside bigint; a day's order numbers inside 5 digits
const MAIL_MULTIPLIER = 738_219_471_103n; // odd, not a multiple of 5: a bijection modulo 10^18
const HOLDER_EPOCH_MS = Date.UTC(2018, 0, 1);

// Row g (0-based): its age in days, its place among that day's orders, and a well-spread bucket 0–999.
const ageOf = (g: number) => g % DAYS;
const bucketOf = (g: number) => (Math.floor(g / DAYS) * 389 + (g % DAYS) * 601) % 1000;
const AGE_SQL = `g % ${DAYS}`;
const BUCKET_SQL = `((g / ${DAYS}) * 389 + (g % ${DAYS}) * 601) % 1000`;

function statusOf(age: number, bucket: number): ReissueOrderStatus {
  const band = STATUS_BY_AGE.find((b) => age >= b.fromDay && age <= b.toDay)!;
  let upTo = 0;
  for (const [status, share] of band.mix) if (bucket < (upTo += share)) return status;
  throw new Error(`the mix for day ${age} does not add up to 1000`);
}

/** The same rule as a SQL CASE over (d, h), generated from the table so the two cannot drift apart. */
function statusCaseSql(): string {
  const arms = STATUS_BY_AGE.map((band) => {
    let upTo = 0;
    const inner = band.mix.map(([status, share]) => `WHEN h < ${(upTo += share)} THEN '${status}'`).join(" ");
    return `WHEN d BETWEEN ${band.fromDay} AND ${band.toDay} THEN CASE ${inner} END`;
  });
  return `(CASE ${arms.join(" ")} END)::"ReissueOrderStatus"`;
}

/** What seedSupportOrders makes of `orders` rows, counted in TypeScript from the same table. */
export function plannedStatusCounts(orders: number): Record<ReissueOrderStatus, number> {
  const counts: Record<ReissueOrderStatus, number> = {
    AWAITING_PAYMENT: 0, PAID: 0, IN_PRODUCTION: 0, MAILED: 0, DELIVERED: 0, ACTIVATED: 0, DELETED_UNPAID: 0,
  };
  for (let g = 0; g < orders; g++) counts[statusOf(ageOf(g), bucketOf(g))]++;
  return counts;
}

/** Holder i's national ID: unique for i < 520 million (letter, sex digit, 7 digits from i, check digit). */
export function benchNationalId(i: number): string {
  const letters = "ABCDEFGHJKLMNPQRSTUVXYWZIO";
  return nationalIdWithCheckDigit(`${letters[i % 26]}${1 + (Math.floor(i / 26) % 2)}${String(Math.floor(i / 52)).padStart(7, "0")}`);
}

/** Row g's registered-mail number (whether or not its status has a letter). */
export function benchMailNumber(g: number): string {
  return MAIL_NUMBER_PREFIX + ((BigInt(g) * MAIL_MULTIPLIER + 48_213n) % 10n ** 18n).toString().padStart(18, "0");
}

// Session-local helpers (pg_temp): nothing is left in the schema, so a kept database has no drift.
const HELPERS = `
CREATE FUNCTION pg_temp.bench_uuid(ms bigint, variant text, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT (lpad(to_hex(ms), 12, '0') || '7' || lpad(to_hex(n % 4096), 3, '0') || variant || lpad(to_hex(n), 15, '0'))::uuid $$;
CREATE FUNCTION pg_temp.luhn(body text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE s int := 0; d int;
BEGIN
  FOR i IN 0 .. length(body) - 1 LOOP
    d := substr(body, length(body) - i, 1)::int;
    IF i % 2 = 0 THEN d := d * 2; IF d > 9 THEN d := d - 9; END IF; END IF;
    s := s + d;
  END LOOP;
  RETURN ((10 - s % 10) % 10)::text;
END $$;
CREATE FUNCTION pg_temp.va_check(body text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE s int := 0;
BEGIN
  FOR i IN 1 .. length(body) LOOP
    s := s + substr(body, i, 1)::int * (ARRAY[3, 7, 1])[(i - 1) % 3 + 1];
  END LOOP;
  RETURN ((10 - s % 10) % 10)::text;
END $$;
CREATE FUNCTION pg_temp.roc_date(at timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT (extract(year FROM at AT TIME ZONE 'Asia/Taipei')::int - 1911)::text || to_char(at AT TIME ZONE 'Asia/Taipei', 'MMDD') $$;`;

const HOLDERS_SQL = `
WITH src AS (
  SELECT i, hash, last4, pg_temp.bench_uuid($3::bigint + i * 97, '8', i) AS holder_id,
         pg_temp.bench_uuid($3::bigint + i * 97, '9', i) AS card_id, to_timestamp(($3::bigint + i * 97) / 1000.0) AS created_at
    FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(hash, last4, n), LATERAL (SELECT $4::bigint + n - 1 AS i) x
), h AS (
  INSERT INTO holder (id, national_id_hash, national_id_last4, name, created_at, updated_at)
  SELECT holder_id, hash, last4,
         (ARRAY['王','林','陳','張','李','黃','吳','劉'])[1 + i % 8] || (ARRAY['小明','美玲','志強','淑芬','俊傑','怡君','家豪','雅婷','冠宇'])[1 + (i / 8) % 9],
         created_at, created_at
    FROM src)
INSERT INTO card (id, card_number, holder_id, created_at)
SELECT card_id, 'TP' || lpad(((i * 7919 + 31) % 100000000000000)::text, 14, '0'), holder_id, created_at FROM src`;

// $1 first row, $2 row after the last, $3 now, $4 holder count, $5 user-code hash, $6 holders' epoch (ms).
const ORDERS_SQL = () => `
WITH base AS (
  SELECT g, ${AGE_SQL} AS d, g / ${DAYS} AS k, ${BUCKET_SQL} AS h FROM generate_series($1::bigint, $2::bigint - 1) AS g
), dated AS (
  SELECT b.*, ${statusCaseSql()} AS status, (h % 37 = 5) AS outlying, g % $4::bigint AS holder,
         day_start + random() * (least(day_start + interval '1 day', $3::timestamptz) - day_start) AS created_at
    FROM base b, LATERAL (SELECT (date_trunc('day', $3::timestamptz AT TIME ZONE 'Asia/Taipei') - d * interval '1 day') AT TIME ZONE 'Asia/Taipei' AS day_start) s
), timed AS (
  SELECT t.*, created_at + least(interval '1 hour', ($3::timestamptz - created_at) / 2) AS paid_at,
         created_at + least(interval '3 days', ($3::timestamptz - created_at) / 2) AS dispatched_at,
         pg_temp.roc_date(created_at) || lpad(((k * 7919 + d * 13) % 100000)::text, 5, '0') AS number_body,
         '9528' || lpad(((g * 7919 + 13) % 1000000000)::text, 9, '0') AS account_body
    FROM dated t
), src AS MATERIALIZED (
  SELECT t.*, pg_temp.bench_uuid((extract(epoch FROM created_at) * 1000)::bigint, 'a', g) AS id,
         dispatched_at + least(interval '4 days', ($3::timestamptz - dispatched_at) / 2) AS delivered_at,
         status IN ('DELIVERED', 'MAILED') AND h % 20 = 3 AS locked
    FROM timed t
), o AS (
  INSERT INTO reissue_order (id, order_number, holder_id, applied_with_card_id, status, card_fee_ntd, postage_fee_ntd,
                             amount_ntd, payment_deadline, atm_bank_code, virtual_account, paid_at, activation_failures,
                             activation_locked_at, activated_at, deleted_at, created_at, updated_at)
  SELECT id, number_body || pg_temp.luhn(number_body),
         pg_temp.bench_uuid($6::bigint + holder * 97, '8', holder), pg_temp.bench_uuid($6::bigint + holder * 97, '9', holder),
         status, 200, 28, 228, created_at + interval '48 hours', '822', account_body || pg_temp.va_check(account_body),
         CASE WHEN status::text IN (${PAID_STATUSES.map((s) => `'${s}'`).join(", ")}) THEN paid_at END,
         -- 002 開卡: 4 wrong codes lock; a right code gives its try back, so an activated card shows at most 3.
         CASE WHEN locked THEN 4 WHEN status = 'ACTIVATED' AND h % 10 = 0 THEN (h / 10) % 4 ELSE 0 END,
         CASE WHEN locked THEN delivered_at + ($3::timestamptz - delivered_at) / 2 END,
         CASE WHEN status = 'ACTIVATED' THEN delivered_at + least(interval '2 days', ($3::timestamptz - delivered_at) / 2) END,
         CASE WHEN status = 'DELETED_UNPAID' THEN created_at + interval '48 hours 1 minute' END,
         created_at, $3::timestamptz
    FROM src
), a AS (
  INSERT INTO reissue_application (order_id, mobile, email, postcode, address, outlying_island, user_code_hash,
                                   terms_accepted_at, created_at)
  SELECT id, '09' || lpad(((g * 7717 + 11) % 100000000)::text, 8, '0'), 'holder' || holder || '@example.tw',
         CASE WHEN outlying THEN '880' ELSE (ARRAY['100', '220', '300', '407', '700', '807'])[1 + h % 6] END,
         CASE WHEN outlying THEN '澎湖縣馬公市治平路 ' ELSE (ARRAY['臺北市中正區重慶南路一段 ', '新北市板橋區中山路一段 ',
              '新竹市東區中央路 ', '臺中市西屯區臺灣大道三段 ', '臺南市中西區民生路二段 ', '高雄市三民區建國二路 '])[1 + h % 6] END
           || (1 + g % 300) || ' 號',
         outlying, $5, created_at, created_at
    FROM src WHERE status <> 'DELETED_UNPAID'
), p AS (
  INSERT INTO payment (id, order_id, method, amount_ntd, status, provider, provider_reference, paid_at, outcome,
                       provider_payment_id, created_at, updated_at)
  SELECT pg_temp.bench_uuid((extract(epoch FROM paid_at) * 1000)::bigint, 'b', g), id,
         CASE WHEN h % 10 < 7 THEN 'CARD' ELSE 'ATM' END::"PaymentMethod", 228, 'SUCCEEDED',
         CASE WHEN h % 10 < 7 THEN 'stripe' ELSE 'bank:822' END,
         CASE WHEN h % 10 < 7 THEN 'cs_bench_' ELSE 'atm_bench_' END || replace(id::text, '-', ''),
         paid_at, 'APPLIED', CASE WHEN h % 10 < 7 THEN 'pi_bench_' || replace(id::text, '-', '') END,
         created_at + (paid_at - created_at) / 2, paid_at
    FROM src WHERE status::text IN (${PAID_STATUSES.map((s) => `'${s}'`).join(", ")})
)
INSERT INTO registered_mail (id, order_id, mail_number, dispatched_at, estimated_from, estimated_to, status, status_at,
                             next_poll_at, last_polled_at, created_at, updated_at)
SELECT pg_temp.bench_uuid((extract(epoch FROM dispatched_at) * 1000)::bigint, 'b', g), id,
       '${MAIL_NUMBER_PREFIX}' || lpad(((g * ${MAIL_MULTIPLIER} + 48213) % 1000000000000000000)::text, 18, '0'),
       dispatched_at,
       -- 002: ~7 working days, 2–3 more to outlying islands (stored as an estimate, not recomputed here).
       (dispatched_at AT TIME ZONE 'Asia/Taipei')::date + CASE WHEN outlying THEN 11 ELSE 9 END,
       (dispatched_at AT TIME ZONE 'Asia/Taipei')::date + CASE WHEN outlying THEN 13 ELSE 10 END,
       tracking, tracking_at,
       CASE WHEN tracking IN ('DELIVERED', 'RETURNED') THEN tracking_at ELSE $3::timestamptz + (h % 360) * interval '1 minute' END,
       greatest(tracking_at, $3::timestamptz - interval '6 hours'), dispatched_at, $3::timestamptz
  FROM src, LATERAL (SELECT CASE WHEN status <> 'MAILED' THEN 'DELIVERED' WHEN d >= 14 AND h % 2 = 0 THEN 'RETURNED'
                                 WHEN h % 3 = 0 THEN 'ACCEPTED' ELSE 'IN_TRANSIT' END::"TrackingStatus" AS tracking) t,
       LATERAL (SELECT CASE tracking WHEN 'ACCEPTED' THEN dispatched_at WHEN 'DELIVERED' THEN delivered_at
                       ELSE dispatched_at + least(interval '1 day', ($3::timestamptz - dispatched_at) / 2) END AS tracking_at) ta
 WHERE status::text IN (${MAILED_STATUSES.map((s) => `'${s}'`).join(", ")})`;

export interface SeedProgress {
  phase: "holders" | "orders" | "analyze";
  done: number;
  total: number;
  seconds: number;
}

export interface SeedResult {
  orders: number;
  holders: number;
  seconds: number;
  statusCounts: Record<string, number>;
  registeredMail: number;
}

/**
 * Seeds `orders` orders (default holders: one per four orders, each with an old card) into the migrated, empty
 * database at `databaseUrl`, then ANALYZE. `now` anchors the year; chunks are `chunk` rows per statement.
 */
export async function seedSupportOrders({ databaseUrl, orders, holders = Math.ceil(orders / 4), now = new Date(), chunk = 100_000, onProgress }: {
  databaseUrl: string;
  orders: number;
  holders?: number;
  now?: Date;
  chunk?: number;
  onProgress?: (progress: SeedProgress) => void;
}): Promise<SeedResult> {
  if (!Number.isInteger(orders) || orders < 1 || orders > MAX_ORDERS) throw new RangeError(`orders must be 1…${MAX_ORDERS}`);
  if (!Number.isInteger(holders) || holders < 1 || holders > orders) throw new RangeError("holders must be 1…orders");
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Ten or so commits, each of a whole chunk: waiting for the WAL flush buys nothing in a throwaway database.
    await client.query("SET synchronous_commit = off");
    await client.query(HELPERS);
    const userCodeHash = await hashUserCode("Bench#2026");

    for (let lo = 0; lo < holders; lo += chunk) {
      const hi = Math.min(holders, lo + chunk);
      const ids = Array.from({ length: hi - lo }, (_, n) => benchNationalId(lo + n));
      await client.query(HOLDERS_SQL, [ids.map((id) => nationalIdHash(id)), ids.map((id) => id.slice(-4)), HOLDER_EPOCH_MS, lo]);
      onProgress?.({ phase: "holders", done: hi, total: holders, seconds: seconds() });
    }
    const sql = ORDERS_SQL();
    for (let lo = 0; lo < orders; lo += chunk) {
      const hi = Math.min(orders, lo + chunk);
      await client.query(sql, [lo, hi, now.toISOString(), holders, userCodeHash, HOLDER_EPOCH_MS]);
      onProgress?.({ phase: "orders", done: hi, total: orders, seconds: seconds() });
    }
    await client.query("ANALYZE");
    onProgress?.({ phase: "analyze", done: orders, total: orders, seconds: seconds() });

    const { rows } = await client.query<{ status: string; n: string }>("SELECT status::text, count(*) AS n FROM reissue_order GROUP BY status");
    const { rows: mail } = await client.query<{ n: string }>("SELECT count(*) AS n FROM registered_mail");
    return {
      orders, holders, seconds: seconds(),
      statusCounts: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])),
      registeredMail: Number(mail[0]!.n),
    };
  } finally {
    await client.end();
  }
}
