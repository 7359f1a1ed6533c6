// `make demo` is the README's first command: it must work, show the fleet
// and where each sample tenant landed, and clean up after itself.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("make demo", () => {
  it("runs a hub and two city members, places the sample Hunan departments, prints where they landed, and removes everything", async () => {
    const { stdout } = await run(process.execPath, [join(import.meta.dirname, "../tools/demo.ts"), "--once"], { timeout: 120_000 });
    expect(stdout).toContain("created 5 tenants");

    // The fleet overview in the hub: all three clusters reachable.
    for (const [name, tier] of [["hunan", "province"], ["changsha", "city"], ["zhuzhou", "city"]]) {
      expect(stdout).toMatch(new RegExp(`^${name}\\s+\\S+\\s+${name}\\s+${tier}\\s+True\\s+v\\d+\\.\\d+\\.\\d+\\s`, "m"));
    }

    // Where each tenant landed, read from each cluster: no placement stays on the hub...
    expect(stdout).toMatch(/^\s+hunan\s+hunan-data-bureau-prod\s+quota \{.*"pods":"50"/m);
    // ...placement by region and by name puts namespaces on the member, with that cluster's share of the quota...
    expect(stdout).toContain("on hunan, changsha (placed by cluster hunan and region changsha, its quota split evenly)");
    expect(stdout).toMatch(/^\s+changsha\s+changsha-health-prod\s+quota \{"pods":"15","requests.cpu":"1500m","requests.memory":"3Gi"\}/m);
    expect(stdout).toMatch(/^\s+hunan\s+changsha-health-prod\s+quota \{"pods":"15","requests.cpu":"1500m","requests.memory":"3Gi"\}/m);
    expect(stdout).toMatch(/^\s+zhuzhou\s+zhuzhou-transport-prod\s+quota \{"pods":"40","requests.cpu":"4","requests.memory":"8Gi"\}/m);
    // ...and nowhere else.
    expect(stdout).not.toMatch(/^\s+(hunan|changsha)\s+zhuzhou-transport-/m);
    expect(stdout).not.toMatch(/^\s+(changsha|zhuzhou)\s+hunan-/m);

    for (const name of ["湖南省数据局", "湖南省财政厅", "长沙市卫生健康委员会", "岳阳市教育局", "株洲市交通运输局"]) expect(stdout).toContain(name);
    expect(stdout).toMatch(/chen filed changsha-kaifu-health-\w+; yunshu's verdict: Fits=True, fits tenant changsha-health: .*requests.cpu 2 of 6 \(others hold 0\)/);
    expect(stdout).toContain("changsha-kaifu-health is Ready with changsha-kaifu-health-prod");
    expect(stdout).toMatch(/changsha-kaifu-health-\w+\s+changsha-kaifu-health\s+Create\s+chen\s+True\s+True\s+Approved\s+Applied/);
    // Every tenant Ready in `kubectl get tenants`: the five samples and the requested one.
    expect(stdout.match(/\s+True\s+\d+[smh]\n/g)?.length).toBe(6);
    expect(stdout).toContain("Press Ctrl-C to stop");

    // The kubeconfigs it printed name every plane's directory: all three gone, and no process left running from them.
    const kubeconfigs = [...stdout.matchAll(/(?:KUBECONFIG=|--kubeconfig )(\S+)/g)].map((m) => m[1]!);
    const planeDirs = [...new Set(kubeconfigs.map((k) => dirname(dirname(k))))];
    expect(planeDirs).toHaveLength(3);
    for (const dir of planeDirs) expect(existsSync(dir), dir).toBe(false);
    const { stdout: processes } = await run("ps", ["-eo", "args"]);
    for (const dir of planeDirs) expect(processes.split("\n").filter((args) => args.includes(dir))).toEqual([]);
  });
});
