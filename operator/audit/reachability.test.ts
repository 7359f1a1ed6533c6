import { describe, expect, it } from "vitest";
import type { ContainerPort, Namespace, NetworkPolicy, Pod } from "../api/core-types.ts";
import { ALL_PORTS, intersect, normalise, union, type PortRange } from "./port-ranges.ts";
import { computeReachability, formatPorts } from "./reachability.ts";

const namespace = (name: string, labels: Record<string, string> = {}): Namespace => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });

/** `key` is "namespace/name". */
function pod(key: string, labels: Record<string, string> = {}, ports: ContainerPort[] = []): Pod {
  const [ns, name] = key.split("/") as [string, string];
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: "app", ports }] } };
}

function policy(key: string, spec: NetworkPolicy["spec"]): NetworkPolicy {
  const [ns, name] = key.split("/") as [string, string];
  return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: ns }, spec };
}

const denyAll = (ns: string): NetworkPolicy => policy(`${ns}/deny`, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });

/** Every connection as "src -> dst: ports", sorted. */
function reach(pods: Pod[], policies: NetworkPolicy[], namespaces: Namespace[] = []): string[] {
  return computeReachability({ namespaces, pods, policies }).map((c) => `${c.src} -> ${c.dst}: ${formatPorts(c.ports)}`);
}

