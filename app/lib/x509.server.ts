// @peculiar/x509 resolves its ASN.1 parsers through tsyringe, which needs reflect-metadata loaded first.
// Import x509 from here, never directly, so that order always holds.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { webcrypto } from "node:crypto";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
