// The SecurityProfiles yunshu ships (crds/defaults/security-profiles.yaml)
// are created on the hub when missing, each time a replica starts to lead.
// One that exists is never overwritten: the platform tunes them, with kubectl
// or its own GitOps, and the tuning outlives upgrades and restarts. The
// chart, the Pulumi bootstrap and `yunshu install` leave them alone, so no
// two tools ever own the same profile.
import { shippedProfiles } from "../api/manifests.ts";
import { SECURITY_PROFILE_RESOURCE } from "../api/generated.ts";
import type { KubeObject } from "../api/meta.ts";
import { ApiError, type KubeClient } from "../runtime/kube-client.ts";
import type { Logger } from "../runtime/log.ts";
import type { Informer } from "../runtime/informer.ts";
import type { SecurityProfile } from "./profile.ts";

const FIELD_MANAGER = "yunshu-operator";

/** Creates every shipped profile the (synced) cache does not have; the names of those it created. */
export async function createMissingProfiles(client: KubeClient, profiles: Informer<SecurityProfile & KubeObject>, log: Logger): Promise<string[]> {
  const created: string[] = [];
  for (const profile of shippedProfiles()) {
    if (profiles.get(profile.metadata.name)) continue;
    try {
      await client.create(SECURITY_PROFILE_RESOURCE, profile as SecurityProfile & KubeObject, FIELD_MANAGER);
      created.push(profile.metadata.name);
      log.info("created the shipped SecurityProfile, which was missing", { profile: profile.metadata.name, level: profile.spec.level });
    } catch (err) {
      // Made meanwhile by someone else: theirs stands.
      if (!(err instanceof ApiError && err.status === 409)) throw err;
    }
  }
  return created;
}