describe("computeReachability", () => {
  it("lets every pod reach every other pod on every port when no policy exists, and never lists a pod with itself", () => {
    expect(reach([pod("a/x"), pod("b/y")], [])).toEqual(["a/x -> b/y: all", "b/y -> a/x: all"]);
    expect(computeReachability({ namespaces: [], pods: [pod("a/x")], policies: [] })).toEqual([]);
  });

  it("applies a policy to the pods its podSelector selects in its own namespace only, an empty selector to all of them", () => {
    const pods = [pod("a/web", { app: "web" }), pod("a/db", { app: "db" }), pod("b/web", { app: "web" })];
    const isolateWeb = policy("a/web", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"] });
    expect(reach(pods, [isolateWeb])).toEqual(["a/db -> b/web: all", "a/web -> a/db: all", "a/web -> b/web: all", "b/web -> a/db: all"]);
    const isolateAllOfA = policy("a/all", { podSelector: {}, policyTypes: ["Ingress"] });
    expect(reach(pods, [isolateAllOfA])).toEqual(["a/db -> b/web: all", "a/web -> b/web: all"]);
  });

  it("defaults policyTypes to Ingress, plus Egress when the policy has egress rules", () => {
    const pods = [pod("a/x"), pod("b/y")];
    const ingressOnly = policy("a/p", { podSelector: {} });
    expect(reach(pods, [ingressOnly])).toEqual(["a/x -> b/y: all"]);
    const withEgressRule = policy("a/p", { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: "UDP" }] }] });
    expect(reach(pods, [withEgressRule])).toEqual(["a/x -> b/y: UDP 53"]);
    // As the API server defaults it: an empty egress list has no rules, so it does not make the policy an Egress one.
    const emptyEgress = policy("a/p", { podSelector: {}, egress: [] });
    expect(reach(pods, [emptyEgress])).toEqual(["a/x -> b/y: all"]);
  });

  it("honours explicit policyTypes, ignoring the rules of a direction the policy does not name", () => {
    const pods = [pod("a/x"), pod("b/y")];
    const egressOnly = policy("a/p", { podSelector: {}, policyTypes: ["Egress"], ingress: [{ ports: [{ port: 80 }] }] });
    expect(reach(pods, [egressOnly])).toEqual(["b/y -> a/x: all"]);
  });

  it("leaves a direction no policy isolates open, and a pod isolated with no rule unreachable", () => {
    const pods = [pod("a/x"), pod("b/y"), pod("c/z")];
    expect(reach(pods, [denyAll("a")])).toEqual(["b/y -> c/z: all", "c/z -> b/y: all"]);
  });

  it("adds up what rules and policies allow", () => {
    const pods = [pod("a/x"), pod("b/y")];
    const one = policy("b/one", { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }, { ports: [{ port: 81 }] }] });
    const two = policy("b/two", { podSelector: {}, ingress: [{ ports: [{ port: 443 }, { port: 53, protocol: "UDP" }] }] });
    expect(computeReachability({ namespaces: [], pods, policies: [one, two] })).toEqual([
      {
        src: "a/x",
        dst: "b/y",
        ports: [
          { protocol: "TCP", from: 80, to: 81 },
          { protocol: "TCP", from: 443, to: 443 },
          { protocol: "UDP", from: 53, to: 53 },
        ],
      },
      { src: "b/y", dst: "a/x", ports: ALL_PORTS },
    ]);
  });

  it("matches every peer with a rule that has no from/to or an empty list, in any namespace", () => {
    const pods = [pod("a/x"), pod("b/y"), pod("c/z")];
    const noFrom = policy("a/p", { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}], egress: [{ to: [] }] });
    expect(reach(pods, [noFrom])).toEqual(["a/x -> b/y: all", "a/x -> c/z: all", "b/y -> a/x: all", "b/y -> c/z: all", "c/z -> a/x: all", "c/z -> b/y: all"]);
  });

  it("allows every port and protocol with a rule that has no ports or an empty list", () => {
    const pods = [pod("a/x"), pod("b/y")];
    const p = policy("b/p", { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{ ports: [] }], egress: [{}] });
    expect(computeReachability({ namespaces: [], pods, policies: [p] })).toEqual([
      { src: "a/x", dst: "b/y", ports: ALL_PORTS },
      { src: "b/y", dst: "a/x", ports: ALL_PORTS },
    ]);
  });

  it("takes a podSelector peer from the policy's namespace, a namespaceSelector peer from the namespaces it selects, and both as AND", () => {
    const namespaces = [namespace("a", { team: "blue" }), namespace("b", { team: "blue" }), namespace("c", { team: "red" })];
    const pods = [pod("a/x", { role: "api" }), pod("a/t"), pod("b/api", { role: "api" }), pod("b/y"), pod("c/z", { role: "api" })];
    const allowFrom = (from: NonNullable<NetworkPolicy["spec"]["ingress"]>[number]["from"]) => [policy("a/p", { podSelector: { matchLabels: { role: "api" } }, ingress: [{ from }] })];
    const intoX = (policies: NetworkPolicy[]) => reach(pods, policies, namespaces).filter((c) => c.includes("-> a/x"));
    expect(intoX(allowFrom([{ podSelector: {} }]))).toEqual(["a/t -> a/x: all"]);
    expect(intoX(allowFrom([{ namespaceSelector: { matchLabels: { team: "blue" } } }]))).toEqual(["a/t -> a/x: all", "b/api -> a/x: all", "b/y -> a/x: all"]);
    expect(intoX(allowFrom([{ namespaceSelector: {}, podSelector: { matchLabels: { role: "api" } } }]))).toEqual(["b/api -> a/x: all", "c/z -> a/x: all"]);
  });

  it("never matches a pod with an ipBlock peer", () => {
    const pods = [pod("a/x"), pod("b/y")];
    const p = policy("b/p", { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] });
    expect(reach(pods, [p])).toEqual(["b/y -> a/x: all"]);
  });

  it("reads a port as TCP by default, endPort as the end of a range, and a port without a number as every port of its protocol", () => {
    const pods = [pod("a/x"), pod("b/y")];
    const p = policy("b/p", { podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort: 8080 }, { protocol: "SCTP" }, { protocol: "UDP", port: 53 }] }] });
    expect(computeReachability({ namespaces: [], pods, policies: [p] })[0]).toEqual({
      src: "a/x",
      dst: "b/y",
      ports: [
        { protocol: "SCTP", from: 1, to: 65535 },
        { protocol: "TCP", from: 8000, to: 8080 },
        { protocol: "UDP", from: 53, to: 53 },
      ],
    });
  });

  it("resolves a named port against the destination pod's containers, on ingress and egress rules, by name and protocol", () => {
    const web = pod("b/web", {}, [{ name: "http", containerPort: 8080 }, { name: "dns", containerPort: 5353, protocol: "UDP" }]);
    const other = pod("b/other", { role: "other" }, [{ name: "http", containerPort: 9090 }]);
    const client = pod("a/client", {}, [{ name: "http", containerPort: 7000 }]);
    const anywhere = [{ namespaceSelector: {} }];
    const ingress = policy("b/in", { podSelector: {}, ingress: [{ ports: [{ port: "http" }, { port: "dns", protocol: "UDP" }] }] });
    expect(reach([client, web, other], [ingress]).filter((c) => c.startsWith("a/"))).toEqual(["a/client -> b/other: TCP 9090", "a/client -> b/web: TCP 8080, UDP 5353"]);
    const egress = policy("a/out", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: anywhere, ports: [{ port: "http" }] }] });
    expect(reach([client, web, other], [egress]).filter((c) => c.startsWith("a/"))).toEqual(["a/client -> b/other: TCP 9090", "a/client -> b/web: TCP 8080"]);
  });

  it("lets a named port the destination does not declare, or declares for another protocol, allow nothing", () => {
    const pods = [pod("a/x"), pod("b/y", {}, [{ name: "dns", containerPort: 53, protocol: "UDP" }])];
    const p = policy("b/p", { podSelector: {}, ingress: [{ ports: [{ port: "metrics" }, { port: "dns" }] }] });
    expect(reach(pods, [p])).toEqual(["b/y -> a/x: all"]);
  });

  it("selects by matchLabels and by In, NotIn, Exists and DoesNotExist expressions, all of which must hold", () => {
    const pods = [pod("a/src"), pod("a/blue", { tier: "front", color: "blue" }), pod("a/red", { tier: "front", color: "red" }), pod("a/plain", { tier: "back" })];
    const into = (podSelector: NetworkPolicy["spec"]["podSelector"]) =>
      reach(pods, [policy("a/p", { podSelector, ingress: [{ from: [{ podSelector: { matchLabels: { tier: "none" } } }] }] })])
        .filter((c) => c.startsWith("a/src"))
        .map((c) => c.split(" ")[2]!.replace(":", ""));
    const isolated = (podSelector: NetworkPolicy["spec"]["podSelector"]) => ["a/blue", "a/plain", "a/red"].filter((p) => !into(podSelector).includes(p));
    expect(isolated({ matchLabels: { tier: "front" } })).toEqual(["a/blue", "a/red"]);
    expect(isolated({ matchExpressions: [{ key: "color", operator: "In", values: ["blue", "green"] }] })).toEqual(["a/blue"]);
    expect(isolated({ matchExpressions: [{ key: "color", operator: "NotIn", values: ["blue"] }] })).toEqual(["a/plain", "a/red"]);
    expect(isolated({ matchExpressions: [{ key: "color", operator: "Exists" }] })).toEqual(["a/blue", "a/red"]);
    expect(isolated({ matchExpressions: [{ key: "color", operator: "DoesNotExist" }] })).toEqual(["a/plain"]);
    expect(isolated({ matchLabels: { tier: "front" }, matchExpressions: [{ key: "color", operator: "NotIn", values: ["red"] }] })).toEqual(["a/blue"]);
    expect(isolated({})).toEqual(["a/blue", "a/plain", "a/red"]);
  });

  it("gives every namespace the kubernetes.io/metadata.name label, whether or not the input has it or names the namespace", () => {
    const pods = [pod("a/x"), pod("b/y"), pod("c/z")];
    const p = policy("a/p", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["b", "c"] }] } }] }] });
    expect(reach(pods, [p], [namespace("b")]).filter((c) => c.endsWith("a/x: all"))).toEqual(["b/y -> a/x: all", "c/z -> a/x: all"]);
  });

  it("allows from src to dst the intersection of src's egress and dst's ingress", () => {
    const pods = [pod("a/x"), pod("b/y")];
    const out = policy("a/out", { podSelector: {}, policyTypes: ["Egress"], egress: [{ ports: [{ port: 1, endPort: 100 }, { protocol: "UDP" }] }] });
    const into = policy("b/in", { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 443 }, { port: 53, protocol: "UDP" }, { port: 53 }] }] });
    expect(reach(pods, [out, into])).toEqual(["a/x -> b/y: TCP 53, TCP 80-100, UDP 53", "b/y -> a/x: all"]);
  });
});

