// The one description of the process environment. Every entry point (web, workers, CLIs) calls env() first,
// so a missing or malformed variable stops start-up with every problem named. Documented in .env.example.
import { z } from "zod";

const secret = (what: string) =>
  z.string({ error: `required: ${what}` }).min(32, { error: `must be at least 32 characters (${what})` });

const envSchema = z
  .object({
    /**
     * Required, no default: a deploy that forgot it would run as development (trust the local test CA, drop Secure
     * cookies). `npm start`, `npm run dev` and the db:* / CLI scripts set development themselves; tests set test.
     */
    NODE_ENV: z.enum(["development", "production", "test"], { error: "required: development, production or test" }),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgresql:// URL" }),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" }),
    QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default("moica"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SESSION_SECRET: secret("signs session cookies"),
    NATIONAL_ID_HASH_KEY: secret("keys the national-ID look-up hash; never change it without re-hashing"),
    /**
     * Encrypts staff TOTP secrets at rest (AES-256-GCM). Required in production; elsewhere a key derived from
     * SESSION_SECRET is used. Changing it makes every enrolled authenticator unusable (staff enrol again).
     */
    STAFF_TOTP_KEY: secret("encrypts staff TOTP secrets").optional(),
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
    MAIL_FROM: z.string().min(3).default("自然人憑證線上續卡 <no-reply@moica.nat.gov.tw>"),
    STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, { error: "must start with sk_test_/sk_live_" }).optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_").optional(),
    /** 003 (2024 form): online reissue opens this many days before the card's final (8-year) end… */
    REISSUE_WINDOW_DAYS_BEFORE: z.coerce.number().int().min(0).max(365).default(60),
    /** …and closes this many months after it (12 = "1 year"; 0 = the older 002 rule, nothing after the end). */
    REISSUE_WINDOW_MONTHS_AFTER: z.coerce.number().int().min(0).max(36).default(12),
    /**
     * Certificates a card's certificate must chain to: PEM files, comma-separated — roots (GRCA) and the issuing
     * CAs (MOICA). Unset outside production: the local test CA (CARD_TEST_CA_DIR) is trusted instead.
     */
    CARD_TRUST_ANCHORS: z.string().min(1).optional(),
    CARD_INTERMEDIATES: z.string().min(1).optional(),
    /**
     * The issuing CA's OCSP responder (RFC 6960) and its CRL, the fallback: every login and every request that
     * changes something asks whether the card was revoked or suspended; when neither answers, nothing proceeds
     * (503). Plain http is usual and safe here: both answers are signed by the CA. Required in production; the
     * defaults are the local test CA's responder that `npm start` runs (LOCAL_OCSP_PORT, 4012).
     */
    CARD_OCSP_URL: z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:4012/ocsp"),
    CARD_CRL_URL: z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:4012/crl"),
    /** How long one status answer is reused at most, in seconds (also never past the answer's nextUpdate). */
    CARD_STATUS_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(60),
    /** Where the local test CA keeps its keys and certificates (created on first use, never committed). */
    CARD_TEST_CA_DIR: z.string().min(1).default(".ca"),
    /** The HiCOS local signing service the login page talks to (the card simulator in development). */
    HICOS_BASE_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:61161"),
    /** ATM transfer: the collecting bank's 3-digit code shown to the payer with each order's virtual account. */
    ATM_BANK_CODE: z.string().regex(/^\d{3}$/, { error: "must be a 3-digit bank code" }).default("822"),
    /** The 4-digit prefix the bank assigned to this service's virtual accounts (14 digits in all). */
    ATM_ACCOUNT_PREFIX: z.string().regex(/^\d{4}$/, { error: "must be 4 digits" }).default("9528"),
    /**
     * Bank lag: an ATM transfer counts when the bank dates it no later than the deadline plus this many minutes
     * (0 = transfers dated before the deadline count). Unpaid orders are deleted only after the same grace.
     * Keep it 0 unless the bank itself dates transfers late: the lag of its reports is the next setting's business.
     */
    ATM_PAYMENT_GRACE_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(0),
    /**
     * Reporting lag (decision 011): an unpaid order is erased only once the bank file for the day its ATM window
     * closed has been imported, or this many hours after that close at the latest (a bank that sends no file).
     */
    ATM_REPORTING_MAX_HOURS: z.coerce.number().int().min(0).max(14 * 24).default(72),
    /**
     * Reporting lag of a card checkout still open at the deadline: erasure waits for its outcome (expired, or the
     * completed payment's webhook) at most this many hours after the deadline. Stripe retries a webhook for 3 days.
     */
    CARD_OUTCOME_MAX_HOURS: z.coerce.number().int().min(0).max(14 * 24).default(72),
    /** Shared secret the bank signs its paid-transfer callbacks with (HMAC-SHA256). */
    BANK_CALLBACK_SECRET: secret("signs the bank's transfer callbacks").optional(),
    /**
     * The bank's public key (PEM, Ed25519) its daily files are signed with (docs/bank-interfaces.md): a file with a
     * valid detached signature pays orders at import; without one (or unset) a file waits for a second FINANCE
     * member's approval. `npm start` sets a demo key from .data/dev.
     */
    BANK_FILE_PUBLIC_KEY_FILE: z.string().min(1).optional(),
    /**
     * The card-printing vendor's API (docs/print-vendor-interface.md) and the secret both sides sign with
     * (HMAC-SHA256). `npm start` runs a demo vendor locally when unset; without one, paid orders wait in batches.
     */
    PRINT_VENDOR_URL: z.url({ protocol: /^https?$/ }).optional(),
    PRINT_VENDOR_SECRET: secret("signs requests to and replies from the card-printing vendor").optional(),
    /** At most this many cards per batch; more paid orders make more batches. */
    PRINT_BATCH_MAX_SIZE: z.coerce.number().int().min(1).max(5_000).default(200),
    /** How often paid orders are gathered into batches, in seconds (002: card making starts once paid). */
    PRINT_BATCH_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(300),
    /** How often a submitted batch is asked about, in seconds. */
    PRINT_POLL_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(120),
    /**
     * The CA that issues the new cards' certificates, PEM files (certificate, PKCS#8 key). Unset outside
     * production: the local test CA issues them.
     */
    CARD_ISSUING_CA_CERT_FILE: z.string().min(1).optional(),
    CARD_ISSUING_CA_KEY_FILE: z.string().min(1).optional(),
    /** Chunghwa Post's tracking adapter (docs/post-office-interface.md); a demo post office under `npm start`. */
    POST_TRACKING_URL: z.url({ protocol: /^https?$/ }).optional(),
    POST_TRACKING_API_KEY: z.string().min(8).optional(),
    /** How often a letter in the post is asked about, in seconds. */
    TRACKING_POLL_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(3600),
    /** The Taiwan working-day calendar (weekends, national holidays, make-up workdays); read again when it changes. */
    WORKING_DAY_CALENDAR_FILE: z.string().min(1).default("data/taiwan-working-days.json"),
    /** How stale a worker heartbeat may be before /healthz reports the workers down. */
    WORKER_HEARTBEAT_TTL_SECONDS: z.coerce.number().int().min(5).max(600).default(30),
  });

