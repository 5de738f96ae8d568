import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  VendorSignatureError,
  signVendorReply,
  signVendorRequest,
  verifyVendorReply,
  verifyVendorRequest,
  type VendorSignatureProblem,
} from "./vendor-signature.server";

const secret = "vendor-test-secret-0123456789abcdef";
const t = 1_763_880_000; // 2025-11-23T06:40:00Z
const at = (seconds: number) => new Date(seconds * 1000);
const request = { method: "PUT", path: "/v1/batches/P1151123-0001", body: '{"batchNumber":"P1151123-0001","cards":[]}' };
const reply = { status: 200, method: "PUT", path: "/v1/batches/P1151123-0001", body: '{"batchNumber":"P1151123-0001"}' };

function problem(run: () => void): VendorSignatureProblem | "none" {
  try {
    run();
    return "none";
  } catch (error) {
    if (error instanceof VendorSignatureError) return error.problem;
    throw error;
  }
}

describe("vendor request signatures", () => {
  it("is HMAC-SHA256 over '<t>.<METHOD> <path>.<body>', the worked example of docs/print-vendor-interface.md", () => {
    const header = signVendorRequest({ secret: "demo-vendor-secret", timestampSeconds: 1763880000, method: "GET", path: "/v1/batches/P1151123-0001", body: "" });
    expect(header).toBe("t=1763880000,v1=953a30f5c57a3cd41f2250bca5bc51cebac6d6b7d58480eb9d132ea9ba7f36c8");
    const expected = createHmac("sha256", "demo-vendor-secret").update("1763880000.GET /v1/batches/P1151123-0001.").digest("hex");
    expect(header).toBe(`t=1763880000,v1=${expected}`);
  });

  it("signs a reply the same way over '<t>.<status> <METHOD> <path>.<reply body>' (the document's reply example)", () => {
    const body = '{"batchNumber":"P1151123-0001","receivedAt":"2025-11-23T06:35:00.000Z","cards":[{"state":"queued","orderNumber":"1151123482153"}]}';
    const header = signVendorReply({ secret: "demo-vendor-secret", timestampSeconds: 1763880001, status: 200, method: "GET", path: "/v1/batches/P1151123-0001", body });
    expect(header).toBe("t=1763880001,v1=e5cc5d86d9e6c8ca4b7cc510f02930905f626ef3885771ee69b1e928fcff92ff");
  });

  it("accepts its own signature within 5 minutes either way, and a lower-case method", () => {
    const header = signVendorRequest({ secret, timestampSeconds: t, ...request });
    expect(problem(() => verifyVendorRequest({ secret, header, ...request, now: at(t) }))).toBe("none");
    expect(problem(() => verifyVendorRequest({ secret, header, ...request, now: at(t + 300) }))).toBe("none");
    expect(problem(() => verifyVendorRequest({ secret, header, ...request, now: at(t - 300) }))).toBe("none");
    expect(problem(() => verifyVendorRequest({ secret, header, ...request, method: "put", now: at(t) }))).toBe("none");
  });

  it("refuses a tampered body, path, method, a wrong secret, a stale or future timestamp, and a missing or garbled header", () => {
    const header = signVendorRequest({ secret, timestampSeconds: t, ...request });
    const check = (changes: Partial<typeof request> & { secret?: string; header?: string | null; now?: Date }) =>
      problem(() => verifyVendorRequest({ secret, header, ...request, now: at(t), ...changes }));
    expect(check({ body: request.body.replace("0001", "0002") })).toBe("mismatch");
    expect(check({ body: request.body + " " })).toBe("mismatch");
    expect(check({ path: "/v1/batches/P1151123-0002" })).toBe("mismatch");
    expect(check({ path: `${request.path}?x=1` })).toBe("mismatch");
    expect(check({ method: "GET" })).toBe("mismatch");
    expect(check({ secret: "another-secret-0123456789abcdef" })).toBe("mismatch");
    expect(check({ now: at(t + 301) })).toBe("stale");
    expect(check({ now: at(t - 301) })).toBe("stale");
    expect(check({ header: null })).toBe("missing");
    expect(check({ header: "" })).toBe("missing");
    expect(check({ header: "v1=abc" })).toBe("malformed");
    expect(check({ header: `t=${t}` })).toBe("malformed");
    expect(check({ header: header.replace(`t=${t}`, `t=${t + 1}`) })).toBe("mismatch");
  });

  it("lets keys rotate: several v1 values, or several secrets on the verifying side", () => {
    const old = "old-vendor-secret-0123456789abcdef";
    const both = signVendorRequest({ secret: [old, secret], timestampSeconds: t, ...request });
    expect(both.split(",").filter((part) => part.startsWith("v1="))).toHaveLength(2);
    expect(problem(() => verifyVendorRequest({ secret, header: both, ...request, now: at(t) }))).toBe("none");
    expect(problem(() => verifyVendorRequest({ secret: old, header: both, ...request, now: at(t) }))).toBe("none");
    const onlyOld = signVendorRequest({ secret: old, timestampSeconds: t, ...request });
    expect(problem(() => verifyVendorRequest({ secret: [secret, old], header: onlyOld, ...request, now: at(t) }))).toBe("none");
    expect(problem(() => verifyVendorRequest({ secret, header: onlyOld, ...request, now: at(t) }))).toBe("mismatch");
  });
});

describe("vendor reply signatures", () => {
  it("bind the reply to its status and to the request it answers", () => {
    const header = signVendorReply({ secret, timestampSeconds: t, ...reply });
    const check = (changes: Partial<typeof reply>) => problem(() => verifyVendorReply({ secret, header, ...reply, now: at(t), ...changes }));
    expect(check({})).toBe("none");
    expect(check({ status: 201 })).toBe("mismatch");
    expect(check({ method: "GET" })).toBe("mismatch");
    expect(check({ path: "/v1/batches/P1151123-0002" })).toBe("mismatch");
    expect(check({ body: reply.body.replace("0001", "0002") })).toBe("mismatch");
    expect(problem(() => verifyVendorReply({ secret, header, ...reply, now: at(t + 301) }))).toBe("stale");
  });

  it("is not interchangeable with a request signature over the same parts", () => {
    const asRequest = signVendorRequest({ secret, timestampSeconds: t, method: reply.method, path: reply.path, body: reply.body });
    expect(problem(() => verifyVendorReply({ secret, header: asRequest, ...reply, now: at(t) }))).toBe("mismatch");
    const asReply = signVendorReply({ secret, timestampSeconds: t, status: 200, ...request });
    expect(problem(() => verifyVendorRequest({ secret, header: asReply, ...request, now: at(t) }))).toBe("mismatch");
  });
});
