// The MLPS (等保) profiles, tested per level as the department would meet
// them: one tenant at each level (bureau2, bureau3, bureau4), all owned by
// alice, and a rival department's tenant whose Ingress domain alice must
// not claim. Every refusal names the profile rule and leaves nothing behind
// (or the target unchanged), next to a compliant variant that is admitted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NetworkPolicy, ResourceQuota } from "../../operator/api/core-types.ts";
import { SECURITY_PROFILE_RESOURCE, type SecurityProfile } from "../../operator/api/generated.ts";
import { shippedProfile } from "../../operator/api/manifests.ts";
import type { ResourceType } from "../../operator/api/meta.ts";
import { NAMESPACES, NETWORK_POLICIES, RESOURCE_QUOTAS } from "../../operator/api/resources.ts";
import type { Operator } from "../../operator/operator.ts";
import { KubeClient, type KubeObject } from "../../operator/runtime/kube-client.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { eventually } from "../../tools/local/eventually.ts";
import { installYunshu, PLATFORM_REGISTRY, restrictedPod, startOperator, tenant, tenantsApi, waitForReady, waitForReason } from "../../tools/local/yunshu.ts";
import { refusal } from "../support/api-errors.ts";

const core = (kind: string, plural: string): ResourceType => ({ group: "", version: "v1", kind, plural, namespaced: true });
const PODS = core("Pod", "pods");
const SERVICES = core("Service", "services");
const CONFIG_MAPS = core("ConfigMap", "configmaps");
const SECRETS = core("Secret", "secrets");
const ENDPOINTS = core("Endpoints", "endpoints");
const ENDPOINT_SLICES: ResourceType = { group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", plural: "endpointslices", namespaced: true };
const INGRESSES: ResourceType = { group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", namespaced: true };
const PRIORITY_CLASSES: ResourceType = { group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", plural: "priorityclasses", namespaced: false };

const LEVELS = [2, 3, 4] as const;
type Level = (typeof LEVELS)[number];
const ns = (level: Level) => `bureau${level}-app`;
const domain = (level: Level) => `bureau${level}.hunan.gov.cn`;
const RIVAL_DOMAIN = "rival.hunan.gov.cn";

let plane: ControlPlane;
let operator: Operator;
let identity: string;
let admin: KubeClient;
let alice: KubeClient;
let bob: KubeClient;

beforeAll(async () => {
  plane = await ControlPlane.start({ name: "profiles", users: [{ name: "alice", groups: [] }, { name: "bob", groups: [] }] });
  identity = await installYunshu(plane);
  operator = await startOperator(plane, identity);
  const tenants = tenantsApi(plane);
  for (const level of LEVELS) {
    await tenants.create(
      tenant(`bureau${level}`, {
        securityLevel: level,
        owners: [{ kind: "User", name: "alice" }],
        namespaces: [{ name: "app" }],
        // bureau3 names its own secrets count: the profile's must not replace it.
        quota: { hard: { pods: "20", ...(level === 3 ? { secrets: "7" } : {}) } },
        network: { metricsPorts: [9090], ingressDomains: [domain(level)] },
      }),
    );
  }
  await tenants.create(tenant("rival", { owners: [{ kind: "User", name: "bob" }], network: { ingressDomains: [RIVAL_DOMAIN] } }));
  await Promise.all([...LEVELS.map((l) => waitForReady(plane, `bureau${l}`)), waitForReady(plane, "rival")]);
  admin = new KubeClient(plane.credentials());
  alice = new KubeClient(plane.credentials("alice"));
  bob = new KubeClient(plane.credentials("bob"));
  for (const [name, value] of [["department-standard", 1000], ["department-batch", 100]] as const) {
    await admin.create(PRIORITY_CLASSES, { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value } as KubeObject);
  }
});

afterAll(async () => {
  await Promise.all([admin, alice, bob].map((c) => c?.close()));
  await operator?.stop();
  await plane?.stop();
});

function pod(name: string, level: Level, change: (spec: ReturnType<typeof restrictedPod>["spec"]) => void = () => {}): KubeObject {
  const body = restrictedPod(name);
  change(body.spec);
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: ns(level) }, spec: body.spec } as KubeObject;
}

const service = (name: string, level: Level, spec: Record<string, unknown>) =>
  ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: ns(level) }, spec: { ports: [{ port: 80 }], ...spec } }) as KubeObject;

