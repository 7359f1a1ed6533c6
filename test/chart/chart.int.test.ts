// The Helm chart, checked with the real helm (built from its Go module) and
// a real API server: helm's own lint, schema and packaging; that what it
// installs from crds/ is crds/, unchanged; that the operator's Deployment is
// what production needs; and that the rendered manifests are accepted by
// Kubernetes, Pod Security "restricted" included.
import {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  RbacAuthorizationV1Api,
  type V1Container,
  type V1Deployment,
  type V1Lease,
  type V1Pod,
  type V1Service,
} from "@kubernetes/client-node";
import { lstat, mkdtemp, readFile, readdir, readlink, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ControlPlane } from "../../tools/controlplane/controlplane.ts";
import { apiFailure } from "../support/api-errors.ts";
import { ensureHelm } from "../../tools/toolchain/helm.ts";
import { CHART_DIR, findObject, Helm, NAMESPACE, objectKey, parseManifests, REPO_ROOT, type KubeObject } from "./helm.ts";

const CRDS_DIR = join(REPO_ROOT, "crds");
/** The chart templates its own ServiceAccount and binding instead. */
const IDENTITY_FILE = "operator-identity.yaml";
const OPERATOR_USER = `system:serviceaccount:${NAMESPACE}:yunshu-operator`;
const MONITORING_ON = ["--set", "serviceMonitor.enabled=true", "--set", "prometheusRule.enabled=true", "--set", "grafanaDashboard.enabled=true"];

let helm: Helm;

beforeAll(async () => {
  helm = new Helm(await ensureHelm());
}, 1_800_000);

afterAll(async () => {
  if (helm) await rm(helm.home, { recursive: true, force: true });
});

async function crdsManifests(file: string): Promise<KubeObject[]> {
  return parseManifests(await readFile(join(CRDS_DIR, file), "utf8"));
}

/** Objects the chart's own templates make carry Helm's label; what comes from crds/ does not. */
const fromCrds = (objects: KubeObject[]) => objects.filter((o) => o.metadata.labels?.["app.kubernetes.io/managed-by"] !== "Helm");

const deploymentOf = (objects: KubeObject[]) => findObject(objects, "Deployment", "yunshu-operator") as unknown as V1Deployment;

function operatorContainer(deployment: V1Deployment): V1Container {
  const container = deployment.spec?.template.spec?.containers.find((c) => c.name === "operator");
  if (!container) throw new Error("the Deployment has no container named operator");
  return container;
}

