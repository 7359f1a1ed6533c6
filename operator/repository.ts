// Where yunshu's own files are (crds/, the metering rules, the console's
// page, package.json): found from the repository's root, the nearest folder
// above this module whose package.json is yunshu's. The same holds for the
// sources and for the bundle the image runs (dist/yunshu.mjs), which sit at
// different depths below it.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "yunshu") return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json of yunshu's above ${from}: run yunshu from its repository or image`);
  }
}

const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside yunshu's repository (or image), e.g. repositoryPath("crds"). */
export const repositoryPath = (...segments: string[]): string => join(ROOT, ...segments);