const ingress = (name: string, level: Level, spec: Record<string, unknown>) =>
  ({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name, namespace: ns(level) }, spec }) as KubeObject;
const backend = { service: { name: "web", port: { number: 80 } } };
const hostRule = (host?: string) => ({ ...(host ? { host } : {}), http: { paths: [{ path: "/", pathType: "Prefix", backend }] } });

/** The API server refuses `obj` with a message containing each of `expected`, and nothing named so exists after. */
async function refusedCreate(client: KubeClient, type: ResourceType, obj: KubeObject, ...expected: string[]): Promise<void> {
  const err = await refusal(client.create(type, obj));
  expect(err.status, err.message).toBeOneOf([403, 422]);
  for (const text of expected) expect(err.message).toContain(text);
  expect(await admin.get(type, obj.metadata.name, obj.metadata.namespace)).toBeUndefined();
}

/** The positive control: admitted, and there. */
async function admittedCreate(client: KubeClient, type: ResourceType, obj: KubeObject): Promise<void> {
  await client.create(type, obj);
  expect(await admin.get(type, obj.metadata.name, obj.metadata.namespace)).toBeDefined();
}

/** A change the API server refuses, leaving the object exactly as it was. */
async function refusedPatch(client: KubeClient, type: ResourceType, name: string, namespace: string | undefined, patch: unknown, ...expected: string[]): Promise<void> {
  const before = await admin.get(type, name, namespace);
  const err = await refusal(client.mergePatch(type, name, patch, namespace));
  for (const text of expected) expect(err.message).toContain(text);
  expect((await admin.get(type, name, namespace))?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
}

const quotaOf = async (level: Level) => (await admin.get<ResourceQuota>(RESOURCE_QUOTAS, "yunshu-tenant-quota", ns(level)))!.spec.hard;

describe("object-count and storage quota", () => {
  it.each(LEVELS)("level %i: the profile's counts and storage join the quota of the tenant's namespace", async (level) => {
    const hard = await quotaOf(level);
    const profile = shippedProfile(level).spec.quota.hard;
    for (const resource of ["configmaps", "services", "persistentvolumeclaims", "requests.storage", "count/ingresses.networking.k8s.io"]) {
      expect(hard[resource], resource).toBe(String(profile[resource]));
    }
    expect(hard.pods).toBe("20");
  });

  it("a tenant that names its own count keeps it, and a flood of secrets stops there", async () => {
    expect((await quotaOf(3)).secrets).toBe("7");
    const made = await flood(SECRETS, 3, (name) => ({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns(3) }, stringData: { k: "v" } }) as KubeObject);
    expect(made).toBe(7);
  });

  it("a flood of ConfigMaps at level 4 stops at the profile's count, with the quota's message", async () => {
    const limit = Number(shippedProfile(4).spec.quota.hard.configmaps);
    const made = await flood(CONFIG_MAPS, 4, (name) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns(4) }, data: { k: "v".repeat(1024) } }) as KubeObject);
    // kube-root-ca.crt, which Kubernetes puts in every namespace, counts too.
    expect(made).toBe(limit - 1);
    expect((await admin.list(CONFIG_MAPS, { namespace: ns(4) })).items).toHaveLength(limit);
  });

  /** Creates objects as alice until the quota refuses one; how many were admitted. */
  async function flood(type: ResourceType, level: Level, make: (name: string) => KubeObject): Promise<number> {
    for (let i = 0; i < 500; i++) {
      const err = await alice.create(type, make(`flood-${i}`)).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      if (err) {
        expect(err.message).toMatch(/exceeded quota: yunshu-tenant-quota/);
        expect(await admin.get(type, `flood-${i}`, ns(level))).toBeUndefined();
        return i;
      }
    }
    throw new Error(`500 ${type.plural} were admitted: no count quota`);
  }
});