describe("helm's own checks", () => {
  it("lint --strict passes, with the monitoring objects off and on", async () => {
    for (const extra of [[], MONITORING_ON]) {
      const result = await helm.run(["lint", CHART_DIR, "--strict", "--namespace", NAMESPACE, ...extra]);
      expect(result.stderr + result.stdout, `helm lint ${extra.join(" ")}`).toContain("1 chart(s) linted, 0 chart(s) failed");
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    }
  });

  it("refuses to render outside yunshu-system, and says why", async () => {
    const result = await helm.run(["template", "yunshu", CHART_DIR, "--namespace", "platform"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('yunshu must be installed into namespace yunshu-system, not "platform"');
    expect(result.stderr).toContain(`let only the ServiceAccount ${OPERATOR_USER} change the objects yunshu manages`);
  });

  const badValues: [string, string, string][] = [
    ["replicas=0", "/replicas", "minimum: got 0, want 1"],
    ["replica=3", "", "additional properties 'replica' not allowed"],
    ["image.repository=", "/image/repository", "does not match pattern"],
    ["image.tag=v1 beta", "/image/tag", "'v1 beta' does not match pattern"],
    ["image.digest=sha256:abc", "/image/digest", "'sha256:abc' does not match pattern"],
    ["image.pullPolicy=Sometimes", "/image/pullPolicy", "value must be one of 'Always', 'IfNotPresent', 'Never'"],
    ["logLevel=verbose", "/logLevel", "value must be one of 'debug', 'info', 'warn', 'error'"],
    ["resources.requests.cpu=lots", "/resources/requests/cpu", "'lots' does not match pattern"],
    ["resources.requests=null", "/resources", "missing property 'requests'"],
    ["extraArgs[0]=workers", "/extraArgs/0", "'workers' does not match pattern '^--[a-z]'"],
    ["serviceMonitor.interval=often", "/serviceMonitor/interval", "'often' does not match pattern"],
    ["serviceMonitor.tokenSecret.name=prometheus-token", "/serviceMonitor/tokenSecret", "properties 'key' required, if 'name' exists"],
  ];
  it.each(badValues)("values.schema.json refuses --set %s at %s", async (set, path, message) => {
    const result = await helm.run(["template", "yunshu", CHART_DIR, "--namespace", NAMESPACE, "--set", set]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema(s)");
    expect(result.stderr).toContain(`- at '${path}': `);
    expect(result.stderr).toContain(message);
  });

  it("refuses extra flags that would undo what the chart sets, and says why", async () => {
    for (const flag of ["--leader-election-id=other", "--http-bind-address=:9090", "--leader-elect=false", "--log-level=debug", "--metrics-auth=false", "--tls-cert-file=/x"]) {
      const result = await helm.run(["template", "yunshu", CHART_DIR, "--namespace", NAMESPACE, "--set", `extraArgs={${flag}}`]);
      expect(result.code, flag).not.toBe(0);
      expect(result.stderr).toContain(`extraArgs: ${flag} is set by the chart itself`);
    }
  });

  it("accepts a private registry with a port, a digest and extra flags", async () => {
    const digest = `sha256:${"ab".repeat(32)}`;
    const objects = await helm.template([
      "--set", "image.repository=harbor.hunan.gov.cn:8443/yunshu/operator",
      "--set", `image.digest=${digest}`,
      "--set", "replicas=3",
      "--set", "extraArgs={--workers=8,--qps=100}",
    ]);
    const deployment = deploymentOf(objects);
    expect(deployment.spec?.replicas).toBe(3);
    expect(operatorContainer(deployment).image).toBe(`harbor.hunan.gov.cn:8443/yunshu/operator@${digest}`);
    expect(operatorContainer(deployment).args?.slice(-2)).toEqual(["--workers=8", "--qps=100"]);
  });

  it("packages into plain files that render exactly as the chart directory does", async () => {
    const out = await mkdtemp(join(tmpdir(), "yunshu-chart-"));
    try {
      const result = await helm.run(["package", CHART_DIR, "--destination", out]);
      expect(result.code, result.stderr).toBe(0);
      const packaged = join(out, "yunshu-0.1.0.tgz");
      const listing = await helm.run(["show", "crds", packaged]);
      expect(parseManifests(listing.stdout).map(objectKey)).toEqual([
        "CustomResourceDefinition capacitypools.yunshu.io",
        "CustomResourceDefinition clusters.yunshu.io",
        "CustomResourceDefinition offboardingrecords.yunshu.io",
        "CustomResourceDefinition pricesheets.yunshu.io",
        "CustomResourceDefinition securityprofiles.yunshu.io",
        "CustomResourceDefinition shareactions.yunshu.io",
        "CustomResourceDefinition shares.yunshu.io",
        "CustomResourceDefinition tenantrequests.yunshu.io",
        "CustomResourceDefinition tenants.yunshu.io",
      ]);
      for (const args of [["--include-crds"], ["--include-crds", ...MONITORING_ON]]) {
        expect(await helm.templateText(args, packaged)).toBe(await helm.templateText(args));
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe("one source: crds/", () => {
  it("the chart holds symlinks into crds/, never copies", async () => {
    for (const dir of ["crds", join("files", "shared")]) {
      for (const name of await readdir(join(CHART_DIR, dir))) {
        const path = join(CHART_DIR, dir, name);
        const stat = await lstat(path);
        expect(stat.isSymbolicLink(), `charts/yunshu/${dir}/${name} must be a symlink to crds/${name}, not a copy`).toBe(true);
        expect(await realpath(path)).toBe(join(await realpath(CRDS_DIR), name));
        // Relative, so that it holds in every clone.
        expect(await readlink(path)).toBe(relative(join(CHART_DIR, dir), join(CRDS_DIR, name)));
      }
    }
  });

  it("installs exactly crds/'s CRDs, ClusterRoles and admission policies, unchanged", async () => {
    const rendered = fromCrds(await helm.template(["--include-crds"]));
    const files = (await readdir(CRDS_DIR)).filter((f) => f.endsWith(".yaml") && f !== IDENTITY_FILE);
    const expected = new Map<string, KubeObject>();
    const fileOf = new Map<string, string>();
    for (const file of files) {
      for (const obj of await crdsManifests(file)) {
        expected.set(objectKey(obj), obj);
        fileOf.set(objectKey(obj), file);
      }
    }

    const missing = [...expected.keys()].filter((key) => !rendered.some((o) => objectKey(o) === key)).map((key) => `${key} (crds/${fileOf.get(key)})`);
    expect(
      missing,
      "objects in crds/ that the chart does not install: link their file from charts/yunshu/crds/ (a CRD: " +
        "ln -s ../../../crds/<file> charts/yunshu/crds/) or charts/yunshu/files/shared/ (anything else: " +
        "ln -s ../../../../crds/<file> charts/yunshu/files/shared/)",
    ).toEqual([]);
    const extra = rendered.map(objectKey).filter((key) => !expected.has(key));
    expect(extra, "objects the chart installs without Helm's labels that crds/ does not hold").toEqual([]);
    for (const obj of rendered) expect(obj, objectKey(obj)).toEqual(expected.get(objectKey(obj)));
  });

  it("leaves the finalizer's MutatingAdmissionPolicy to an installer that creates it itself, and nothing else", async () => {
    const kindsOf = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
    const all = kindsOf(await helm.template());
    const without = kindsOf(await helm.template(["--set", "tenantFinalizerPolicy=false"]));
    expect(all.filter((k) => !without.includes(k))).toEqual(["MutatingAdmissionPolicy/yunshu-tenant-finalizer", "MutatingAdmissionPolicyBinding/yunshu-tenant-finalizer"]);
    expect(without.filter((k) => !all.includes(k))).toEqual([]);
  });

  it("gives the operator the identity that crds/operator-identity.yaml and the admission policies name", async () => {
    const identity = await crdsManifests(IDENTITY_FILE);
    const rendered = await helm.template();
    const account = findObject(rendered, "ServiceAccount", "yunshu-operator");
    const wanted = findObject(identity, "ServiceAccount", "yunshu-operator");
    expect(account.metadata.namespace).toBe(wanted.metadata.namespace);
    const binding = findObject(rendered, "ClusterRoleBinding", "yunshu-operator");
    const wantedBinding = findObject(identity, "ClusterRoleBinding", "yunshu-operator");
    expect(binding.roleRef).toEqual(wantedBinding.roleRef);
    expect(binding.subjects).toEqual(wantedBinding.subjects);
    expect(deploymentOf(rendered).spec?.template.spec?.serviceAccountName).toBe(account.metadata.name);
    // The same lease access as `yunshu install` gives, get and update
    // narrowed to the one Lease the chart's operator uses.
    // So are the member clusters' kubeconfig Secrets, read in that namespace only.
    for (const name of ["yunshu-operator-leader-election", "yunshu-operator-cluster-credentials"]) {
      const role = findObject(rendered, "Role", name);
      const wantedRole = findObject(identity, "Role", name);
      expect(role.metadata.namespace).toBe(wantedRole.metadata.namespace);
      const verbs = (r: KubeObject) => (r.rules as { resources: string[]; verbs: string[] }[]).flatMap((rule) => rule.verbs.map((v) => `${rule.resources.join(",")}:${v}`)).sort();
      expect(verbs(role)).toEqual(verbs(wantedRole));
      const roleBinding = findObject(rendered, "RoleBinding", name);
      const wantedRoleBinding = findObject(identity, "RoleBinding", name);
      expect(roleBinding.roleRef).toEqual(wantedRoleBinding.roleRef);
      expect(roleBinding.subjects).toEqual(wantedRoleBinding.subjects);
    }
    const policies = await readFile(join(CRDS_DIR, "admission-policies.yaml"), "utf8");
    expect(policies).toContain(`'system:serviceaccount:${account.metadata.namespace}:${account.metadata.name}'`);
  });
});

describe("the operator's Deployment", () => {
  it("runs two replicas of the image with leader election, its flags and probes", async () => {
    const deployment = deploymentOf(await helm.template(["--set", "logLevel=debug"]));
    expect(deployment.metadata?.namespace).toBe(NAMESPACE);
    expect(deployment.spec?.replicas).toBe(2);
    const container = operatorContainer(deployment);
    expect(container.image).toBe("registry.invalid/yunshu/operator:0.1.0");
    expect(container.args).toEqual(["operator", "--leader-elect", "--http-bind-address=:8080", "--log-level=debug"]);
    expect(container.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    expect(container.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container.readinessProbe?.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(container.resources?.requests).toEqual({ cpu: "100m", memory: "256Mi" });
    expect(container.resources?.limits).toEqual({ memory: "320Mi" });
    // The heap bound make bench measures its resident memory with, inside the limit.
    expect(container.env).toEqual([{ name: "NODE_OPTIONS", value: "--max-semi-space-size=4 --max-old-space-size=160" }]);
    const raised = operatorContainer(deploymentOf(await helm.template(["--set", "heapLimitMiB=512", "--set", "resources.limits.memory=1Gi"])));
    expect(raised.env).toEqual([{ name: "NODE_OPTIONS", value: "--max-semi-space-size=4 --max-old-space-size=512" }]);
  });

  it("serves HTTPS from a TLS Secret when given one, probes and scrapes included", async () => {
    const objects = await helm.template([...MONITORING_ON, "--set", "tls.secretName=yunshu-operator-tls"]);
    const deployment = deploymentOf(objects);
    const container = operatorContainer(deployment);
    expect(container.args).toEqual(expect.arrayContaining(["--tls-cert-file=/etc/yunshu/tls/tls.crt", "--tls-private-key-file=/etc/yunshu/tls/tls.key"]));
    expect(container.volumeMounts).toContainEqual({ name: "tls", mountPath: "/etc/yunshu/tls", readOnly: true });
    expect(deployment.spec?.template.spec?.volumes).toContainEqual({ name: "tls", secret: { secretName: "yunshu-operator-tls" } });
    expect(container.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "http", scheme: "HTTPS" });
    expect(container.readinessProbe?.httpGet).toEqual({ path: "/readyz", port: "http", scheme: "HTTPS" });
    const endpoint = (findObject(objects, "ServiceMonitor", "yunshu-operator") as KubeObject & { spec: { endpoints: Record<string, unknown>[] } }).spec.endpoints[0];
    expect(endpoint).toMatchObject({ scheme: "https", tlsConfig: { serverName: `yunshu-operator.${NAMESPACE}.svc`, ca: { secret: { name: "yunshu-operator-tls", key: "ca.crt" } } } });
  });

  it("spreads its replicas over nodes and keeps one through a drain", async () => {
    const objects = await helm.template();
    const deployment = deploymentOf(objects);
    const selector = deployment.spec?.selector.matchLabels;
    const spread = deployment.spec?.template.spec?.topologySpreadConstraints ?? [];
    expect(spread.map((c) => c.topologyKey)).toContain("kubernetes.io/hostname");
    for (const c of spread) expect(c.labelSelector?.matchLabels).toEqual(selector);
    const pdb = findObject(objects, "PodDisruptionBudget", "yunshu-operator") as { spec?: { minAvailable?: number; selector?: { matchLabels?: unknown } } };
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: selector } });
    // One replica cannot keep one available through a drain: no budget then.
    expect((await helm.template(["--set", "replicas=1"])).map((o) => o.kind)).not.toContain("PodDisruptionBudget");
  });

  it("runs restricted: non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp", async () => {
    const deployment = deploymentOf(await helm.template());
    const spec = deployment.spec?.template.spec;
    expect(spec?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } });
    expect(operatorContainer(deployment).securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(spec?.volumes?.every((v) => v.emptyDir !== undefined)).toBe(true);
  });

  it("scopes its lease access to a Role in its own namespace", async () => {
    const objects = await helm.template();
    const role = findObject(objects, "Role", "yunshu-operator-leader-election");
    expect(role.metadata.namespace).toBe(NAMESPACE);
    expect(role.rules).toEqual([
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "update"], resourceNames: ["yunshu-operator"] },
    ]);
    const binding = findObject(objects, "RoleBinding", "yunshu-operator-leader-election");
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "yunshu-operator", namespace: NAMESPACE }]);
  });
});

describe("the console", () => {
  const CONSOLE_ON = ["--set", "console.enabled=true", "--set", "console.tls.secretName=yunshu-console-tls", "--set", "tls.secretName=yunshu-operator-tls"];

  it("is off by default, and refuses to render without HTTPS for itself and for the operator's view", async () => {
    expect((await helm.template()).filter((o) => o.metadata.name === "yunshu-console")).toEqual([]);
    const noTls = await helm.run(["template", "yunshu", CHART_DIR, "--namespace", NAMESPACE, "--set", "console.enabled=true"]);
    expect(noTls.code).not.toBe(0);
    expect(noTls.stderr).toContain("console.tls.secretName is required with console.enabled");
    const noOperatorTls = await helm.run(["template", "yunshu", CHART_DIR, "--namespace", NAMESPACE, "--set", "console.enabled=true", "--set", "console.tls.secretName=c"]);
    expect(noOperatorTls.code).not.toBe(0);
    expect(noOperatorTls.stderr).toContain("console.enabled needs tls.secretName too");
  });

  it("runs with no credentials of its own, restricted, over HTTPS, reading through the operator's view", async () => {
    const objects = await helm.template(CONSOLE_ON);
    const account = findObject(objects, "ServiceAccount", "yunshu-console") as KubeObject & { automountServiceAccountToken?: boolean };
    expect(account.automountServiceAccountToken).toBe(false);
    // Bound to nothing: no binding in the chart names it.
    expect(JSON.stringify(objects.filter((o) => o.kind.endsWith("Binding")))).not.toContain("yunshu-console");
    const deployment = findObject(objects, "Deployment", "yunshu-console") as unknown as V1Deployment;
    const pod = deployment.spec!.template.spec!;
    expect(pod.automountServiceAccountToken).toBe(false);
    const container = pod.containers[0]!;
    expect(container.args).toEqual(
      expect.arrayContaining([
        "console",
        "--api-server=https://kubernetes.default.svc",
        `--yunshu-url=https://yunshu-operator.${NAMESPACE}.svc:8080`,
        "--tls-cert-file=/etc/yunshu/tls/tls.crt",
      ]),
    );
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(pod.volumes).toContainEqual({ name: "operator-ca", secret: { secretName: "yunshu-operator-tls", items: [{ key: "ca.crt", path: "ca.crt" }] } });
    const service = findObject(objects, "Service", "yunshu-console") as unknown as V1Service;
    expect(service.spec?.selector).toEqual(deployment.spec?.selector.matchLabels);
    // The operator's Service must not select the console's pod, nor the console's the operator's.
    expect(service.spec?.selector).not.toEqual(deploymentOf(objects).spec?.selector.matchLabels);
  });
});

describe("monitoring objects", () => {
  it("are off by default", async () => {
    const kinds = (await helm.template()).map((o) => o.kind);
    expect(kinds).not.toContain("ServiceMonitor");
    expect(kinds).not.toContain("PrometheusRule");
    expect(kinds).not.toContain("ConfigMap");
  });

  it("scrape the metrics Service as job yunshu-operator, the job the alerts select", async () => {
    const objects = await helm.template([...MONITORING_ON, "--set", "serviceMonitor.labels.release=kube-prometheus-stack"]);
    const service = findObject(objects, "Service", "yunshu-operator") as unknown as V1Service;
    const monitor = findObject(objects, "ServiceMonitor", "yunshu-operator") as KubeObject & {
      spec: { selector: { matchLabels: Record<string, string> }; namespaceSelector: unknown; endpoints: Record<string, unknown>[] };
    };
    expect(monitor.apiVersion).toBe("monitoring.coreos.com/v1");
    expect(monitor.metadata.labels?.release).toBe("kube-prometheus-stack");
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [NAMESPACE] });
    for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) expect(service.metadata?.labels?.[k]).toBe(v);
    expect(service.spec?.selector).toEqual(deploymentOf(objects).spec?.selector.matchLabels);
    const [health, metering] = monitor.spec.endpoints;
    expect(health).toMatchObject({ port: "metrics", path: "/metrics", interval: "30s" });
    // Chargeback's many series, scraped apart and less often.
    expect(metering).toMatchObject({ port: "metrics", path: "/metrics/metering", interval: "60s" });
    expect(monitor.spec.endpoints).toHaveLength(2);
    for (const endpoint of [health, metering]) {
      // The metering series' namespace label is the tenant namespace, not the target's.
      expect(endpoint?.honorLabels).toBe(true);
      expect(endpoint?.relabelings).toEqual([{ action: "replace", targetLabel: "job", replacement: "yunshu-operator" }]);
    }
    expect(service.spec?.ports).toEqual([{ name: "metrics", port: 8080, targetPort: "http", protocol: "TCP" }]);
  });

  it("scrape with Prometheus's ServiceAccount token, or a token from a Secret", async () => {
    const endpointOf = async (args: string[]) =>
      (findObject(await helm.template([...MONITORING_ON, ...args]), "ServiceMonitor", "yunshu-operator") as KubeObject & { spec: { endpoints: Record<string, unknown>[] } }).spec
        .endpoints[0];
    const byFile = await endpointOf([]);
    expect(byFile?.bearerTokenFile).toBe("/var/run/secrets/kubernetes.io/serviceaccount/token");
    expect(byFile?.authorization).toBeUndefined();
    const bySecret = await endpointOf(["--set", "serviceMonitor.tokenSecret.name=prometheus-token", "--set", "serviceMonitor.tokenSecret.key=token"]);
    expect(bySecret?.authorization).toEqual({ type: "Bearer", credentials: { name: "prometheus-token", key: "token" } });
    expect(bySecret?.bearerTokenFile).toBeUndefined();
  });

  it("carry files/alerts.yaml unchanged in the PrometheusRule", async () => {
    const rule = findObject(await helm.template(MONITORING_ON), "PrometheusRule", "yunshu-operator") as KubeObject & { spec: unknown };
    expect(rule.apiVersion).toBe("monitoring.coreos.com/v1");
    expect(rule.metadata.namespace).toBe(NAMESPACE);
    const alerts = parse(await readFile(join(CHART_DIR, "files", "alerts.yaml"), "utf8")) as { groups: unknown };
    expect(rule.spec).toEqual({ groups: alerts.groups });
  });

  it("carry files/metering-rules.yaml unchanged in a PrometheusRule of its own", async () => {
    const objects = await helm.template(MONITORING_ON);
    const rule = findObject(objects, "PrometheusRule", "yunshu-operator-metering") as KubeObject & { spec: unknown };
    expect(rule.metadata.namespace).toBe(NAMESPACE);
    const metering = parse(await readFile(join(CHART_DIR, "files", "metering-rules.yaml"), "utf8")) as { groups: unknown };
    expect(rule.spec).toEqual({ groups: metering.groups });
    expect(objects.filter((o) => o.kind === "PrometheusRule").map((o) => o.metadata.name).sort()).toEqual(["yunshu-operator", "yunshu-operator-metering"]);
  });

  it("carry files/dashboard.json in a ConfigMap for Grafana's sidecar", async () => {
    const map = findObject(await helm.template(MONITORING_ON), "ConfigMap", "yunshu-operator-dashboard") as KubeObject & { data: Record<string, string> };
    expect(map.metadata.labels?.grafana_dashboard).toBe("1");
    const dashboard: unknown = JSON.parse(await readFile(join(CHART_DIR, "files", "dashboard.json"), "utf8"));
    expect(Object.keys(map.data)).toEqual(["yunshu-operator.json"]);
    expect(JSON.parse(map.data["yunshu-operator.json"]!)).toEqual(dashboard);
  });
});

