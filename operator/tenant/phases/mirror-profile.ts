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

/** The field manager of the copies: not the operator's own, so that an audit shows who wrote them and why. */
const MIRROR_FIELD_MANAGER = "yunshu-profile-mirror";

export async function mirrorProfile(run: TenantRun, profile: SecurityProfile & KubeObject): Promise<void> {
  const local = run.caches.localProfiles;
  if (!local) return;
  const copy = local.get(profile.metadata.name);
  if (copy && JSON.stringify(copy.spec) === JSON.stringify(profile.spec)) return;
  const desired: SecurityProfile = {
    apiVersion: profile.apiVersion,
    kind: profile.kind,
    metadata: { name: profile.metadata.name, labels: { ...profile.metadata.labels } },
    spec: profile.spec,
  };
  await write(run, desired as SecurityProfile & KubeObject, () => run.client.apply(SECURITY_PROFILE_RESOURCE, desired as SecurityProfile & KubeObject, MIRROR_FIELD_MANAGER));
}