describe("Service types and externalIPs", () => {
  it.each(LEVELS)("level %i: ClusterIP is admitted, ExternalName and externalIPs never", async (level) => {
    await admittedCreate(alice, SERVICES, service("web", level, { selector: { app: "web" } }));
    await refusedCreate(alice, SERVICES, service("alias", level, { type: "ExternalName", externalName: "db.rival-prod.svc.cluster.local", ports: undefined }), `MLPS profile mlps-${level} (services.allowedTypes) does not allow type ExternalName`);
    await refusedCreate(alice, SERVICES, service("intercept", level, { externalIPs: ["10.96.0.10"] }), "spec.externalIPs is never allowed", "CVE-2020-8554");
    await refusedPatch(alice, SERVICES, "web", ns(level), { spec: { externalIPs: ["8.8.8.8"] } }, "spec.externalIPs is never allowed");
  });

  it("NodePort and LoadBalancer: admitted at level 2, refused at 3 and 4 with the rule and what to do", async () => {
    await admittedCreate(alice, SERVICES, service("nodeport", 2, { type: "NodePort" }));
    await admittedCreate(alice, SERVICES, service("lb", 2, { type: "LoadBalancer" }));
    for (const level of [3, 4] as const) {
      await refusedCreate(alice, SERVICES, service("nodeport", level, { type: "NodePort" }), `MLPS profile mlps-${level} (services.allowedTypes) does not allow type NodePort`, "use one of [ClusterIP]", "ask the platform team");
      await refusedCreate(alice, SERVICES, service("lb", level, { type: "LoadBalancer" }), "does not allow type LoadBalancer");
      await refusedPatch(alice, SERVICES, "web", ns(level), { spec: { type: "NodePort" } }, "does not allow type NodePort");
    }
  });
});

describe("PriorityClasses", () => {
  it.each(LEVELS)("level %i: system-* classes are refused, a pod naming none is admitted", async (level) => {
    await admittedCreate(alice, PODS, pod("plain", level));
    for (const cls of ["system-cluster-critical", "system-node-critical"]) {
      await refusedCreate(alice, PODS, pod("preempt", level, (s) => Object.assign(s, { priorityClassName: cls })), `MLPS profile mlps-${level} (workloads.priorityClasses) does not allow priority class ${cls}`);
    }
    // The quota scoped to the system classes stands behind the policy.
    const quota = await admin.get<ResourceQuota>(RESOURCE_QUOTAS, "yunshu-system-priority", ns(level));
    expect(quota?.spec).toMatchObject({ hard: { pods: "0" }, scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "In" }] } });
  });

  it("the profile's own classes: department-batch is admitted at level 3 and refused at level 4", async () => {
    await admittedCreate(alice, PODS, pod("batch", 3, (s) => Object.assign(s, { priorityClassName: "department-batch" })));
    await refusedCreate(alice, PODS, pod("batch", 4, (s) => Object.assign(s, { priorityClassName: "department-batch" })), "use one of [department-standard] or none");
    await admittedCreate(alice, PODS, pod("standard", 4, (s) => Object.assign(s, { priorityClassName: "department-standard" })));
  });
});