describe("on a real API server", () => {
  let plane: ControlPlane;
  let manifests: string;
  let objects: KubeObject[];

  beforeAll(async () => {
    plane = await ControlPlane.start({ name: "chart" });
    manifests = await helm.templateText(["--include-crds"]);
    objects = parseManifests(manifests);
    // What `helm install --create-namespace` leaves out: Pod Security for the
    // operator's own namespace.
    const ns = await plane.kubectl(["create", "namespace", NAMESPACE]);
    expect(ns.code, ns.stderr).toBe(0);
    const label = await plane.kubectl(["label", "namespace", NAMESPACE, "pod-security.kubernetes.io/enforce=restricted"]);
    expect(label.code, label.stderr).toBe(0);
  });

  afterAll(async () => {
    await plane?.stop();
  });

  it("accepts the rendered manifests with a server-side dry run, then for real", async () => {
    const apply = (...flags: string[]) => plane.kubectl(["apply", "--server-side", "--field-manager=yunshu-chart-test", ...flags, "-f", "-"], undefined, manifests);
    // A dry run creates nothing, so what goes into the namespace the chart
    // creates (yunshu-clusters) needs that namespace first, as helm install
    // orders it.
    const namespaces = objects.filter((o) => o.kind === "Namespace");
    expect(namespaces.map((o) => o.metadata.name)).toEqual(["yunshu-clusters"]);
    const created = await plane.kubectl(["apply", "--server-side", "--field-manager=yunshu-chart-test", "-f", "-"], undefined, JSON.stringify({ apiVersion: "v1", kind: "List", items: namespaces }));
    expect(created.code, created.stderr).toBe(0);
    const dryRun = await apply("--dry-run=server");
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout.trim().split("\n")).toHaveLength(objects.length);
    expect(await plane.kubectl(["get", "deployment", "yunshu-operator", "-n", NAMESPACE])).toMatchObject({ code: 1 });

    const real = await apply();
    expect(real.code, real.stderr).toBe(0);
    const kc = plane.kubeConfig();
    const deployment = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: "yunshu-operator", namespace: NAMESPACE });
    expect(deployment.spec?.replicas).toBe(2);
    await kc.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: "yunshu-operator", namespace: NAMESPACE });
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const binding = await rbac.readClusterRoleBinding({ name: "yunshu-operator" });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "yunshu-operator", namespace: NAMESPACE }]);
    await rbac.readNamespacedRole({ name: "yunshu-operator-leader-election", namespace: NAMESPACE });
    // Member kubeconfigs: a namespace of their own, Pod Security restricted, which helm uninstall keeps.
    const credentials = await kc.makeApiClient(CoreV1Api).readNamespace({ name: "yunshu-clusters" });
    expect(credentials.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(credentials.metadata?.annotations?.["helm.sh/resource-policy"]).toBe("keep");
    await rbac.readNamespacedRole({ name: "yunshu-operator-cluster-credentials", namespace: "yunshu-clusters" });
    await rbac.readClusterRole({ name: "yunshu-operator" });
    expect((await rbac.readClusterRole({ name: "yunshu-metrics-reader" })).rules).toEqual([{ nonResourceURLs: ["/metrics"], verbs: ["get"] }]);
    const crd = await plane.kubectl(["wait", "--for=condition=Established", "crd/tenants.yunshu.io", "--timeout=30s"]);
    expect(crd.code, crd.stderr).toBe(0);
  });

  it("lets the operator's ServiceAccount hold its Lease, and no other", async () => {
    const identity = await plane.serviceAccountIdentity(NAMESPACE, "yunshu-operator");
    const leases = plane.kubeConfig(identity).makeApiClient(CoordinationV1Api);
    const lease = (name: string): V1Lease => ({ metadata: { name }, spec: { holderIdentity: "yunshu-operator-a", leaseDurationSeconds: 15 } });
    await leases.createNamespacedLease({ namespace: NAMESPACE, body: lease("yunshu-operator") });
    const current = await leases.readNamespacedLease({ name: "yunshu-operator", namespace: NAMESPACE });
    current.spec = { ...current.spec, holderIdentity: "yunshu-operator-b" };
    const taken = await leases.replaceNamespacedLease({ name: "yunshu-operator", namespace: NAMESPACE, body: current });
    expect(taken.spec?.holderIdentity).toBe("yunshu-operator-b");

    // create cannot be limited by name: another lease in its namespace can be
    // created, but then neither read nor changed.
    await leases.createNamespacedLease({ namespace: NAMESPACE, body: lease("someone-else") });
    expect((await apiFailure(leases.readNamespacedLease({ name: "someone-else", namespace: NAMESPACE }))).code).toBe(403);
    const elsewhere = await apiFailure(leases.createNamespacedLease({ namespace: "kube-system", body: lease("yunshu-operator") }));
    expect(elsewhere.code).toBe(403);
    expect(elsewhere.message).toContain(`User "${OPERATOR_USER}" cannot create resource "leases"`);
  });

  it("Pod Security restricted admits the operator's pod, and refuses a loosened one", async () => {
    const template = deploymentOf(objects).spec!.template;
    const core = plane.kubeConfig().makeApiClient(CoreV1Api);
    const pod: V1Pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "yunshu-operator-check", labels: template.metadata?.labels }, spec: template.spec };
    const admitted = await core.createNamespacedPod({ namespace: NAMESPACE, body: pod, dryRun: "All" });
    expect(admitted.spec?.serviceAccountName).toBe("yunshu-operator");

    // The namespace really enforces "restricted": the same pod, loosened, is refused.
    const loosened = structuredClone(pod);
    loosened.spec!.containers[0]!.securityContext = { ...loosened.spec!.containers[0]!.securityContext, allowPrivilegeEscalation: true };
    const refused = await apiFailure(core.createNamespacedPod({ namespace: NAMESPACE, body: loosened, dryRun: "All" }));
    expect(refused.code).toBe(403);
    expect(refused.message).toContain('violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false');
  });

  it("helm install takes the objects over, and helm uninstall leaves the CRD and every Tenant", async () => {
    const kubeconfig = ["--kubeconfig", plane.kubeconfigPath()];
    const install = await helm.run(["install", "yunshu", CHART_DIR, "--namespace", NAMESPACE, "--take-ownership", ...kubeconfig]);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain("STATUS: deployed");
    expect(install.stdout).toContain("image.repository is still the placeholder");

    const sample = await readFile(join(CRDS_DIR, "samples", "tenant.yaml"), "utf8");
    const { name } = parseManifests(sample)[0]!.metadata;
    const created = await plane.kubectl(["create", "-f", "-"], undefined, sample);
    expect(created.code, created.stderr).toBe(0);

    const uninstall = await helm.run(["uninstall", "yunshu", "--namespace", NAMESPACE, ...kubeconfig]);
    expect(uninstall.code, uninstall.stderr).toBe(0);
    const apps = plane.kubeConfig().makeApiClient(AppsV1Api);
    expect((await apiFailure(apps.readNamespacedDeployment({ name: "yunshu-operator", namespace: NAMESPACE }))).code).toBe(404);
    const survivor = await plane.kubectl(["get", "tenant", name, "-o", "jsonpath={.metadata.name}"]);
    expect(survivor, "the Tenant after helm uninstall").toMatchObject({ code: 0, stdout: name });
    const crd = await plane.kubectl(["get", "crd", "tenants.yunshu.io"]);
    expect(crd.code, crd.stderr).toBe(0);
  });
});

