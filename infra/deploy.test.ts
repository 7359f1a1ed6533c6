import { afterEach, describe, expect, it, vi } from "vitest";
import { engineErrors, main, renderSummary } from "./deploy.ts";

describe("the driver's report", () => {
  it("puts the cause of a failed stack first, not the engine's 'update failed'", () => {
    const message = [
      "code: 255",
      " stdout: Updating (prod.xiangtan):",
      " stderr: Command failed with exit code 255: pulumi up --yes",
      "error: update failed",
      "    error: configured Kubernetes cluster is unreachable: dial tcp 10.3.0.1:6443: i/o timeout",
      "error: update failed",
    ].join("\n");
    expect(engineErrors(message)).toBe("error: configured Kubernetes cluster is unreachable: dial tcp 10.3.0.1:6443: i/o timeout\nerror: update failed");
    expect(engineErrors("something odd\n\nlast words")).toBe("something odd\nlast words");
  });

  it("lists every stack with its result, time and changes, failures by their cause", () => {
    const table = renderSummary([
      { cluster: "hunan", stack: "prod.hunan", outcome: "succeeded", seconds: 41.23, changes: { same: 39 } },
      { cluster: "changsha", stack: "prod.changsha", outcome: "succeeded", seconds: 12.9, changes: { update: 1, same: 33 } },
      { cluster: "xiangtan", stack: "prod.xiangtan", outcome: "failed", seconds: 3, error: "error: unreachable\nerror: update failed" },
      { cluster: "loudi", stack: "prod.loudi", outcome: "skipped", seconds: 0, error: "hub hunan failed" },
    ]);
    expect(table.split("\n")).toEqual([
      "STACK          RESULT     TIME   CHANGES",
      "prod.hunan     succeeded  41.2s  no changes",
      "prod.changsha  succeeded  12.9s  update 1",
      "prod.xiangtan  failed     3.0s   error: unreachable",
      "prod.loudi     skipped    0.0s   hub hunan failed",
    ]);
  });
});

describe("the driver's command line", () => {
  afterEach(() => vi.restoreAllMocks());

  it("refuses a call without an environment or with an unknown operation, with its usage, exit code 2", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((m: string) => void errors.push(m));
    expect(await main(["up"])).toBe(2);
    expect(await main(["deploy", "--env", "prod"])).toBe(2);
    expect(await main(["up", "--env", "prod", "--parallel", "0"])).toBe(2);
    expect(await main(["up", "--env", "prod", "--set", "novalue"])).toBe(2);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/^usage: node infra\/deploy\.ts <up\|preview\|destroy\|refresh> --env ENV/);
    expect(errors[3]).toMatch(/^--set novalue: expected KEY=VALUE/);
  });

  it("stops at a bad topology before any stack runs, naming the file and the problem", async () => {
    await expect(main(["preview", "--env", "prod", "--topology", "/nonexistent/hunan.yaml"])).rejects.toThrow(/cannot read the topology file \/nonexistent\/hunan\.yaml/);
    await expect(main(["preview", "--env", "prod", "--clusters", "changsa"])).rejects.toThrow(/not in topology hunan: changsa/);
  });
});
