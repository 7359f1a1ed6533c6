// What yunshu ships in crds/ (CRDs, ClusterRoles, admission policies, the
// operator's identity), read in install order, and the defaults the operator
// creates when they are missing (crds/defaults/). `yunshu install`, the Pulumi
// bootstrap and the chart's tests all read the same files; this module pulls
// in nothing of the operator's runtime, so infra/ can use it.
import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { SecurityProfile } from "./generated.ts";
import type { KubeObject, ResourceType } from "./meta.ts";
import { repositoryPath } from "../repository.ts";

export const CRDS_DIR = repositoryPath("crds");

/** The kinds crds/ holds; install refuses anything else rather than guess its endpoint. */
export const MANIFEST_KINDS: Record<string, ResourceType> = {
  CustomResourceDefinition: { group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions", namespaced: false },
  ClusterRole: { group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false },
  ClusterRoleBinding: { group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false },
  ValidatingAdmissionPolicy: {
    group: "admissionregistration.k8s.io",
    version: "v1",
    kind: "ValidatingAdmissionPolicy",
    plural: "validatingadmissionpolicies",
    namespaced: false,
  },
  ValidatingAdmissionPolicyBinding: {
    group: "admissionregistration.k8s.io",
    version: "v1",
    kind: "ValidatingAdmissionPolicyBinding",
    plural: "validatingadmissionpolicybindings",
    namespaced: false,
  },
  MutatingAdmissionPolicy: {
    group: "admissionregistration.k8s.io",
    version: "v1",
    kind: "MutatingAdmissionPolicy",
    plural: "mutatingadmissionpolicies",
    namespaced: false,
  },
  MutatingAdmissionPolicyBinding: {
    group: "admissionregistration.k8s.io",
    version: "v1",
    kind: "MutatingAdmissionPolicyBinding",
    plural: "mutatingadmissionpolicybindings",
    namespaced: false,
  },
  Role: { group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true },
  RoleBinding: { group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", namespaced: true },
  Namespace: { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false },
  ServiceAccount: { group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true },
};

/** Install order: types before their users, namespaces before what lives in them. */
const ORDER = [
  "CustomResourceDefinition",
  "Namespace",
  "ServiceAccount",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "MutatingAdmissionPolicy",
  "MutatingAdmissionPolicyBinding",
];

/** Every manifest in crds/ (not its samples), in install order. */
export async function loadManifests(dir = CRDS_DIR): Promise<KubeObject[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort();
  const docs: KubeObject[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(join(dir, file), "utf8"))) {
      const obj = doc.toJS() as KubeObject | null;
      if (!obj) continue;
      if (!obj.kind || !MANIFEST_KINDS[obj.kind]) throw new Error(`${file}: yunshu install does not know kind ${obj.kind}`);
      docs.push(obj);
    }
  }
  return docs.sort((a, b) => ORDER.indexOf(a.kind!) - ORDER.indexOf(b.kind!));
}

/** The SecurityProfiles yunshu ships (crds/defaults/security-profiles.yaml), one per level. */
export function shippedProfiles(dir = CRDS_DIR): SecurityProfile[] {
  return parseAllDocuments(readFileSync(join(dir, "defaults", "security-profiles.yaml"), "utf8")).map((d) => d.toJS() as SecurityProfile);
}

/** The shipped profile of one level. */
export function shippedProfile(level: 2 | 3 | 4, dir = CRDS_DIR): SecurityProfile {
  const profile = shippedProfiles(dir).find((p) => p.spec.level === level);
  if (!profile) throw new Error(`crds/defaults/security-profiles.yaml has no profile for level ${level}`);
  return profile;
}