describe("port ranges", () => {
  it("normalises: sorts by protocol then port, merges overlapping and adjacent ranges, drops empty ones", () => {
    const ranges = [
      { protocol: "UDP" as const, from: 53, to: 53 },
      { protocol: "TCP" as const, from: 81, to: 90 },
      { protocol: "TCP" as const, from: 70, to: 80 },
      { protocol: "TCP" as const, from: 10, to: 5 },
    ];
    expect(normalise(ranges)).toEqual([
      { protocol: "TCP", from: 70, to: 90 },
      { protocol: "UDP", from: 53, to: 53 },
    ]);
  });

  it("unites and intersects", () => {
    const a: PortRange[] = [
      { protocol: "TCP", from: 1, to: 100 },
      { protocol: "UDP", from: 53, to: 53 },
    ];
    const b: PortRange[] = [
      { protocol: "SCTP", from: 1, to: 9 },
      { protocol: "TCP", from: 50, to: 60 },
      { protocol: "TCP", from: 90, to: 200 },
    ];
    expect(union(a, b)).toEqual([
      { protocol: "SCTP", from: 1, to: 9 },
      { protocol: "TCP", from: 1, to: 200 },
      { protocol: "UDP", from: 53, to: 53 },
    ]);
    expect(intersect(a, b)).toEqual([
      { protocol: "TCP", from: 50, to: 60 },
      { protocol: "TCP", from: 90, to: 100 },
    ]);
    expect(intersect(ALL_PORTS, a)).toEqual(a);
  });

  it("formats as all, none, or protocol and ports", () => {
    expect(formatPorts(ALL_PORTS)).toBe("all");
    expect(formatPorts([])).toBe("none");
    expect(formatPorts([{ protocol: "TCP", from: 80, to: 80 }])).toBe("TCP 80");
    const ranges: PortRange[] = [
      { protocol: "TCP", from: 8000, to: 8080 },
      { protocol: "UDP", from: 53, to: 53 },
    ];
    expect(formatPorts(ranges)).toBe("TCP 8000-8080, UDP 53");
  });
});
