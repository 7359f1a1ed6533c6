// The Tenant CRD refuses bad input at admission, in a real API server, with a
// message that says what is wrong: the operator never sees an invalid Tenant,
// and the platform engineer learns of the mistake from kubectl, not from a
// reconcile error later.
import { CustomObjectsApi } from "@kubernetes/client-node";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { TENANT_GROUP, TENANT_PLURAL, TENANT_VERSION, type Tenant, type TenantSpec } from "../../operator/api/generated.ts";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { apiFailure } from "../support/api-errors.ts";
import { eventually } from "../../tools/local/eventually.ts";

const CRD = fileURLToPath(new URL("../../crds/yunshu.io_tenants.yaml", import.meta.url));
const SAMPLE = fileURLToPath(new URL("../../crds/samples/tenant.yaml", import.meta.url));

/** The smallest valid spec; each invalid case breaks one thing in it. */
const minimal = (): TenantSpec => ({ displayName: "长沙市数据资源局", level: "city", owners: [{ kind: "User", name: "alice" }] });

function tenant(name: string, spec: TenantSpec): Tenant {
  return { apiVersion: `${TENANT_GROUP}/${TENANT_VERSION}`, kind: "Tenant", metadata: { name }, spec };
}

interface InvalidCase {
  breaks: string;
  name?: string;
  /** Returns the broken spec; `unknown` so that a case can break the types too. */
  spec: (spec: TenantSpec) => unknown;
  message: string;
  /** 422 unless said: unknown fields fail decoding (400), before validation. */
  code?: number;
}

const namespaces = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `ns${i}` }));

