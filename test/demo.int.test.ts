// `make demo` is the README's first command: it must work, show what the
// sample tenants became, and clean up after itself.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("make demo", () => {
  it("runs the operator on sample Hunan departments, prints what they became, and removes everything", async () => {
    const { stdout } = await run(process.execPath, [join(import.meta.dirname, "demo.ts"), "--once"], { timeout: 120_000 });
    expect(stdout).toContain("created 4 tenants");
    expect(stdout).toMatch(/hunan-data-bureau-prod\s+quota \{.*"pods":"50"/);
    for (const name of ["湖南省数据局", "湖南省财政厅", "长沙市卫生健康委员会", "岳阳市教育局"]) expect(stdout).toContain(name);
    expect(stdout).toMatch(/chen filed changsha-kaifu-health-\w+; yunshu's verdict: Fits=True, fits tenant changsha-health: .*requests.cpu 2 of 6 \(others hold 0\)/);
    expect(stdout).toContain("changsha-kaifu-health is Ready with changsha-kaifu-health-prod");
    expect(stdout).toMatch(/changsha-kaifu-health-\w+\s+changsha-kaifu-health\s+Create\s+chen\s+True\s+Approved\s+Applied/);
    // Every tenant Ready in `kubectl get tenants`: the four samples and the requested one.
    expect(stdout.match(/\s+True\s+\d+[smh]\n/g)?.length).toBe(5);
    expect(stdout).toContain("Press Ctrl-C to stop");
    const kubeconfig = /KUBECONFIG=(\S+)/.exec(stdout)?.[1];
    expect(kubeconfig).toBeTruthy();
    expect(existsSync(kubeconfig!)).toBe(false);
  });
});
