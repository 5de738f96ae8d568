const BASE = "http://same-site.invalid";
const MAX_LENGTH = 2048;
// Browsers read "\" as "/" and silently drop tabs and newlines, so "/\evil.com" and "/\t/evil.com" mean "//evil.com".
const UNSAFE_CHARACTERS = /[\\\u0000-\u001f\u007f]/;

/**
 * A path on this site to redirect to, or `fallback`. Only root-relative paths pass: absolute URLs,
 * protocol-relative ones (`//evil.com`) and anything a browser could read as one are refused (open-redirect safe).
 */
export function safeRedirectPath(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > MAX_LENGTH) return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || UNSAFE_CHARACTERS.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = url.pathname + url.search + url.hash;
  // Dot segments can collapse into a protocol-relative path: "/.//evil.com" resolves to "//evil.com".
  return path.startsWith("//") ? fallback : path;
}