const invalid: InvalidCase[] = [
  { breaks: "tenant name with a dot", name: "hunan.data", spec: (s) => s, message: "metadata.name must be a DNS-1123 label" },
  { breaks: "tenant name in upper case", name: "Hunan", spec: (s) => s, message: "metadata.name must be a DNS-1123 label" },
  { breaks: "tenant name over 63 characters", name: "t".repeat(64), spec: (s) => s, message: "metadata.name: Too long: may not be more than 63" },
  {
    breaks: "<tenant>-<namespace> over 63 characters",
    name: "hunan-provincial-big-data-centre-and-data-bureau",
    spec: (s) => ({ ...s, namespaces: [{ name: "prod" }, { name: "stagingarea12345" }] }),
    message: 'namespace "hunan-provincial-big-data-centre-and-data-bureau-stagingarea12345" would be longer than 63 characters',
  },
  { breaks: "duplicate namespace", spec: (s) => ({ ...s, namespaces: [{ name: "prod" }, { name: "prod" }] }), message: 'spec.namespaces[1]: Duplicate value: {"name":"prod"}' },
  {
    breaks: "namespace name not one word of lower-case letters and digits",
    spec: (s) => ({ ...s, namespaces: [{ name: "Prod_1" }] }),
    message: 'spec.namespaces[0].name: Invalid value: "Prod_1": "Prod_1" is not a short namespace name',
  },
  { breaks: "namespace name over 63 characters", spec: (s) => ({ ...s, namespaces: [{ name: "n".repeat(64) }] }), message: "spec.namespaces[0].name: Too long" },
  { breaks: "more than 32 namespaces", spec: (s) => ({ ...s, namespaces: namespaces(33) }), message: "spec.namespaces: Too many: 33: must have at most 32 items" },
  { breaks: "no owners", spec: (s) => ({ ...s, owners: [] }), message: "spec.owners in body should have at least 1 items" },
  { breaks: "owners missing", spec: ({ owners: _, ...s }) => s, message: "spec.owners: Required value" },
  { breaks: "owner kind not User, Group or ServiceAccount", spec: (s) => ({ ...s, owners: [{ kind: "Robot", name: "r2" }] }), message: 'spec.owners[0].kind: Unsupported value: "Robot"' },
  {
    breaks: "ServiceAccount owner without a namespace",
    spec: (s) => ({ ...s, owners: [{ kind: "ServiceAccount", name: "deployer" }] }),
    message: "spec.owners[0].namespace: Required value: a ServiceAccount owner needs a namespace",
  },
  {
    breaks: "User owner with a namespace",
    spec: (s) => ({ ...s, owners: [{ kind: "User", name: "alice", namespace: "ci" }] }),
    message: "spec.owners[0].namespace: Forbidden: namespace is only allowed for a ServiceAccount owner; a User is not namespaced",
  },
  {
    breaks: "Group owner with a namespace",
    spec: (s) => ({ ...s, owners: [{ kind: "User", name: "alice" }, { kind: "Group", name: "ops", namespace: "ci" }] }),
    message: "spec.owners[1].namespace: Forbidden: namespace is only allowed for a ServiceAccount owner; a Group is not namespaced",
  },
  { breaks: "level not an administrative level", spec: (s) => ({ ...s, level: "state" }), message: 'spec.level: Unsupported value: "state"' },
  { breaks: "level missing", spec: ({ level: _, ...s }) => s, message: "spec.level: Required value" },
  { breaks: "securityLevel not 2, 3 or 4", spec: (s) => ({ ...s, securityLevel: 5 }), message: "spec.securityLevel: Unsupported value: 5" },
  { breaks: "deletionPolicy not Retain or Delete", spec: (s) => ({ ...s, deletionPolicy: "Orphan" }), message: 'spec.deletionPolicy: Unsupported value: "Orphan"' },
  { breaks: "displayName missing", spec: ({ displayName: _, ...s }) => s, message: "spec.displayName: Required value" },
  { breaks: "displayName empty", spec: (s) => ({ ...s, displayName: "" }), message: "spec.displayName in body should be at least 1 chars long" },
  { breaks: "displayName over 128 characters", spec: (s) => ({ ...s, displayName: "湖".repeat(129) }), message: "spec.displayName: Too long: may not be more than 128" },
  { breaks: "code not a unified social credit code", spec: (s) => ({ ...s, code: "91430000MA4L1234IO" }), message: "spec.code in body should match" },
  { breaks: "quota value not a quantity", spec: (s) => ({ ...s, quota: { hard: { "requests.cpu": "8 cores" } } }), message: 'spec.quota.hard[requests.cpu]: Invalid value: "8 cores": "8 cores" is not a quantity' },
  { breaks: "negative quota (string)", spec: (s) => ({ ...s, quota: { hard: { "limits.memory": "-1Gi" } } }), message: 'spec.quota.hard[limits.memory]: Invalid value: "-1Gi": "-1Gi" is negative' },
  { breaks: "negative quota (integer)", spec: (s) => ({ ...s, quota: { hard: { pods: -5 } } }), message: 'spec.quota.hard[pods]: Invalid value: -5: "-5" is negative' },
  {
    breaks: "quota key not a ResourceQuota resource name",
    spec: (s) => ({ ...s, quota: { hard: { pods: "10", gpus: "2" } } }),
    message: "spec.quota.hard: Invalid value: not a ResourceQuota resource name: gpus",
  },
  {
    breaks: "extended resource quota without the requests. prefix",
    spec: (s) => ({ ...s, quota: { hard: { "nvidia.com/gpu": "2" } } }),
    message: "not a ResourceQuota resource name: nvidia.com/gpu",
  },
  { breaks: "limit value not a quantity", spec: (s) => ({ ...s, limits: { max: { memory: "lots" } } }), message: 'spec.limits.max[memory]: Invalid value: "lots": "lots" is not a quantity' },
  { breaks: "limits key not a container resource", spec: (s) => ({ ...s, limits: { min: { "nvidia.com/gpu": "1" } } }), message: "spec.limits.min: Invalid value: not a container resource: nvidia.com/gpu" },
  {
    breaks: "defaultRequest above default",
    spec: (s) => ({ ...s, limits: { defaultRequest: { cpu: "1", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" } } }),
    message: "spec.limits.defaultRequest: Invalid value: defaultRequest.cpu (1) must not exceed default.cpu (500m)",
  },
  {
    breaks: "min above max",
    spec: (s) => ({ ...s, limits: { min: { memory: "1Gi" }, max: { memory: "512Mi" } } }),
    message: "spec.limits.min: Invalid value: min.memory (1Gi) must not exceed max.memory (512Mi)",
  },
  {
    breaks: "default above max",
    spec: (s) => ({ ...s, limits: { default: { cpu: 4 }, max: { cpu: "2" } } }),
    message: "spec.limits.default: Invalid value: default.cpu (4) must not exceed max.cpu (2)",
  },
  { breaks: "egress CIDR not a CIDR", spec: (s) => ({ ...s, network: { egressCIDRs: ["10.20.0.0/33"] } }), message: 'spec.network.egressCIDRs[0]: Invalid value: "10.20.0.0/33": "10.20.0.0/33" is not a CIDR' },
  { breaks: "duplicate egress CIDR", spec: (s) => ({ ...s, network: { egressCIDRs: ["10.20.0.0/16", "10.20.0.0/16"] } }), message: 'spec.network.egressCIDRs[1]: Duplicate value: "10.20.0.0/16"' },
  { breaks: "a tenant as its own parent", name: "loop", spec: (s) => ({ ...s, parent: "loop" }), message: "spec.parent: Invalid value: a tenant cannot be its own parent" },
  { breaks: "a parent that is not a tenant name", spec: (s) => ({ ...s, parent: "Changsha City" }), message: "spec.parent in body should match" },
  { breaks: "unknown field in spec", spec: (s) => ({ ...s, colour: "red" }), message: 'unknown field "spec.colour"', code: 400 },
  {
    breaks: "unknown field in an owner (RBAC's apiGroup)",
    spec: (s) => ({ ...s, owners: [{ kind: "Group", name: "ops", apiGroup: "rbac.authorization.k8s.io" }] }),
    message: 'unknown field "spec.owners[0].apiGroup"',
    code: 400,
  },
];

/** Valid but unusual specs: guards against rules that refuse more than they should. */
const validEdges: { shows: string; name?: string; spec: (spec: TenantSpec) => TenantSpec }[] = [
  { shows: "a 128-character Chinese displayName", spec: (s) => ({ ...s, displayName: "湖".repeat(128) }) },
  { shows: "a namespace name exactly 63 characters long", name: "t".repeat(61), spec: (s) => ({ ...s, namespaces: [{ name: "a" }] }) },
  { shows: "a ServiceAccount owner with a namespace", spec: (s) => ({ ...s, owners: [{ kind: "ServiceAccount", name: "deployer", namespace: "ci" }] }) },
  {
    shows: "object counts, extended resources and integer quantities in the quota",
    spec: (s) => ({ ...s, quota: { hard: { "count/deployments.apps": 20, "requests.nvidia.com/gpu": "2", pods: 0, "requests.storage": "1.5Ti" } } }),
  },
  { shows: "a full, ordered limit range", spec: (s) => ({ ...s, limits: { min: { cpu: "10m" }, defaultRequest: { cpu: "100m" }, default: { cpu: "1" }, max: { cpu: 2 } } }) },
  { shows: "0.0.0.0/0 at securityLevel 2", spec: (s) => ({ ...s, securityLevel: 2, network: { egressCIDRs: ["0.0.0.0/0", "2001:db8::/32"] } }) },
  { shows: "a valid unified social credit code", spec: (s) => ({ ...s, code: "11430000MB1234567X" }) },
];

describe("Tenant admission", () => {
  let plane: ControlPlane;
  let objects: CustomObjectsApi;

  const create = (body: unknown) =>
    objects.createClusterCustomObject({ group: TENANT_GROUP, version: TENANT_VERSION, plural: TENANT_PLURAL, body, fieldValidation: "Strict" }) as Promise<Tenant>;
  const read = (name: string) => objects.getClusterCustomObject({ group: TENANT_GROUP, version: TENANT_VERSION, plural: TENANT_PLURAL, name }) as Promise<Tenant>;
  const kubectl = async (args: string[]) => {
    const result = await plane.kubectl(args);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${result.stderr}`);
    return result.stdout;
  };

  beforeAll(async () => {
    plane = await ControlPlane.start({ name: "tenant-admission" });
    objects = plane.kubeConfig().makeApiClient(CustomObjectsApi);
    // The API server compiles and costs every CEL rule here: a rule over
    // budget fails this apply, not a later create.
    await kubectl(["apply", "--server-side", "-f", CRD]);
    await kubectl(["wait", "--for=condition=Established", "--timeout=60s", "crd/tenants.yunshu.io"]);
    // Established can precede the handler serving the new resource.
    await eventually("tenants to be served", () =>
      objects.listClusterCustomObject({ group: TENANT_GROUP, version: TENANT_VERSION, plural: TENANT_PLURAL }).then(() => true),
    );
  });

  afterAll(async () => {
    await plane?.stop();
  });

  it("accepts the sample tenant as written", async () => {
    await kubectl(["apply", "--server-side", "--validate=strict", "-f", SAMPLE]);
    const sample = parse(readFileSync(SAMPLE, "utf8")) as Tenant;
    expect((await read(sample.metadata.name)).spec).toEqual(sample.spec);
  });

  it("fills in securityLevel 3 and deletionPolicy Retain when they are left out", async () => {
    const spec = (parse(readFileSync(SAMPLE, "utf8")) as Tenant).spec;
    delete spec.securityLevel;
    delete spec.deletionPolicy;
    const created = await create(tenant("defaults", spec));
    expect(created.spec.securityLevel).toBe(3);
    expect(created.spec.deletionPolicy).toBe("Retain");
    expect(created.spec.displayName).toBe("湖南省数据局");
  });

  it.each(validEdges.map((c, i) => ({ ...c, name: c.name ?? `edge-${i}` })))("accepts $shows", async ({ name, spec }) => {
    const created = await create(tenant(name, spec(minimal())));
    expect(created.metadata.name).toBe(name);
  });

  it.each(invalid.map((c, i) => ({ ...c, name: c.name ?? `invalid-${i}` })))("refuses $breaks", async ({ name, spec, message, code }) => {
    const body = { apiVersion: `${TENANT_GROUP}/${TENANT_VERSION}`, kind: "Tenant", metadata: { name }, spec: spec(minimal()) };
    const failure = await apiFailure(create(body));
    expect(failure.message).toContain(message);
    expect(failure.code).toBe(code ?? 422);
  });

  it("explains the quota and the owners to kubectl explain", async () => {
    // The OpenAPI document that explain reads is published shortly after the CRD.
    const quota = await eventually("explain tenant.spec.quota", () =>
      plane.kubectl(["explain", "tenant.spec.quota"]).then((r) => r.code === 0 && r.stdout.replace(/\s+/g, " ")),
    );
    expect(quota).toContain("Tenant-wide hard limits: what all the tenant's namespaces together may request or create.");
    expect(quota).toContain("extended resources `requests.<domain>/<name>`");

    const owners = (await kubectl(["explain", "tenant.spec.owners"])).replace(/\s+/g, " ");
    expect(owners).toContain("Each becomes a subject of the tenant-admin RoleBinding in every namespace of the tenant");
    expect(owners).toContain("Required for a ServiceAccount, forbidden for a User or a Group");

    const securityLevel = (await kubectl(["explain", "tenant.spec.securityLevel"])).replace(/\s+/g, " ");
    expect(securityLevel).toContain("It selects the SecurityProfile mlps-<level> (kubectl get securityprofiles)");
  });

  it("prints the printer columns, and answers to the short name and category", async () => {
    await kubectl(["apply", "--server-side", "-f", SAMPLE]);
    await kubectl([
      "patch", "tenant", "hunan-data-bureau", "--subresource=status", "--type=merge", "-p",
      JSON.stringify({
        status: {
          namespaceCount: 2,
          conditions: [{ type: "Ready", status: "True", reason: "Reconciled", message: "all objects as declared", lastTransitionTime: "2026-01-01T00:00:00Z" }],
        },
      }),
    ]);
    const table = await kubectl(["get", "tenants"]);
    const [header, ...rows] = table.trimEnd().split("\n");
    expect(header?.split(/\s{2,}/)).toEqual(["NAME", "DISPLAY NAME", "LEVEL", "PARENT", "NAMESPACES", "READY", "AGE"]);
    const row = rows.find((line) => line.startsWith("hunan-data-bureau "));
    expect(row?.split(/\s+/).slice(0, 5)).toEqual(["hunan-data-bureau", "湖南省数据局", "province", "2", "True"]);

    expect(await kubectl(["get", "tn", "hunan-data-bureau", "-o", "name"])).toBe("tenant.yunshu.io/hunan-data-bureau\n");
    expect(await kubectl(["get", "yunshu", "-o", "name"])).toContain("tenant.yunshu.io/hunan-data-bureau\n");
  });

  it("ignores status in a create: only the operator, through /status, writes it", async () => {
    // Otherwise anyone who may edit a Tenant could also claim it is Ready.
    const created = await create({ ...tenant("status-ignored", minimal()), status: { namespaceCount: 7 } });
    expect(created.status).toBeUndefined();
  });
});
