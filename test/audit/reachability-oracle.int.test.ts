// yunshu's reachability engine against an independent implementation of the
// same semantics, np-guard's netpol-analyzer, on generated clusters shaped
// like yunshu's (yunshu's own policies at levels 3 and 4, Shares active and
// not, departments' own policies, pods that opt out of the tenant-wide allow): unit tests written with the engine's own reading of the
// NetworkPolicy API cannot catch a misreading, a second reader can.
// AUDIT_ORACLE_SCENARIOS sets how many seeds are compared.
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { computeReachability, formatPorts, type Connection } from "../../operator/audit/reachability.ts";
import { normalise } from "../../operator/audit/port-ranges.ts";
import { analyzeConnectivity, ensureNetpolAnalyzer, renderAnalyzerInput } from "../../tools/toolchain/netpol-analyzer.ts";
import { generateScenario, type Scenario } from "./scenarios.ts";
import { sharePolicies } from "./shares.ts";

const SCENARIOS = Number(process.env.AUDIT_ORACLE_SCENARIOS ?? 300);
/** Analyzer processes at once: the machines running the suite have two cores. */
const CONCURRENCY = 2;
const FAILURES_DIR = fileURLToPath(new URL("../../.yunshu/audit-oracle/", import.meta.url));

interface Disagreement {
  seed: number;
  yamlPath: string;
  /** "src -> dst: analyzer … / engine …" */
  pairs: string[];
}

const portsByPair = (connections: readonly Connection[]) => new Map(connections.map((c) => [`${c.src} -> ${c.dst}`, formatPorts(normalise(c.ports))]));

function differingPairs(analyzer: readonly Connection[], engine: readonly Connection[]): string[] {
  const expected = portsByPair(analyzer);
  const actual = portsByPair(engine);
  const pairs = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  return pairs.filter((pair) => expected.get(pair) !== actual.get(pair)).map((pair) => `${pair}: analyzer ${expected.get(pair) ?? "none"} / engine ${actual.get(pair) ?? "none"}`);
}

const objectsOf = (scenario: Scenario) => [...scenario.namespaces, ...scenario.pods, ...scenario.policies];

/** Runs `work` over `items`, at most `limit` at a time. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

describe("computeReachability agrees with np-guard's netpol-analyzer", () => {
  let binary: string;
  beforeAll(async () => {
    binary = await ensureNetpolAnalyzer();
  });

  it(`on ${SCENARIOS} generated yunshu clusters`, { timeout: 900_000 }, async () => {
    const started = Date.now();
    const disagreements: Disagreement[] = [];
    let podPairs = 0;
    let connections = 0;
    await forEachLimited(
      Array.from({ length: SCENARIOS }, (_, seed) => seed + 1),
      CONCURRENCY,
      async (seed) => {
        const scenario = generateScenario(seed, {}, sharePolicies);
        const analyzer = await analyzeConnectivity(binary, objectsOf(scenario));
        const engine = computeReachability(scenario);
        podPairs += scenario.pods.length * (scenario.pods.length - 1);
        connections += analyzer.length;
        const pairs = differingPairs(analyzer, engine);
        if (pairs.length === 0) return;
        await mkdir(FAILURES_DIR, { recursive: true });
        const yamlPath = `${FAILURES_DIR}seed-${seed}.yaml`;
        await writeFile(yamlPath, renderAnalyzerInput(objectsOf(scenario)));
        disagreements.push({ seed, yamlPath, pairs });
      },
    );
    console.log(
      `netpol-analyzer oracle: ${SCENARIOS} scenarios, ${podPairs} ordered pod pairs, ${connections} connections, ` +
        `${disagreements.length} disagreeing, ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    const report = disagreements
      .sort((a, b) => a.seed - b.seed)
      .map(({ seed, yamlPath, pairs }) => `seed ${seed} (${yamlPath}):\n  ${pairs.join("\n  ")}`)
      .join("\n");
    expect(disagreements, `engine and netpol-analyzer disagree:\n${report}`).toEqual([]);
  });
});
