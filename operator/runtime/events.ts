// Kubernetes Events on the objects yunshu acts on, so that `kubectl describe
// tenant` tells a platform engineer what happened and why. Repeats of the
// same event within ten minutes bump a count instead of adding objects.
import { randomBytes } from "node:crypto";
import type { KubeClient, KubeObject, ResourceType } from "./kube-client.ts";
import { EVENTS } from "../api/resources.ts";
import type { Logger } from "./log.ts";

export type EventType = "Normal" | "Warning";

const REPEAT_WINDOW_MS = 10 * 60_000;
const MAX_REMEMBERED = 10_000;

interface Recorded {
  name: string;
  namespace: string;
  count: number;
  at: number;
}

export class EventRecorder {
  private readonly client: KubeClient;
  private readonly log: Logger;
  private readonly component: string;
  private readonly recent = new Map<string, Recorded>();

  constructor(client: KubeClient, opts: { log: Logger; component?: string }) {
    this.client = client;
    this.log = opts.log;
    this.component = opts.component ?? "yunshu";
  }

  /** Records without blocking the reconcile; a failure to record is logged, never fatal. */
  record(type: ResourceType, obj: KubeObject, eventType: EventType, reason: string, message: string): void {
    this.write(type, obj, eventType, reason, message).catch((err: unknown) =>
      this.log.warn("could not record event", { reason, object: obj.metadata.name, error: err }),
    );
  }

  private async write(type: ResourceType, obj: KubeObject, eventType: EventType, reason: string, message: string): Promise<void> {
    const key = `${obj.metadata.uid ?? obj.metadata.name}/${reason}/${message}`;
    const now = new Date();
    const seen = this.recent.get(key);
    if (seen && now.getTime() - seen.at < REPEAT_WINDOW_MS) {
      seen.count++;
      seen.at = now.getTime();
      await this.client.mergePatch(EVENTS, seen.name, { count: seen.count, lastTimestamp: now.toISOString() }, seen.namespace);
      return;
    }
    // Cluster-scoped objects (Tenants) have their events in `default`, where
    // kubectl describe looks for them.
    const namespace = obj.metadata.namespace ?? "default";
    const name = `${obj.metadata.name}.${randomBytes(8).toString("hex")}`;
    await this.client.create(EVENTS, {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
        kind: type.kind,
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
      type: eventType,
      reason,
      message,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: process.env.HOSTNAME ?? this.component,
      firstTimestamp: now.toISOString(),
      lastTimestamp: now.toISOString(),
      count: 1,
    } as KubeObject);
    if (this.recent.size >= MAX_REMEMBERED) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(key, { name, namespace, count: 1, at: now.getTime() });
  }
}
