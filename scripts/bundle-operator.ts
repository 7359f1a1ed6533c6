// Bundles `yunshu` (operator/cli.ts and everything it imports of ours) into
// one ES module, dist/yunshu.mjs, which the image runs. Running the
// TypeScript sources directly makes Node load its type stripper, whose
// WebAssembly memory stays for the life of the process: 32 MiB of the
// operator's resident memory, measured with `make bench`. The npm packages
// stay outside the bundle, loaded from node_modules as before. Tests and
// `make run` keep running the sources.
//
//   node scripts/bundle-operator.ts [--outfile dist/yunshu.mjs]
import { join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const repository = join(import.meta.dirname, "..");
export const BUNDLE = join(repository, "dist", "yunshu.mjs");

export async function bundleOperator(outfile = BUNDLE): Promise<string> {
  const started = performance.now();
  await build({
    entryPoints: [join(repository, "operator", "cli.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    packages: "external",
    // Readable stack traces: names and lines as written.
    minify: false,
    logLevel: "warning",
  });
  process.stderr.write(`bundled yunshu into ${outfile} in ${((performance.now() - started) / 1000).toFixed(1)}s\n`);
  return outfile;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { outfile: { type: "string", default: BUNDLE } } });
  await bundleOperator(values.outfile);
}