describe("image registries and pulls", () => {
  const image = (ref: string) => (s: ReturnType<typeof restrictedPod>["spec"]) => void (s.containers[0]!.image = ref);
  const pull = (policy: string) => (s: ReturnType<typeof restrictedPod>["spec"]) => void (s.containers[0]!.imagePullPolicy = policy);

  it.each(LEVELS)("level %i: IfNotPresent, Never and the default pull policy of a tagged image are refused", async (level) => {
    for (const [name, change] of [
      ["if-not-present", pull("IfNotPresent")],
      ["never", pull("Never")],
      ["defaulted", (s: ReturnType<typeof restrictedPod>["spec"]) => void delete (s.containers[0] as { imagePullPolicy?: string }).imagePullPolicy],
    ] as const) {
      await refusedCreate(alice, PODS, pod(name, level, change), `MLPS profile mlps-${level} (images.pullPolicy: Always) needs imagePullPolicy: Always on container app`);
    }
    await refusedCreate(
      alice,
      PODS,
      pod("init", level, (s) => Object.assign(s, { initContainers: [{ ...s.containers[0]!, name: "setup", imagePullPolicy: "IfNotPresent" }] })),
      "on container setup",
    );
  });

  it("level 2 admits any registry; levels 3 and 4 only the platform's, and no look-alike", async () => {
    await admittedCreate(alice, PODS, pod("hub-image", 2, image("docker.io/library/nginx:1.27")));
    for (const level of [3, 4] as const) {
      await refusedCreate(alice, PODS, pod("hub-image", level, image("docker.io/library/nginx:1.27")), `MLPS profile mlps-${level} (images.registries) does not allow image docker.io/library/nginx:1.27`, `[${PLATFORM_REGISTRY}]`);
      await refusedCreate(alice, PODS, pod("look-alike", level, image("registry.yunshu.internal.evil.io/app:1")), "does not allow image registry.yunshu.internal.evil.io/app:1");
      await admittedCreate(alice, PODS, pod("platform-image", level, image(`${PLATFORM_REGISTRY}ledger:2`)));
      // Images change in place: the change is judged like a new pod.
      const live = (await admin.get<KubeObject & { spec: { containers: { image: string }[] } }>(PODS, "platform-image", ns(level)))!;
      live.spec.containers[0]!.image = "docker.io/library/nginx:1.27";
      expect((await refusal(alice.update(PODS, live))).message).toContain("does not allow image docker.io/library/nginx:1.27");
      expect((await admin.get<typeof live>(PODS, "platform-image", ns(level)))!.spec.containers[0]!.image).toBe(`${PLATFORM_REGISTRY}ledger:2`);
    }
  });
});

