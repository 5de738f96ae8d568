// Runs one of the repo's CLI scripts as a child process against the calling test file's database and Redis —
// through with-dev-environment, as `npm run` does, when `viaNpmScript`.
import { execFile } from "node:child_process";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "../..");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(
  script: string,
  args: string[],
  { env = {}, viaNpmScript = false, scratch, drop = [], input }: {
    env?: Record<string, string>;
    viaNpmScript?: boolean;
    /** A scratch folder of the test's: with-dev-environment keeps dev secrets under it, not in the developer's .data/dev. */
    scratch: string;
    /** Variables of this process the child must not inherit (e.g. an operator name the test sets itself). */
    drop?: string[];
    /** Written to the child's stdin, which is then closed (without it stdin stays open: a reader would wait). */
    input?: string;
  },
): Promise<CliRun> {
  const inherited = { ...process.env };
  for (const key of ["INIT_CWD", ...drop]) delete inherited[key];
  const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
  const target = path.join(repoRoot, script);
  const command = viaNpmScript ? [path.join(repoRoot, "scripts/with-dev-environment.ts"), "tsx", target, ...args] : [target, ...args];
  return new Promise((resolve) => {
    const child = execFile(
      tsx,
      command,
      {
        cwd: repoRoot,
        env: {
          ...inherited,
          PATH: `${path.join(repoRoot, "node_modules/.bin")}${path.delimiter}${process.env.PATH}`,
          DATABASE_URL: process.env.DATABASE_URL,
          REDIS_URL: process.env.REDIS_URL,
          LOCAL_DATA_DIR: path.join(scratch, "dev-data"),
          ...env,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}
