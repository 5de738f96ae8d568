import { setupServer } from "msw/node";
import { stripeFallback } from "./stripe";

/** One msw server per test file that needs outside services; unhandled requests fail the test. */
export function createMswServer() {
  return setupServer(stripeFallback);
}
