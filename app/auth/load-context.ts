// What a loader or action may be given besides app/lib/load-context.ts: the CA's status source for login and the
// re-checks before a change (issue 13). The server leaves it unset (the configured source); tests inject their own.
import type { CertificateStatusSource } from "./certificate-status.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    certificateStatus?: CertificateStatusSource;
  }
}

export {};
