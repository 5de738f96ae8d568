import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  test: {
    include: ["{app,workers,scripts,test}/**/*.test.{ts,tsx}"],
    exclude: ["node_modules", "build", ".data"],
    globalSetup: ["./test/global-setup.ts"],
    setupFiles: ["./test/setup-file.ts"],
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Each file gets its own database (see test/setup-file.ts), so files can run side by side.
    fileParallelism: true,
  },
});