/** Optional while developing, required in production. Checked apart from the schema so that these are named
 * even when other variables are malformed too (zod skips refinements of an object that failed to parse). */
const REQUIRED_IN_PRODUCTION = [
  "PUBLIC_BASE_URL", "SMTP_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "CARD_TRUST_ANCHORS", "CARD_INTERMEDIATES",
  "BANK_CALLBACK_SECRET", "PRINT_VENDOR_URL", "PRINT_VENDOR_SECRET", "CARD_ISSUING_CA_CERT_FILE", "CARD_ISSUING_CA_KEY_FILE",
  "POST_TRACKING_URL", "POST_TRACKING_API_KEY", "STAFF_TOTP_KEY",
  "CARD_OCSP_URL", "CARD_CRL_URL",
] as const;

/** Partners reached over the internet: in production their URLs must be https (a citizen's data travels to them). */
const HTTPS_IN_PRODUCTION = ["PUBLIC_BASE_URL", "PRINT_VENDOR_URL", "POST_TRACKING_URL"] as const;

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  // Name each variable; never echo its value (it may be a secret).
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`);
  if (source.NODE_ENV === "production") {
    for (const key of REQUIRED_IN_PRODUCTION) {
      if (!source[key] && !problems.some((p) => p.startsWith(`${key}:`))) problems.push(`${key}: required in production`);
    }
    for (const key of HTTPS_IN_PRODUCTION) {
      const value = source[key];
      if (value && !value.startsWith("https://") && !problems.some((p) => p.startsWith(`${key}:`))) {
        problems.push(`${key}: must be an https:// URL in production`);
      }
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
