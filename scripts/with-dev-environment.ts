// Runs one command inside the development environment (local PostgreSQL/Redis unless DATABASE_URL/REDIS_URL
// are set): `tsx scripts/with-dev-environment.ts <command> [args…]`. Used by the db:* npm scripts.
import { spawn } from "node:child_process";
import { LocalServiceError } from "./services/local-services";
import { startDevEnvironment } from "./services/dev-environment";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: tsx scripts/with-dev-environment.ts <command> [args…]");
  process.exit(2);
}
let environment;
try {
  // Beside a running `npm start`, use its servers (replacing them would take its database away).
  environment = await startDevEnvironment((line) => console.error(`[dev] ${line}`), { share: true });
} catch (error) {
  console.error(error instanceof LocalServiceError ? error.message : (error as Error).message);
  process.exit(1);
}
const child = spawn(command, args, { stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", async (code, signal) => {
  await environment.stop();
  process.exit(code ?? (signal ? 1 : 0));
});