describe("egress prefixes", () => {
  const tenants = () => tenantsApi(plane);
  const setEgress = (level: Level, cidrs: string[]) => tenants().update(`bureau${level}`, (s) => ({ ...s, network: { ...s.network, egressCIDRs: cidrs } }));

  it("level 2 may reach the whole internet", async () => {
    expect((await setEgress(2, ["0.0.0.0/0"])).spec.network?.egressCIDRs).toEqual(["0.0.0.0/0"]);
  });

  it("levels 3 and 4 refuse ranges wider than the profile's prefix, so halves of the internet do not add up to it", async () => {
    for (const [level, wide] of [
      [3, ["0.0.0.0/0"]],
      [3, ["10.0.0.0/8"]],
      [4, ["::/0"]],
      [4, ["0.0.0.0/1", "128.0.0.0/1"]],
      [4, ["10.20.0.0/16"]],
    ] as const) {
      const before = await tenants().get(`bureau${level}`);
      const err = await refusal(admin.mergePatch(tenantType, `bureau${level}`, { spec: { network: { egressCIDRs: wide } } }));
      expect(err.message).toContain(`is wider than MLPS profile mlps-${level} allows`);
      expect(err.message).toContain("name the networks the department needs");
      expect((await tenants().get(`bureau${level}`)).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    }
  });

  it("an allowed range reaches the tenant's network policy", async () => {
    await setEgress(3, ["10.20.0.0/16"]);
    await setEgress(4, ["10.20.30.0/24"]);
    for (const [level, cidr] of [
      [3, "10.20.0.0/16"],
      [4, "10.20.30.0/24"],
    ] as const) {
      await eventually(`${cidr} in bureau${level}'s egress`, async () => {
        const policy = await admin.get<NetworkPolicy>(NETWORK_POLICIES, "yunshu-baseline", ns(level));
        return policy?.spec.egress?.some((e) => e.to?.some((p) => p.ipBlock?.cidr === cidr));
      });
    }
  });
});

const tenantType: ResourceType = { group: "yunshu.io", version: "v1alpha1", kind: "Tenant", plural: "tenants", namespaced: false };

describe("monitoring ports", () => {
  it.each(LEVELS)("level %i: the monitoring namespace reaches the declared metrics port and no other", async (level) => {
    const policy = await admin.get<NetworkPolicy>(NETWORK_POLICIES, "yunshu-baseline", ns(level));
    const fromMonitoring = policy!.spec.ingress!.filter((rule) => rule.from?.some((p) => p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "monitoring"));
    expect(fromMonitoring).toEqual([{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports: [{ protocol: "TCP", port: 9090 }] }]);
  });
});

describe("Ingress hosts", () => {
  it.each(LEVELS)("level %i: hosts under the granted domain are admitted; another department's, catch-alls and look-alikes are not", async (level) => {
    await admittedCreate(alice, INGRESSES, ingress("pay", level, { rules: [hostRule(`pay.${domain(level)}`)], tls: [{ hosts: [`pay.${domain(level)}`] }] }));
    const rule = `MLPS profile mlps-${level} (network.ingressHosts: GrantedDomains)`;
    await refusedCreate(alice, INGRESSES, ingress("steal", level, { rules: [hostRule(`www.${RIVAL_DOMAIN}`)] }), rule, `does not allow host "www.${RIVAL_DOMAIN}"`, `the tenant is granted [${domain(level)}]`);
    await refusedCreate(alice, INGRESSES, ingress("catch-all", level, { rules: [hostRule()] }), 'does not allow host ""');
    await refusedCreate(alice, INGRESSES, ingress("default", level, { defaultBackend: backend }), "does not allow a default backend");
    await refusedCreate(alice, INGRESSES, ingress("look-alike", level, { rules: [hostRule(`evil${domain(level)}`)] }), `does not allow host "evil${domain(level)}"`);
    await refusedCreate(alice, INGRESSES, ingress("tls", level, { rules: [hostRule(`pay.${domain(level)}`)], tls: [{ hosts: [`www.${RIVAL_DOMAIN}`] }] }), `does not allow host "www.${RIVAL_DOMAIN}"`);
    await refusedPatch(alice, INGRESSES, "pay", ns(level), { spec: { rules: [hostRule(`www.${RIVAL_DOMAIN}`)] } }, `does not allow host "www.${RIVAL_DOMAIN}"`);
  });

  it("the rival department may use its own domain, and not alice's", async () => {
    await admittedCreate(bob, INGRESSES, { ...ingress("www", 3, { rules: [hostRule(`www.${RIVAL_DOMAIN}`)] }), metadata: { name: "www", namespace: "rival-prod" } });
    await refusedCreate(bob, INGRESSES, { ...ingress("pay", 3, { rules: [hostRule(`pay.${domain(3)}`)] }), metadata: { name: "pay", namespace: "rival-prod" } }, `does not allow host "pay.${domain(3)}"`);
  });
});

describe("Ingress domains granted twice", () => {
  it("a domain overlapping an earlier tenant's is withheld: the later tenant cannot use it, and is told why", async () => {
    const tenants = tenantsApi(plane);
    await tenants.update("bureau3", (s) => ({ ...s, network: { ...s.network, ingressDomains: [domain(3), "hunan.gov.cn"] } }));
    try {
      const t = await waitForReason(plane, "bureau3", "IngressDomainTaken");
      expect(t.status?.conditions?.find((c) => c.type === "Ready")?.message).toContain(
        "Ingress domain hunan.gov.cn overlaps bureau2.hunan.gov.cn, granted earlier to tenant bureau2, so it is withheld",
      );
      const namespace = await admin.get(NAMESPACES, ns(3));
      expect(namespace?.metadata.annotations?.["yunshu.io/ingress-domains"]).toBe(domain(3));
      await refusedCreate(alice, INGRESSES, ingress("umbrella", 3, { rules: [hostRule("www.hunan.gov.cn")] }), 'does not allow host "www.hunan.gov.cn"');
    } finally {
      await tenants.update("bureau3", (s) => ({ ...s, network: { ...s.network, ingressDomains: [domain(3)] } }));
    }
    await waitForReady(plane, "bureau3");
  });
});

describe("Endpoints writes", () => {
  it.each(LEVELS)("level %i: a department cannot point a Service at addresses by hand; Kubernetes' own controllers still can", async (level) => {
    const rule = `MLPS profile mlps-${level} (network.endpointWrites: Forbidden)`;
    await refusedCreate(alice, ENDPOINTS, { apiVersion: "v1", kind: "Endpoints", metadata: { name: "manual", namespace: ns(level) }, subsets: [{ addresses: [{ ip: "10.1.2.3" }], ports: [{ port: 80 }] }] } as KubeObject, rule);
    const slice = {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: "web-manual", namespace: ns(level), labels: { "kubernetes.io/service-name": "web" } },
      addressType: "IPv4",
      endpoints: [{ addresses: ["10.1.2.3"] }],
      ports: [{ port: 80 }],
    } as KubeObject;
    // RBAC already keeps EndpointSlices from departments; the profile would refuse them too.
    await refusedCreate(alice, ENDPOINT_SLICES, slice);
    // The positive control: Kubernetes' endpointslice controller (impersonated; this plane does not run it) still writes slices.
    const controller = new KubeClient(plane.credentials(), { impersonate: { user: "system:serviceaccount:kube-system:endpointslice-controller", groups: ["system:serviceaccounts"] } });
    try {
      await admittedCreate(controller, ENDPOINT_SLICES, { ...slice, metadata: { ...slice.metadata, name: "web-controller" } });
    } finally {
      await controller.close();
    }
  });
});

