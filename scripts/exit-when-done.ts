// How a CLI that uses the database ends: its exit code once the connections are closed, or exit 2 with one
// line on stderr (the message, no stack trace) when it failed unexpectedly.
import { disconnectAll } from "../app/lib/shutdown.server";

export function exitWhenDone(main: () => Promise<number>): void {
  main()
    .then(async (code) => {
      await disconnectAll();
      process.exit(code);
    })
    .catch(async (error: Error) => {
      console.error(error.message);
      await disconnectAll().catch(() => {});
      process.exit(2);
    });
}
