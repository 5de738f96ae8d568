// One production build per test run, shared by every end-to-end file: each used to run `remix vite:build` of its
// own (~10 s of CPU each). The first file to get here builds into the run's folder (test/global-setup.ts sets
// TEST_RUN_DIR); the others wait for its marker. The build holds no environment: the server reads env() at run
// time and the pages get their settings from loaders, so one build serves every file's environment.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const BUILD_TIMEOUT_MS = 180_000;

function runBuild(buildDirectory: string): void {
  const build = spawnSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    cwd: root, env: { ...process.env, NODE_ENV: "production", REMIX_BUILD_DIRECTORY: buildDirectory }, encoding: "utf8",
  });
  if (build.status !== 0) throw new Error(`remix vite:build failed:\n${build.stdout}\n${build.stderr}`);
}

/** The shared build's directory (removed with the run's folder), or a private one outside a vitest run. */
export async function productionBuild(): Promise<string> {
  const runDir = process.env.TEST_RUN_DIR;
  if (!runDir) {
    const own = mkdtempSync(path.join(tmpdir(), "moica-e2e-build-"));
    runBuild(own);
    return own;
  }
  const buildDirectory = path.join(runDir, "production-build");
  const done = path.join(runDir, "production-build.done");
  const failed = path.join(runDir, "production-build.failed");
  let builder = false;
  try {
    mkdirSync(`${buildDirectory}.lock`);
    builder = true;
  } catch {
    // Another file is building (or has built) it.
  }
  if (builder) {
    try {
      runBuild(buildDirectory);
      writeFileSync(done, "");
    } catch (error) {
      writeFileSync(failed, error instanceof Error ? error.message : String(error));
      throw error;
    }
    return buildDirectory;
  }
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  while (!existsSync(done)) {
    if (existsSync(failed)) throw new Error("the shared production build failed in another test file; see its error");
    if (Date.now() > deadline) throw new Error(`no shared production build after ${BUILD_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return buildDirectory;
}