describe("the profiles themselves", () => {
  it("kubectl get shows each level and what it sets, and the API server type-checks every yunshu admission policy clean", async () => {
    const table = await plane.kubectl(["get", "securityprofiles"]);
    expect(table.code, table.stderr).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^NAME +LEVEL +POD SECURITY +SERVICES +REGISTRIES +PULL +EGRESS PREFIX +MONITORING +INGRESS HOSTS +ENDPOINTS +AGE$/);
    expect(rows.map((r) => r.split(/ +/).slice(0, 3))).toEqual([
      ["mlps-2", "2", "baseline"],
      ["mlps-3", "3", "restricted"],
      ["mlps-4", "4", "restricted"],
    ]);
    const POLICIES: ResourceType = { group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingAdmissionPolicy", plural: "validatingadmissionpolicies", namespaced: false };
    type Policy = KubeObject & { status?: { observedGeneration?: number; typeChecking?: { expressionWarnings?: { fieldRef: string; warning: string }[] } } };
    const names = (await admin.list<Policy>(POLICIES, { labelSelector: "app.kubernetes.io/part-of=yunshu" })).items.map((p) => p.metadata.name);
    expect(names).toEqual(expect.arrayContaining(["pods", "services", "ingresses", "endpoints", "egress"].map((p) => `yunshu-profile-${p}`)));
    for (const name of names) {
      const policy = await eventually(`${name} to be type-checked`, async () => {
        const p = await admin.get<Policy>(POLICIES, name);
        return p?.status?.observedGeneration === p?.metadata.generation ? p : undefined;
      });
      expect(policy.status?.typeChecking?.expressionWarnings ?? [], name).toEqual([]);
    }
  });


  it("no department may change a profile or its namespace's level label, nor may a cluster admin relabel the level", async () => {
    for (const who of [alice, bob]) {
      const err = await refusal(who.mergePatch(SECURITY_PROFILE_RESOURCE, "mlps-3", { spec: { services: { allowedTypes: ["ClusterIP", "NodePort"] } } }));
      expect(err.status).toBe(403);
    }
    await refusedPatch(admin, NAMESPACES, ns(3), undefined, { metadata: { labels: { "yunshu.io/security-level": "2" } } }, "set by the yunshu operator only");
    expect((await admin.get<SecurityProfile & KubeObject>(SECURITY_PROFILE_RESOURCE, "mlps-3"))?.spec.services.allowedTypes).toEqual(["ClusterIP"]);
  });
});

