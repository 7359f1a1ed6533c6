// These machines cannot build images, so the Dockerfile is checked the way
// it can be: every source the bundle is made of, followed from
// operator/cli.ts through its relative imports, is one the build stage
// copies and .dockerignore lets through; every file yunshu reads at runtime
// (repositoryPath(...) in those sources) is in the final image; and the
// image runs the bundle as the non-root user the chart's securityContext
// expects.
import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./helm.ts";

const ENTRY = "operator/cli.ts";

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

/** The lines of the stage `FROM ... AS name`, or of the final stage. */
async function stage(name?: string): Promise<string[]> {
  const lines = (await dockerfile()).split("\n");
  const start = name ? lines.findIndex((l) => new RegExp(`^FROM\\s.*\\sAS ${name}$`).test(l)) : lines.findLastIndex((l) => /^FROM\s/.test(l));
  expect(start, `the Dockerfile has a stage ${name ?? "(final)"}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && /^FROM\s/.test(l));
  return lines.slice(start, end < 0 ? undefined : end);
}

/** What a stage's COPY lines bring: from the build context, or (`from`) from another stage, by destination. */
function copied(lines: string[], from?: string): string[] {
  return lines
    .filter((l) => /^COPY\s/.test(l) && (from ? l.includes(`--from=${from} `) : !/--from=/.test(l)))
    .flatMap((l) => {
      const words = l.trim().split(/\s+/).filter((w) => !w.startsWith("--"));
      // From another stage, what lands is named by the destination (and the source's base name when it is a folder).
      return from ? [words.at(-1)!.replace(/^\.\//, "")] : words.slice(1, -1).map((p) => p.replace(/^\.\//, ""));
    });
}

/** The repository files yunshu's sources read at runtime: each repositoryPath("a", "b") call, as a/b. */
async function readAtRuntime(files: string[]): Promise<string[]> {
  const paths = new Set<string>();
  for (const file of files) {
    for (const call of (await readFile(join(REPO_ROOT, file), "utf8")).matchAll(/repositoryPath\(([^)]*)\)/g)) {
      const segments = [...call[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
      if (segments.length > 0) paths.add(segments.join("/"));
    }
  }
  return [...paths].sort();
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
  it("bundles every source yunshu is made of, and .dockerignore lets each through", async () => {
    const files = await runtimeFiles(ENTRY);
    expect(files).toContain("operator/tenant/reconciler.ts");
    expect(files).toContain("console/server/api.ts");
    const build = await stage("build");
    expect(build).toContain("RUN node scripts/bundle-operator.ts && node console/web/build.ts");
    const sources = copied(build);
    const { allowed, excluded } = await dockerignore();
    for (const file of [...files, "scripts/bundle-operator.ts", "package.json", "package-lock.json"]) {
      expect(covers(sources, file), `the build stage does not COPY ${file}`).toBe(true);
      expect(covers(allowed, file), `.dockerignore does not let ${file} into the build context`).toBe(true);
      expect(excluded.some((r) => r.test(file)), `.dockerignore excludes ${file}`).toBe(false);
    }
  });

  it("puts in the final image the bundle and every file yunshu reads at runtime", async () => {
    const runtime = await readAtRuntime(await runtimeFiles(ENTRY));
    expect(runtime).toEqual(["charts/yunshu/files/metering-rules.yaml", "console/web/dist", "crds", "crds/yunshu.io_tenantrequests.yaml", "package.json"]);
    const final = await stage();
    const fromContext = copied(final);
    const fromBuild = copied(final, "build");
    expect(fromBuild).toContain("dist/");
    const { allowed } = await dockerignore();
    // A folder read whole (crds) is held by a COPY of that folder (crds/).
    const holds = (paths: string[], path: string) => covers(paths, path) || covers(paths, `${path}/`);
    for (const path of runtime) {
      expect(holds([...fromContext, ...fromBuild], path), `the image lacks ${path}`).toBe(true);
      if (holds(fromContext, path)) expect(holds(allowed, path), `.dockerignore does not let ${path} through`).toBe(true);
    }
  });

  it("keeps tests out of the image", async () => {
    const { excluded } = await dockerignore();
    expect(excluded.some((r) => r.test("operator/quota/allocate.test.ts"))).toBe(true);
  });

  it("installs production dependencies only, and runs node dist/yunshu.mjs as uid 65532", async () => {
    const text = await dockerfile();
    expect(text).toMatch(/^FROM \$\{NODE_IMAGE\}/m);
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24[-.]/m);
    expect(text).toMatch(/^RUN npm ci --omit=dev\b/m);
    const finalStage = (await stage()).join("\n");
    expect(finalStage).toMatch(/^USER 65532:65532$/m);
    expect(finalStage).not.toMatch(/^RUN /m);
    expect(finalStage).toMatch(/^COPY --from=dependencies \/app\/node_modules \.\/node_modules$/m);
    expect(finalStage).toMatch(/^ENTRYPOINT \["node", "dist\/yunshu\.mjs"\]$/m);
  });
});
