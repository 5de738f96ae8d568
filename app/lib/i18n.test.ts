import { describe, expect, it } from "vitest";
import { en } from "~/i18n/en";
import { zhTW } from "~/i18n/zh-TW";
import {
  formatCount,
  localeCookieHeader,
  resolveLocale,
  t,
  toLocale,
  withoutLocaleParam,
} from "~/lib/i18n";

function request(path: string, headers: Record<string, string> = {}) {
  return new Request(`http://localhost${path}`, { headers });
}

describe("resolveLocale", () => {
  it("defaults to zh-TW when the request says nothing", () => {
    expect(resolveLocale(request("/"))).toBe("zh-TW");
  });

  it("prefers ?lang= over the cookie", () => {
    expect(resolveLocale(request("/?lang=en", { Cookie: "lang=zh-TW" }))).toBe("en");
    expect(resolveLocale(request("/?lang=zh-TW", { Cookie: "lang=en" }))).toBe("zh-TW");
  });

  it("uses the cookie, whatever the browser's language", () => {
    expect(resolveLocale(request("/", { Cookie: "theme=dark; lang=en", "Accept-Language": "zh-TW" }))).toBe("en");
    expect(resolveLocale(request("/", { Cookie: "lang=zh-TW", "Accept-Language": "en-US,en" }))).toBe("zh-TW");
  });

  it("shows zh-TW to an English-language browser until the reader switches", () => {
    expect(resolveLocale(request("/", { "Accept-Language": "en-GB,en;q=0.9" }))).toBe("zh-TW");
    expect(resolveLocale(request("/", { "Accept-Language": "fr-FR,de;q=0.8" }))).toBe("zh-TW");
  });

  it("accepts ?lang= case-insensitively and as a regional tag", () => {
    expect(resolveLocale(request("/?lang=EN"))).toBe("en");
    expect(resolveLocale(request("/?lang=en-US"))).toBe("en");
    expect(resolveLocale(request("/?lang=zh-tw", { Cookie: "lang=en" }))).toBe("zh-TW");
  });

  it("skips an unknown or malformed ?lang= and uses the next source", () => {
    expect(resolveLocale(request("/?lang=fr", { Cookie: "lang=en" }))).toBe("en");
    expect(resolveLocale(request("/?lang=", { Cookie: "lang=en" }))).toBe("en");
    expect(resolveLocale(request("/?lang=%3Cscript%3E", { Cookie: "lang=en" }))).toBe("en");
    expect(resolveLocale(request("/?lang=en&lang=zh-TW"))).toBe("en");
  });

  it("skips malformed cookies", () => {
    const fallsThrough = (cookie: string) => resolveLocale(request("/", { Cookie: cookie }));
    expect(fallsThrough("lang=%E0%A4%A")).toBe("zh-TW"); // broken percent-encoding
    expect(fallsThrough("lang=fr")).toBe("zh-TW");
    expect(fallsThrough("lang=EN")).toBe("zh-TW"); // not a value we write
    expect(fallsThrough("lang=")).toBe("zh-TW");
    expect(fallsThrough("lang")).toBe("zh-TW");
    expect(fallsThrough(";;=;lang==en")).toBe("zh-TW");
    expect(fallsThrough("xlang=en; langx=en")).toBe("zh-TW");
  });

  it("reads quoted and percent-encoded cookie values we could have written", () => {
    expect(resolveLocale(request("/", { Cookie: 'lang="en"' }))).toBe("en");
    expect(resolveLocale(request("/", { Cookie: "lang=zh%2DTW; lang=en" }))).toBe("zh-TW");
    expect(resolveLocale(request("/", { Cookie: "lang=fr; lang=en" }))).toBe("en");
  });
});

describe("toLocale", () => {
  it("rejects non-language strings", () => {
    for (const value of ["", "english", "e", "zh_TW_", "../en", "en-", null, undefined]) {
      expect(toLocale(value)).toBeNull();
    }
  });
});

describe("localeCookieHeader", () => {
  it("sets a site-wide, one-year, SameSite=Lax cookie", () => {
    const header = localeCookieHeader("en");
    const [pair, ...attributes] = header.split("; ");
    expect(pair).toBe("lang=en");
    expect(attributes).toEqual(expect.arrayContaining(["Path=/", "Max-Age=31536000", "SameSite=Lax"]));
    expect(header).not.toMatch(/Secure|HttpOnly|Domain=/i);
  });

  it("adds Secure when asked", () => {
    expect(localeCookieHeader("zh-TW", { secure: true })).toBe("lang=zh-TW; Path=/; Max-Age=31536000; SameSite=Lax; Secure");
  });

  it("round-trips through resolveLocale", () => {
    for (const locale of ["zh-TW", "en"] as const) {
      const cookie = localeCookieHeader(locale).split(";")[0]!;
      expect(resolveLocale(request("/", { Cookie: cookie }))).toBe(locale);
    }
  });
});

describe("withoutLocaleParam", () => {
  it("drops ?lang= and keeps the rest", () => {
    expect(withoutLocaleParam("/status?lang=en&order=1#top")).toBe("/status?order=1#top");
    expect(withoutLocaleParam("/?lang=en")).toBe("/");
    expect(withoutLocaleParam("/a/b")).toBe("/a/b");
  });
});

describe("messages", () => {
  it("have the same keys in both languages", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhTW).sort());
  });

  it("have no empty text and the same placeholders in both languages", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(zhTW) as (keyof typeof zhTW)[]) {
      expect(zhTW[key].trim(), key).not.toBe("");
      expect(en[key].trim(), key).not.toBe("");
      expect(placeholders(en[key]), key).toEqual(placeholders(zhTW[key]));
    }
  });

  it("fill placeholders, leaving dollar signs alone", () => {
    expect(t("zh-TW", "unit.amount", { amount: 228 })).toBe("228 元");
    expect(t("en", "unit.amount", { amount: 228 })).toBe("NT$228");
    expect(t("en", "error.code", { status: "$&" })).toBe("Error $&");
  });

  it("count days and years in the right form", () => {
    expect(formatCount("en", "years", 1)).toBe("1 year");
    expect(formatCount("en", "years", 2)).toBe("2 years");
    expect(formatCount("en", "days", 60)).toBe("60 days");
    expect(formatCount("zh-TW", "days", 60)).toBe("60 天");
    expect(formatCount("zh-TW", "years", 1)).toBe("1 年");
  });
});
