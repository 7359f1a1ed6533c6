// Runs the real helm on charts/yunshu for the chart's tests, with its own
// config, cache and data directories so a test never reads or changes the
// user's helm repositories or plugins.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CHART_DIR = join(REPO_ROOT, "charts", "yunshu");
export const NAMESPACE = "yunshu-system";

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * helm logs a line for every symlink it follows in a chart directory (the
 * chart's links into crds/); that is expected here and would only bury real
 * messages.
 */
const SYMLINK_NOTICE = /^walk\.go:\d+: found symbolic link in path: .*\n?/gm;

export class Helm {
  readonly home = mkdtempSync(join(tmpdir(), "yunshu-helm-"));
  readonly binary: string;

  constructor(binary: string) {
    this.binary = binary;
  }

  run(args: string[]): Promise<HelmResult> {
    const env = {
      ...process.env,
      HELM_CONFIG_HOME: join(this.home, "config"),
      HELM_CACHE_HOME: join(this.home, "cache"),
      HELM_DATA_HOME: join(this.home, "data"),
    };
    return new Promise((resolve) => {
      execFile(this.binary, args, { env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr: stderr.replace(SYMLINK_NOTICE, "") });
      });
    });
  }

  /** `helm template` of the chart (or a packaged chart) as text; throws with helm's message on failure. */
  async templateText(args: string[] = [], chart = CHART_DIR): Promise<string> {
    const result = await this.run(["template", "yunshu", chart, "--namespace", NAMESPACE, ...args]);
    if (result.code !== 0) throw new Error(`helm template ${args.join(" ")} failed:\n${result.stderr}`);
    return result.stdout;
  }

  async template(args: string[] = [], chart = CHART_DIR): Promise<KubeObject[]> {
    return parseManifests(await this.templateText(args, chart));
  }
}

export function parseManifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      return doc.toJS() as KubeObject | null;
    })
    .filter((obj): obj is KubeObject => obj !== null);
}

export const objectKey = (obj: KubeObject) => `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata.name}`;

export function findObject(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`the chart renders no ${kind} ${name}; it renders: ${objects.map(objectKey).join(", ")}`);
  return found;
}
