// Builds the console's page into console/web/dist: index.html and
// assets/app.js + assets/app.css, which console/server serves. Skips the
// build when none of its inputs changed since the last one (dist/.stamp).
// Run: node console/web/build.ts, or import buildConsolePage.
import { createHash } from "node:crypto";
import { access, mkdir, readFile, readdir, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import standalone from "ajv/dist/standalone/index.js";
import { build, type Plugin } from "esbuild";
import { parse } from "yaml";
import { formSchema, schemaKey } from "./src/request-schema.ts";

const webDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(webDir, "../..");
const distDir = join(webDir, "dist");
const stampPath = join(distDir, ".stamp");
const crdPath = join(repoRoot, "crds/yunshu.io_tenantrequests.yaml");

async function inputFiles(): Promise<string[]> {
  const src = join(webDir, "src");
  const sources = (await readdir(src, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  const others = ["index.html", "build.ts"].map((name) => join(webDir, name));
  return [...sources, ...others, join(repoRoot, "console/api-types.ts"), join(repoRoot, "package-lock.json"), crdPath].sort();
}

async function inputsHash(): Promise<string> {
  const hash = createHash("sha256");
  for (const file of await inputFiles()) {
    hash.update(relative(repoRoot, file)).update("\0").update(await readFile(file)).update("\0");
  }
  return hash.digest("hex");
}

const OUTPUTS = ["index.html", "assets/app.js", "assets/app.css"].map((name) => join(distDir, name));

/** The stamp of the last build, when all it wrote is still there. */
async function readStamp(): Promise<string | undefined> {
  try {
    await Promise.all(OUTPUTS.map((file) => access(file)));
    return (await readFile(stampPath, "utf8")).trim();
  } catch {
    return undefined;
  }
}

/**
 * The request form's validator, compiled here rather than in the browser
 * (see src/request-schema.ts), from the CRD the API server validates with.
 */
async function requestValidatorModule(): Promise<string> {
  const crd = parse(await readFile(crdPath, "utf8")) as {
    spec: { versions: { name: string; served: boolean; schema: { openAPIV3Schema: { properties: { spec: Record<string, unknown> } } } }[] };
  };
  const version = crd.spec.versions.find((v) => v.served);
  if (!version) throw new Error(`${crdPath}: no served version`);
  const spec = version.schema.openAPIV3Schema.properties.spec;
  // strict: false lets the x-kubernetes-* extensions through; verbose gives each error its
  // parentSchema, where the page finds the rule's own message.
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, code: { source: true, esm: true } });
  // A CommonJS module: Node hands its module.exports over as the default, whose .default is the function.
  const code = standalone.default(ajv, ajv.compile(formSchema(spec)));
  return `${code}\nexport const builtFrom = ${JSON.stringify(schemaKey(spec))};\n`;
}

const requestValidator: Plugin = {
  name: "request-validator",
  setup(plugin) {
    plugin.onResolve({ filter: /^virtual:request-validator$/ }, (args) => ({ path: args.path, namespace: "request-validator" }));
    plugin.onLoad({ filter: /.*/, namespace: "request-validator" }, async () => ({ contents: await requestValidatorModule(), loader: "js", resolveDir: webDir }));
  },
};

// Each file lands whole (written aside, then renamed), so a server reading dist while a
// build runs never serves half a file.
async function writeAtomically(path: string, contents: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const aside = `${path}.${process.pid}.tmp`;
  await writeFile(aside, contents);
  await rename(aside, path);
}

async function buildNow(stamp: string): Promise<number> {
  const result = await build({
    entryPoints: { app: join(webDir, "src/main.tsx") },
    outdir: join(distDir, "assets"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    jsx: "automatic",
    charset: "utf8",
    define: { "process.env.NODE_ENV": '"production"' },
    plugins: [requestValidator],
    write: false,
    logLevel: "warning",
  });
  const outputs = [...result.outputFiles.map((file) => ({ path: file.path, contents: file.contents })), { path: join(distDir, "index.html"), contents: await readFile(join(webDir, "index.html")) }];
  for (const output of outputs) await writeAtomically(output.path, output.contents);
  await writeAtomically(stampPath, `${stamp}\n`);
  return result.outputFiles.reduce((bytes, file) => bytes + file.contents.byteLength, 0);
}

let running: Promise<string> | undefined;

/** Builds the page when its inputs changed; answers the directory to serve (index.html, assets/). */
export function buildConsolePage(): Promise<string> {
  running ??= (async () => {
    try {
      const started = performance.now();
      const stamp = await inputsHash();
      if ((await readStamp()) === stamp) {
        process.stderr.write("[yunshu] console page: up to date\n");
      } else {
        const bytes = await buildNow(stamp);
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        process.stderr.write(`[yunshu] console page: built in ${seconds} s (${Math.round(bytes / 1024)} KiB)\n`);
      }
      return distDir;
    } finally {
      running = undefined;
    }
  })();
  return running;
}

if (import.meta.main) await buildConsolePage();
