// The tenants a fault run converges, and the spec changes made while it
// does, all drawn from the run's seed: quotas up and down, namespaces added
// and removed under both deletion policies, so that there is always
// something half-done when a fault strikes.
import type { Random } from "../audit/prng.ts";
import type { Tenant, TenantSpec } from "../../operator/tenant/types.ts";

const SHORT_NAMES = ["prod", "test", "dev", "data", "ops", "web"];

export function faultTenant(random: Random, i: number, extra: Partial<TenantSpec> = {}): Tenant {
  const count = random.int(1, 3);
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "Tenant",
    metadata: { name: `fault-${String(i).padStart(3, "0")}` },
    spec: {
      displayName: `故障演练部门 ${i}`,
      level: random.pick(["province", "city", "county"] as const),
      owners: [{ kind: "User", name: `owner-${i}` }],
      members: random.chance(0.5) ? [{ kind: "User", name: `dev-${i}`, role: random.pick(["developer", "viewer"] as const) }] : undefined,
      namespaces: random.sample(SHORT_NAMES, count).map((name) => ({ name })),
      quota: { hard: randomQuota(random) },
      limits: random.chance(0.5) ? { defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" } } : undefined,
      securityLevel: random.pick([2, 3, 4] as const),
      deletionPolicy: random.pick(["Retain", "Delete"] as const),
      ...extra,
    },
  };
}

function randomQuota(random: Random): Record<string, string> {
  return {
    pods: String(random.int(3, 60)),
    "requests.cpu": `${random.int(1, 80) * 100}m`,
    "requests.memory": `${random.int(1, 32)}Gi`,
    ...(random.chance(0.3) ? { configmaps: String(random.int(10, 200)) } : {}),
  };
}

export interface SpecChange {
  describe: string;
  apply: (spec: TenantSpec) => TenantSpec;
}

/**
 * One random change to a tenant's spec. A namespace removed under
 * deletionPolicy Delete is not declared again (its deletion takes the
 * namespace controller's time, which measures Kubernetes, not yunshu).
 */
export function randomChange(random: Random, tenant: string, removed: Set<string>): SpecChange {
  const kind = random.pick(["quota", "quota", "add", "remove", "limits"] as const);
  switch (kind) {
    case "quota": {
      const hard = randomQuota(random);
      return { describe: `${tenant}: quota ${JSON.stringify(hard)}`, apply: (spec) => ({ ...spec, quota: { hard } }) };
    }
    case "add": {
      const pick = random.next();
      return {
        describe: `${tenant}: add a namespace`,
        apply: (spec) => {
          const have = new Set((spec.namespaces ?? []).map((n) => n.name));
          const free = SHORT_NAMES.filter((n) => !have.has(n) && !(spec.deletionPolicy === "Delete" && removed.has(`${tenant}-${n}`)));
          if (free.length === 0) return spec;
          return { ...spec, namespaces: [...(spec.namespaces ?? []), { name: free[Math.floor(pick * free.length)]! }] };
        },
      };
    }
    case "remove": {
      const pick = random.next();
      return {
        describe: `${tenant}: remove a namespace`,
        apply: (spec) => {
          const namespaces = spec.namespaces ?? [];
          if (namespaces.length <= 1) return spec;
          const gone = namespaces[Math.floor(pick * namespaces.length)]!;
          removed.add(`${tenant}-${gone.name}`);
          return { ...spec, namespaces: namespaces.filter((n) => n !== gone) };
        },
      };
    }
    case "limits": {
      const cpu = random.int(1, 9) * 100;
      return {
        describe: `${tenant}: container default cpu ${cpu}m`,
        apply: (spec) => ({ ...spec, limits: { defaultRequest: { cpu: `${cpu}m`, memory: "64Mi" }, default: { cpu: `${cpu * 2}m`, memory: "256Mi" } } }),
      };
    }
  }
}
