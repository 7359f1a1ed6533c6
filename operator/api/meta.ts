// Object metadata as the API server sends it over the wire (JSON: timestamps
// are strings). client-node's model classes describe its own serializer's
// shapes (`_from` for `from`, Date objects), not raw JSON, so yunshu, which
// reads and writes raw JSON, types it here.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  deletionTimestamp?: string;
  creationTimestamp?: string;
  ownerReferences?: unknown[];
  managedFields?: unknown[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
}

/** Where the API server serves a kind: what a client needs to build its URLs. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}
