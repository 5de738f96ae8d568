import { describe, expect, it } from "vitest";
import { AppError } from "./errors.server";
import { assertSameOrigin, errorResponse, readJsonBody } from "./http.server";

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://localhost/auth/card/verify", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readJsonBody", () => {
  it("parses JSON within the limit", async () => {
    expect(await readJsonBody(post(JSON.stringify({ a: 1 })))).toEqual({ a: 1 });
  });

  it("refuses an oversized body by its declared length and by what actually arrives", async () => {
    await expect(readJsonBody(post("{}", { "Content-Length": "999999" }), 1024)).rejects.toMatchObject({ code: "BODY_TOO_LARGE", status: 413 });
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("x".repeat(200)));
        controller.close();
      },
    });
    await expect(readJsonBody(post(stream), 1024)).rejects.toMatchObject({ code: "BODY_TOO_LARGE" });
  });

  it("refuses what is not JSON", async () => {
    await expect(readJsonBody(post("{nope"))).rejects.toMatchObject({ code: "BODY_NOT_JSON", status: 400 });
  });
});

describe("assertSameOrigin", () => {
  it("accepts our own origin or none, refuses another", () => {
    expect(() => assertSameOrigin(post("{}", { Origin: "http://localhost" }))).not.toThrow();
    expect(() => assertSameOrigin(post("{}"))).not.toThrow();
    expect(() => assertSameOrigin(post("{}", { Origin: "https://evil.example" }))).toThrow(AppError);
  });
});

describe("errorResponse", () => {
  it("answers an AppError with its status, code, bilingual message and Retry-After", async () => {
    const response = errorResponse(new AppError("TOO_MANY_ATTEMPTS", { "zh-TW": "稍後再試", en: "later" }, 429, { retryAfterSeconds: 30 }));
    expect(response.status).toBe(429);
    expect(response.headers.get("Retry-After")).toBe("30");
    expect(await response.json()).toEqual({ error: { code: "TOO_MANY_ATTEMPTS", message: { "zh-TW": "稍後再試", en: "later" } } });
  });

  it("hides anything else behind a generic 500", async () => {
    const response = errorResponse(new Error("connection string postgresql://u:secret@db"));
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain("secret");
  });
});
