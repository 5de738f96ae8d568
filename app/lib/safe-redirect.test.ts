import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "~/lib/safe-redirect";

describe("safeRedirectPath", () => {
  it("keeps same-site paths with their query and fragment", () => {
    expect(safeRedirectPath("/")).toBe("/");
    expect(safeRedirectPath("/status")).toBe("/status");
    expect(safeRedirectPath("/status?order=1&x=%2F#top")).toBe("/status?order=1&x=%2F#top");
  });

  it.each([
    "//evil.com",
    "///evil.com",
    "https://evil.com",
    "http://evil.com/path",
    "HTTPS://evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "\\/evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r\n/evil.com",
    " //evil.com",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:a@evil.com",
    "evil.com",
    "status",
    "./status",
    "../status",
    "",
    "/".repeat(2049),
  ])("refuses %j", (target) => {
    expect(safeRedirectPath(target)).toBe("/");
  });

  it("refuses dot segments that collapse into a protocol-relative path", () => {
    expect(safeRedirectPath("/.//evil.com")).toBe("/");
    expect(safeRedirectPath("/../..//evil.com")).toBe("/");
    expect(safeRedirectPath("/%2e%2e//evil.com")).toBe("/");
  });

  it("keeps encoded slashes and backslashes as a harmless path", () => {
    expect(safeRedirectPath("/%2F%2Fevil.com")).toBe("/%2F%2Fevil.com");
    expect(safeRedirectPath("/%5Cevil.com")).toBe("/%5Cevil.com");
  });

  it("refuses anything that is not a string", () => {
    for (const value of [null, undefined, 42, ["/"], { toString: () => "/" }]) {
      expect(safeRedirectPath(value)).toBe("/");
    }
  });

  it("uses the given fallback", () => {
    expect(safeRedirectPath("//evil.com", "/home")).toBe("/home");
  });
});