describe("a profile change", () => {
  it("reaches every tenant of the level without an operator restart: Service types, quota and egress", async () => {
    await refusedCreate(alice, SERVICES, service("nodeport", 3, { type: "NodePort" }), "does not allow type NodePort");
    await admin.mergePatch(SECURITY_PROFILE_RESOURCE, "mlps-3", {
      spec: { services: { allowedTypes: ["ClusterIP", "NodePort"] }, quota: { hard: { configmaps: "60" } }, network: { minEgressPrefix: { ipv4: 20 } } },
    });
    await eventually("the API server to apply the changed profile", () =>
      alice.create(SERVICES, service("nodeport", 3, { type: "NodePort" })).then(
        () => true,
        () => false,
      ),
    );
    await eventually("bureau3's quota to follow the profile", async () => (await quotaOf(3)).configmaps === "60");
    // bureau4 is of another level: untouched.
    expect((await quotaOf(4)).configmaps).toBe(String(shippedProfile(4).spec.quota.hard.configmaps));
    // bureau3's 10.20.0.0/16 is now wider than /20: closed, and said so.
    const t = await waitForReason(plane, "bureau3", "EgressWiderThanProfile");
    expect(t.status?.conditions?.find((c) => c.type === "Ready")?.message).toContain("egress to 10.20.0.0/16 is wider than profile mlps-3 allows");
    const policy = await admin.get<NetworkPolicy>(NETWORK_POLICIES, "yunshu-baseline", ns(3));
    expect(policy?.spec.egress?.some((e) => e.to?.some((p) => p.ipBlock))).toBe(false);
  });

  it("a missing profile stops the operator from changing its tenants, and admission from admitting their pods", async () => {
    const saved = (await admin.get<SecurityProfile & KubeObject>(SECURITY_PROFILE_RESOURCE, "mlps-4"))!;
    await admin.delete(SECURITY_PROFILE_RESOURCE, "mlps-4");
    const t = await waitForReason(plane, "bureau4", "SecurityProfileNotFound");
    expect(t.status?.conditions?.find((c) => c.type === "Ready")?.message).toContain("SecurityProfile mlps-4 (securityLevel 4) does not exist");
    await eventually("pods at level 4 to be refused", () =>
      alice.create(PODS, pod("orphan", 4)).then(
        () => false,
        () => true,
      ),
    );
    await admin.create(SECURITY_PROFILE_RESOURCE, { apiVersion: saved.apiVersion, kind: saved.kind, metadata: { name: "mlps-4", labels: saved.metadata.labels }, spec: saved.spec } as KubeObject);
    await waitForReady(plane, "bureau4");
  });
});

describe("the shipped profiles", () => {
  it("are created by the operator when missing, and a tuned one is never overwritten, across a restart", async () => {
    await operator.stop();
    await admin.delete(SECURITY_PROFILE_RESOURCE, "mlps-2");
    await admin.mergePatch(SECURITY_PROFILE_RESOURCE, "mlps-4", { spec: { quota: { hard: { secrets: "42" } } } });
    operator = await startOperator(plane, identity);
    const recreated = await eventually("mlps-2 to be back", () => admin.get<SecurityProfile & KubeObject>(SECURITY_PROFILE_RESOURCE, "mlps-2"));
    expect(recreated.spec).toEqual(shippedProfile(2).spec);
    expect((await admin.get<SecurityProfile & KubeObject>(SECURITY_PROFILE_RESOURCE, "mlps-4"))?.spec.quota.hard.secrets).toBe("42");
    await waitForReady(plane, "bureau2");
  });
});
