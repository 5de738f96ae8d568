import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env.server";

const valid = {
  DATABASE_URL: "postgresql://app:pw@db.internal:5432/moica",
  REDIS_URL: "redis://:pw@cache.internal:6379",
  SESSION_SECRET: "s".repeat(32),
  NATIONAL_ID_HASH_KEY: "k".repeat(32),
};

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("parseEnv", () => {
  it("accepts a complete development environment and applies defaults", () => {
    const env = parseEnv({ ...valid, NODE_ENV: "development" });
    expect(env).toMatchObject({ NODE_ENV: "development", PORT: 3000, HOST: "127.0.0.1", QUEUE_PREFIX: "moica" });
  });

  it("names every missing variable at once, NODE_ENV included (no silent development default)", () => {
    const problems = problemsOf({});
    for (const key of ["NODE_ENV", "DATABASE_URL", "REDIS_URL", "SESSION_SECRET", "NATIONAL_ID_HASH_KEY"]) {
      expect(problems.some((p) => p.startsWith(`${key}:`))).toBe(true);
    }
  });

  it("refuses to start without NODE_ENV rather than run as development", () => {
    expect(problemsOf(valid)).toEqual(["NODE_ENV: required: development, production or test"]);
    expect(problemsOf({ ...valid, NODE_ENV: "staging" }).map((p) => p.split(":")[0])).toEqual(["NODE_ENV"]);
  });

  it("rejects malformed values without echoing them", () => {
    const problems = problemsOf({ ...valid, NODE_ENV: "development", DATABASE_URL: "mysql://root:hunter2@x/y", PORT: "99999", SESSION_SECRET: "short-secret" });
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(["DATABASE_URL", "PORT", "SESSION_SECRET"]);
    expect(problems.join("\n")).not.toMatch(/hunter2|short-secret/);
  });

  it("requires payment, mail, the printing vendor, the issuing CA, the post, the TOTP key and the public URL in production only", () => {
    const problems = problemsOf({ ...valid, NODE_ENV: "production" });
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual([
      "BANK_CALLBACK_SECRET", "CARD_CRL_URL", "CARD_INTERMEDIATES", "CARD_ISSUING_CA_CERT_FILE", "CARD_ISSUING_CA_KEY_FILE",
      "CARD_OCSP_URL", "CARD_TRUST_ANCHORS",
      "POST_TRACKING_API_KEY", "POST_TRACKING_URL", "PRINT_VENDOR_SECRET", "PRINT_VENDOR_URL", "PUBLIC_BASE_URL", "SMTP_URL",
      "STAFF_TOTP_KEY", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET",
    ]);
    expect(() =>
      parseEnv({
        ...valid, NODE_ENV: "production", PUBLIC_BASE_URL: "https://reissue.moica.nat.gov.tw",
        SMTP_URL: "smtps://mail.internal:465", STRIPE_SECRET_KEY: "sk_live_x", STRIPE_WEBHOOK_SECRET: "whsec_x",
        CARD_TRUST_ANCHORS: "/etc/moica/grca.pem", CARD_INTERMEDIATES: "/etc/moica/moica.pem",
        BANK_CALLBACK_SECRET: "bank-callback-secret-0123456789abcdef",
        PRINT_VENDOR_URL: "https://cards.vendor.example", PRINT_VENDOR_SECRET: "print-vendor-secret-0123456789abcdef",
        CARD_ISSUING_CA_CERT_FILE: "/etc/moica/issuing.pem", CARD_ISSUING_CA_KEY_FILE: "/etc/moica/issuing-key.pem",
        POST_TRACKING_URL: "https://tracking.post.example", POST_TRACKING_API_KEY: "post-tracking-key",
        STAFF_TOTP_KEY: "staff-totp-key-0123456789abcdef0123456789",
        CARD_OCSP_URL: "http://ocsp.moica.example/", CARD_CRL_URL: "http://crl.moica.example/moica.crl",
      }),
    ).not.toThrow();
  });

  it("requires https for the partners and the public URL in production, not elsewhere", () => {
    const partners = {
      PUBLIC_BASE_URL: "http://reissue.moica.nat.gov.tw", PRINT_VENDOR_URL: "http://cards.vendor.example",
      POST_TRACKING_URL: "http://tracking.post.example",
    };
    const problems = problemsOf({ ...valid, NODE_ENV: "production", ...partners });
    for (const key of Object.keys(partners)) expect(problems).toContain(`${key}: must be an https:// URL in production`);
    expect(() => parseEnv({ ...valid, NODE_ENV: "development", ...partners })).not.toThrow();
  });

  it("asks the local test CA's responder outside production, and reuses a status answer 60 s at most (≤ 5 min)", () => {
    expect(parseEnv({ ...valid, NODE_ENV: "development" })).toMatchObject({
      CARD_OCSP_URL: "http://127.0.0.1:4012/ocsp", CARD_CRL_URL: "http://127.0.0.1:4012/crl", CARD_STATUS_CACHE_SECONDS: 60,
    });
    expect(problemsOf({ ...valid, NODE_ENV: "development", CARD_STATUS_CACHE_SECONDS: "301", CARD_OCSP_URL: "ldap://ocsp" }).map((p) => p.split(":")[0]).sort()).toEqual([
      "CARD_OCSP_URL", "CARD_STATUS_CACHE_SECONDS",
    ]);
  });
});
