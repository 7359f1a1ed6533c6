// Phase, on member clusters: the tenant's SecurityProfile, as the hub has
// it, is also the member's. The member's admission policies take their
// parameters from its own copy, so a platform change to a hub profile
// reaches the member's enforcement with the next reconcile of any tenant
// of that level, and a hand edit on the member is put back. A profile the
// hub no longer has stays on the member: removing it would have the
// member refuse every pod of that level (its policies deny without one).
import { SECURITY_PROFILE_RESOURCE } from "../../api/generated.ts";
import type { KubeObject } from "../../api/meta.ts";
import type { SecurityProfile } from "../profile.ts";
import { write, type TenantRun } from "../run.ts";

const FIELD_MANAGER = "yunshu-operator";

export async function mirrorProfile(run: TenantRun, profile: SecurityProfile & KubeObject): Promise<void> {
  const local = run.caches.localProfiles;
  if (!local) return;
  const copy = local.get(profile.metadata.name);
  if (copy && JSON.stringify(copy.spec) === JSON.stringify(profile.spec)) return;
  // A whole replacement, not a server-side apply: an apply would leave
  // entries someone else added to a list (an extra Service type) in place.
  const desired = {
    apiVersion: profile.apiVersion,
    kind: profile.kind,
    metadata: copy ? { ...copy.metadata, labels: { ...profile.metadata.labels } } : { name: profile.metadata.name, labels: { ...profile.metadata.labels } },
    spec: profile.spec,
  } as SecurityProfile & KubeObject;
  await write(run, desired, () => (copy ? run.client.update(SECURITY_PROFILE_RESOURCE, desired) : run.client.create(SECURITY_PROFILE_RESOURCE, desired, FIELD_MANAGER)));
}
