// These machines cannot build images, so the Dockerfile is checked the way
// it can be: every file `yunshu` loads at runtime, followed from
// bin/yunshu.js through its relative imports, is one the Dockerfile copies
// and .dockerignore lets through; and the image runs as the non-root user
// the chart's securityContext expects.
import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./helm.ts";

const ENTRY = "bin/yunshu.js";

/** Relative module specifiers a file imports (static, dynamic, side-effect, re-export). */
function relativeImports(source: string): string[] {
  const found = source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)["'](\.\.?\/[^"']+)["']/g);
  return [...found].map((m) => m[1]!);
}

async function runtimeFiles(entry: string): Promise<string[]> {
  const seen = new Set<string>();
  const queue = [resolve(REPO_ROOT, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of relativeImports(await readFile(file, "utf8"))) queue.push(resolve(dirname(file), specifier));
  }
  return [...seen].map((f) => relative(REPO_ROOT, f)).sort();
}

const dockerfile = () => readFile(join(REPO_ROOT, "Dockerfile"), "utf8");

/** Sources of the final stage's COPY lines from the build context (not --from). */
async function copiedFromContext(): Promise<string[]> {
  const lines = (await dockerfile()).split("\n");
  const finalStage = lines.slice(lines.findLastIndex((l) => /^FROM\s/.test(l)));
  return finalStage
    .filter((l) => /^COPY\s/.test(l) && !/--from=/.test(l))
    .flatMap((l) => l.trim().split(/\s+/).slice(1, -1))
    .map((p) => p.replace(/^\.\//, ""));
}

/** .dockerignore as an allow-list: `*`, then `!path` entries, then exclusions. */
async function dockerignore(): Promise<{ allowed: string[]; excluded: RegExp[] }> {
  const rules = (await readFile(join(REPO_ROOT, ".dockerignore"), "utf8"))
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  expect(rules[0], ".dockerignore starts by excluding everything").toBe("*");
  const allowed = rules.filter((r) => r.startsWith("!")).map((r) => r.slice(1));
  const excluded = rules
    .slice(1)
    .filter((r) => !r.startsWith("!"))
    .map((r) => new RegExp(`^${r.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*\//g, "(.*/)?").replace(/\*/g, "[^/]*")}`));
  return { allowed, excluded };
}

const covers = (paths: string[], file: string) => paths.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p));

describe("the Dockerfile", () => {
  it("copies every file yunshu loads, and .dockerignore lets each through", async () => {
    const files = await runtimeFiles(ENTRY);
    expect(files).toContain("scripts/require-node.js");
    expect(files).toContain("operator/cli.ts");
    const copied = await copiedFromContext();
    const { allowed, excluded } = await dockerignore();
    for (const file of [...files, "package.json", "package-lock.json"]) {
      expect(covers(copied, file), `the Dockerfile does not COPY ${file}`).toBe(true);
      expect(covers(allowed, file), `.dockerignore does not let ${file} into the build context`).toBe(true);
      expect(excluded.some((r) => r.test(file)), `.dockerignore excludes ${file}`).toBe(false);
    }
    // crds/ is read at runtime by `yunshu install`, not imported.
    expect(covers(copied, "crds/yunshu.io_tenants.yaml")).toBe(true);
  });

  it("keeps tests out of the image", async () => {
    const { excluded } = await dockerignore();
    expect(excluded.some((r) => r.test("operator/quota/allocate.test.ts"))).toBe(true);
  });

  it("installs production dependencies only, and runs node bin/yunshu.js as uid 65532", async () => {
    const text = await dockerfile();
    expect(text).toMatch(/^FROM \$\{NODE_IMAGE\}/m);
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24[-.]/m);
    expect(text).toMatch(/^RUN npm ci --omit=dev\b/m);
    const finalStage = text.slice(text.lastIndexOf("\nFROM "));
    expect(finalStage).toMatch(/^USER 65532:65532$/m);
    expect(finalStage).not.toMatch(/^RUN /m);
    expect(finalStage).toMatch(/^ENTRYPOINT \["node", "bin\/yunshu\.js"\]$/m);
  });
});
