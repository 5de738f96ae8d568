// The test CA's own status store: what `npm run ca -- revoke|suspend|resume` changes and the local OCSP responder
// reads. Files in a scratch folder; no database involved (the service's rows are not the CA's).
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  changeCardStatus, listRevokedCertificates, readCertificateStatus, recordIssuedCertificate, StatusChangeRefused,
} from "./test-ca-status.server";

const scratch = await mkdtemp(path.join(os.tmpdir(), "ca-status-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

let n = 0;
async function card(store: string) {
  n++;
  const cardNumber = `TP${String(n).padStart(14, "0")}`;
  const serials = [`4a${n}0`, `4b${n}1`];
  await recordIssuedCertificate(store, { serial: serials[0]!, usage: "SIGNING", cardNumber });
  await recordIssuedCertificate(store, { serial: serials[1]!, usage: "ENCRYPTION", cardNumber });
  return { cardNumber, serials };
}

describe("the test CA's status store", () => {
  it("records issued certificates as good, and changes both certificates of a card", async () => {
    const store = path.join(scratch, "a");
    const { cardNumber, serials } = await card(store);
    expect(await readCertificateStatus(store, serials[0]!)).toMatchObject({ status: "good", usage: "SIGNING" });
    const changes = await changeCardStatus(store, { cardNumber, action: "revoke", reason: "keyCompromise" });
    expect(changes).toEqual([
      { serial: serials[0], usage: "SIGNING", from: "good", to: "revoked" },
      { serial: serials[1], usage: "ENCRYPTION", from: "good", to: "revoked" },
    ]);
    expect(await readCertificateStatus(store, serials[1]!)).toMatchObject({ status: "revoked", reason: "keyCompromise", revokedAt: expect.any(String) });
    expect((await listRevokedCertificates(store)).map((e) => e.serial).sort()).toEqual([...serials].sort());
  });

  it("revoked is final; resume only from suspended; a reason only for revoke; unknown cards refused", async () => {
    const store = path.join(scratch, "b");
    const { cardNumber } = await card(store);
    await expect(changeCardStatus(store, { cardNumber, action: "resume" })).rejects.toThrow(StatusChangeRefused);
    await expect(changeCardStatus(store, { cardNumber, action: "suspend", reason: "keyCompromise" })).rejects.toThrow(StatusChangeRefused);
    await changeCardStatus(store, { cardNumber, action: "suspend" });
    await expect(changeCardStatus(store, { cardNumber, action: "suspend" })).rejects.toThrow(/already suspended/);
    await changeCardStatus(store, { cardNumber, action: "revoke" });
    for (const action of ["resume", "suspend", "revoke"] as const) {
      await expect(changeCardStatus(store, { cardNumber, action })).rejects.toThrow(/revocation is final/);
    }
    await expect(changeCardStatus(store, { cardNumber: "TP99999999999999", action: "revoke" })).rejects.toThrow(/not issued by the test CA/);
  });

  it("a resume racing a revoke cannot undo it (one change at a time per card), and no temporary file is left", async () => {
    const store = path.join(scratch, "c");
    for (let i = 0; i < 5; i++) {
      const { cardNumber, serials } = await card(store);
      await changeCardStatus(store, { cardNumber, action: "suspend" });
      await Promise.allSettled([
        changeCardStatus(store, { cardNumber, action: "resume" }),
        changeCardStatus(store, { cardNumber, action: "revoke" }),
      ]);
      const statuses = await Promise.all(serials.map(async (s) => (await readCertificateStatus(store, s))!.status));
      expect(statuses).toEqual(["revoked", "revoked"]);
    }
    expect((await readdir(path.join(store, "status"))).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(await readdir(path.join(store, "locks"))).toEqual([]);
  });
});
