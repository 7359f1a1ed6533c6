// A cluster that already exists: the province's own data centre, or one
// built by another team. Pulumi only reaches it with the kubeconfig given.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAdapter } from "./adapter.ts";

const expandHome = (path: string) => (path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path);

export const provisionExisting: ClusterAdapter = (cluster, { config }) => {
  const file = cluster.existing?.kubeconfigFile;
  if (!file) return { kubeconfig: config.requireSecret("kubeconfig"), ready: [] };
  let text: string;
  try {
    text = readFileSync(expandHome(file), "utf8");
  } catch (err) {
    throw new Error(`cluster ${cluster.name}: cannot read existing.kubeconfigFile ${file}: ${(err as Error).message}`, { cause: err });
  }
  return { kubeconfig: pulumi.secret(text), ready: [] };
};
