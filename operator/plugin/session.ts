// The plugin's connection to the cluster, and who the cluster says we are.
import { KubeClient, type KubeObject } from "../runtime/kube-client.ts";
import { loadKubeConfig } from "../runtime/kubeconfig.ts";
import { SELF_SUBJECT_REVIEWS } from "../api/resources.ts";
import type { GlobalFlags } from "./flags.ts";

export const FIELD_MANAGER = "kubectl-yunshu";

/** Remembers the API server once connected, so that an error can say which one failed. */
export interface Session {
  server: string | undefined;
}

export function connect(session: Session, flags: GlobalFlags): KubeClient {
  const client = new KubeClient(loadKubeConfig(flags.kubeconfig, flags.context), { userAgent: FIELD_MANAGER });
  session.server = client.server;
  return client;
}

export interface UserInfo {
  username: string;
  groups: string[];
}

interface SelfSubjectReview extends KubeObject {
  status?: { userInfo?: { username?: string; groups?: string[] } };
}

/** `kubectl auth whoami`: the identity the API server authenticates, which the admission policies compare with. */
export async function whoami(client: KubeClient): Promise<UserInfo> {
  // The review is not stored, so it has no name; KubeClient only needs the metadata to exist.
  const review = await client.create<SelfSubjectReview>(SELF_SUBJECT_REVIEWS, {
    apiVersion: "authentication.k8s.io/v1",
    kind: "SelfSubjectReview",
    metadata: { name: "" },
  });
  const username = review.status?.userInfo?.username;
  if (!username) throw new Error("the API server's SelfSubjectReview did not say who you are; is authentication configured?");
  return { username, groups: review.status?.userInfo?.groups ?? [] };
}
