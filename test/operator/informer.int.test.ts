// The informer never stops by itself: an API server outage is bridged by
// reconnecting, and a resource version the restarted server no longer has
// (410 Gone) by relisting; either way the cache ends up exact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Informer } from "../../operator/runtime/informer.ts";
import { KubeClient, type KubeObject, type ResourceType } from "../../operator/runtime/kube-client.ts";
import { silentLogger } from "../../operator/runtime/log.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";

const CONFIG_MAPS: ResourceType = { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true };

let plane: ControlPlane;
let client: KubeClient;
const abort = new AbortController();

const configMap = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default", labels: { watched: "yes" } } }) as KubeObject;

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "informer" });
  client = new KubeClient(plane.credentials());
});

afterAll(async () => {
  abort.abort();
  await plane?.stop();
});

describe("the informer", () => {
  it("reconnects after an API server outage, relists when its resource version is gone, and ends up exact", async () => {
    const informer = new Informer<KubeObject>(client, CONFIG_MAPS, { labelSelector: "watched=yes", log: silentLogger });
    const seen: string[] = [];
    informer.onEvent((event, obj) => seen.push(`${event} ${obj.metadata.name}`));
    void informer.run(abort.signal);
    await informer.waitForSync();
    await client.create(CONFIG_MAPS, configMap("before"));
    await eventually("the first object", () => informer.get("before", "default"));

    // The watch breaks; the restarted server's watch cache starts at the
    // current revision, so the informer's resource version may be gone (410)
    // and need a relist. Either way the changes below must reach the cache.
    await plane.stopApiServer();
    await new Promise((r) => setTimeout(r, 2_000));
    await plane.startApiServer();
    await client.delete(CONFIG_MAPS, "before", "default");
    await client.create(CONFIG_MAPS, configMap("after"));

    await eventually("the cache to match the server", () => informer.get("after", "default") && !informer.get("before", "default"), { timeoutMs: 60_000 });
    expect(informer.list().map((o) => o.metadata.name)).toEqual(["after"]);
    expect(informer.stats.reconnects + informer.stats.gone).toBeGreaterThan(0);
    expect(seen).toEqual(expect.arrayContaining(["add before", "delete before", "add after"]));
  });
});
