// What the web server (server/app.ts) gives every loader and action besides the request.
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as the trusted proxy reports it; used for rate limits, never logged. */
    clientIp: string;
    /** This response's Content-Security-Policy nonce (every inline script must carry it); absent when a test calls a loader. */
    cspNonce?: string;
  }
}

export {};
