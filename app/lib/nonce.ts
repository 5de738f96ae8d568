// The Content-Security-Policy nonce of the page being rendered (server/edge.ts makes one per request). On the
// server the document's inline scripts carry it; in the browser it is empty (browsers hide nonces from the DOM).
import { createContext, useContext } from "react";

export const NonceContext = createContext("");

export const useNonce = () => useContext(NonceContext);
