// Loads Prisma's schema engine compiled to WebAssembly and runs it over our patched pg adapter, the way the
// Prisma CLI's SchemaEngineWasm does (packages/migrate/src/SchemaEngineWasm.ts): one engine per command,
// freed at the end, errors from JS looked up in the adapter's error registry.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import { MigrationPgAdapterFactory, type MigrationAdapterOptions } from "./pg-adapter";
import { MigrationError, describeDatabaseError, redact } from "./errors";

type Bindings = typeof import("@prisma/schema-engine-wasm") & {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
};

let loading: Promise<Bindings> | null = null;

/**
 * The package's own entry does `import * as wasm from "./schema_engine_bg.wasm"`, an ES module import of
 * Wasm that Node 20 only allows behind --experimental-wasm-modules. So we instantiate the binary ourselves
 * against its JS glue, which is what that import would have done.
 */
function loadBindings(): Promise<Bindings> {
  loading ??= (async () => {
    const packageDir = path.dirname(createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm"));
    const glue = (await import(pathToFileURL(path.join(packageDir, "schema_engine_bg.js")).href)) as Bindings;
    const module = new WebAssembly.Module(readFileSync(path.join(packageDir, "schema_engine_bg.wasm")));
    const imports: WebAssembly.ModuleImports = { ...(glue as unknown as WebAssembly.ModuleImports) };
    for (const name of Object.keys(imports).filter((key) => key.startsWith("__wbg_setTimeout_"))) {
      // The engine races each database call against a timer it never clears (the glue imports no
      // clearTimeout); left as is, they keep a finished command alive, 10 s after any deploy.
      imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
    const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": imports });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return loading;
}

/** The engine's own version (the prisma-engines commit), for messages. */
export async function schemaEngineVersion(): Promise<string> {
  return (await loadBindings()).version();
}

type EngineMethod = Exclude<keyof SchemaEngine, "free" | typeof Symbol.dispose | "debugPanic">;
type Input<M extends EngineMethod> = Parameters<SchemaEngine[M]>[0];
type Output<M extends EngineMethod> = Awaited<ReturnType<SchemaEngine[M]>>;

export interface EngineSession {
  run<M extends EngineMethod>(method: M, input: Input<M>): Promise<Output<M>>;
  close(): Promise<void>;
}

interface EngineLogLine {
  level?: string;
  fields?: { message?: string };
}

export async function openEngineSession(options: MigrationAdapterOptions & { schemaPath: string; schema: string }): Promise<EngineSession> {
  const bindings = await loadBindings();
  const pgFactory = new MigrationPgAdapterFactory(options);
  const factory = bindMigrationAwareSqlAdapterFactory(pgFactory);
  const onLog = (line: string) => {
    // The engine logs JSON lines; warnings (e.g. an edited migration during deploy) are for the operator.
    try {
      const parsed = JSON.parse(line) as EngineLogLine;
      if (parsed.level === "WARN" && parsed.fields?.message) options.log?.(`warning: ${parsed.fields.message}`);
    } catch {
      // not JSON: nothing for people
    }
  };
  let engine: SchemaEngine;
  try {
    engine = await bindings.SchemaEngine.new({ datamodels: [[options.schemaPath, options.schema]] }, onLog, factory);
  } catch (error) {
    await pgFactory.disposeAll();
    throw toMigrationError(error, options.databaseUrl);
  }

  const translate = (error: unknown): Error => {
    // A JS exception inside the adapter reaches us as "<context>\nExternal error id#N"; the registry
    // holds the exception itself.
    const message = (error as Error | undefined)?.message ?? "";
    const id = /External error id#(\d+)/.exec(message)?.[1];
    const original = id === undefined ? undefined : factory.errorRegistry.consumeError(Number(id))?.error;
    if (original === undefined) return toMigrationError(error, options.databaseUrl);
    const described = describeDatabaseError(original, options.databaseUrl);
    if (described) return described;
    const context = engineMessage(error).replace(/\s*External error id#\d+.*$/, "");
    const hint = /shadow/i.test(context) ? " (the DATABASE_URL user needs CREATEDB, or set SHADOW_DATABASE_URL)" : "";
    const detail = original instanceof Error ? original.message : String(original);
    return new MigrationError(redact(`${context}: ${detail}${hint}`, options.databaseUrl), { cause: original });
  };

  return {
    async run(method, input) {
      try {
        // Called on the engine itself: a detached method loses its Wasm pointer.
        return await (engine[method] as (input: unknown) => Promise<never>).call(engine, input);
      } catch (error) {
        throw translate(error);
      }
    },
    async close() {
      engine.free();
      await pgFactory.disposeAll();
    },
  };
}

interface EngineError {
  code?: string;
  message?: string;
  meta?: unknown;
}

/**
 * The engine's errors are multi-line: a message, then a span trace ("   0: sql_schema_connector::…").
 * People get the message, on one line, with its Prisma error code when there is one (P3006, P3018…).
 */
export function engineMessage(error: unknown): string {
  const { code, message } = (error ?? {}) as EngineError;
  const text = (message ?? String(error))
    .split(/\n\s+0: /)[0]!
    .replace(/external connector error\s*/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return code && !text.startsWith(code) ? `${code}: ${text}` : text;
}

export function toMigrationError(error: unknown, databaseUrl: string): Error {
  if (error instanceof MigrationError) return error;
  return describeDatabaseError(error, databaseUrl) ?? new MigrationError(redact(engineMessage(error), databaseUrl), { cause: error });
}
