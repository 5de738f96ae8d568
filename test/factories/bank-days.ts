// Decision 011: an unpaid order is erased only once the bank's daily file for the day its payment window closed
// has been imported. Tests that want deletion on time record such an import (a file without our transfers).
import { prisma } from "../../app/lib/db.server";
import { deletionDueAt, taipeiDay } from "../../app/orders/payment-window.server";

const HOUR = 3_600_000;

/**
 * Records the import of the bank file for the Taipei day the payment window of `deadline` closes on: its latest transfer at the
 * end of that day, imported at 08:00 the next morning (Taipei) as a daily statement is.
 */
export async function importBankFileForDayOf(deadline: Date, { fileName = "daily.csv" }: { fileName?: string } = {}) {
  const day = taipeiDay(deletionDueAt(deadline));
  const endOfDay = new Date(Date.parse(`${day}T23:59:59+08:00`));
  return prisma.bankImport.create({
    data: {
      fileName, fileSha256: "0".repeat(64), lineCount: 1, newTransfers: 0, duplicates: 1, exceptions: 0,
      importedBy: "test", importedAt: new Date(endOfDay.getTime() + 8 * HOUR + 1000), latestPaidAt: endOfDay,
      appliedAt: new Date(endOfDay.getTime() + 8 * HOUR + 1000), signatureVerified: true,
    },
  });
}
