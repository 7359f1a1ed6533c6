import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { adviceFor, engineErrors, main, parseCommandLine, renderSummary } from "./deploy.ts";
import { INFRA_DIR } from "./stacks.ts";

const REPO = resolve(INFRA_DIR, "..");

/** The driver's arguments in the command `make TARGET VARIABLES…` runs, split as its shell splits them. */
function driverArgsOfMake(target: string, variables: string[]): string[] {
  const dryRun = execFileSync("make", ["-n", "--no-print-directory", target, ...variables], { cwd: REPO, env: { PATH: process.env.PATH }, encoding: "utf8" });
  const line = dryRun.split("\n").find((l) => l.includes(" infra/deploy.ts "));
  if (!line) throw new Error(`make -n ${target} runs no infra/deploy.ts:\n${dryRun}`);
  const args = line.slice(line.indexOf(" infra/deploy.ts ") + " infra/deploy.ts ".length);
  return execFileSync("sh", ["-c", `printf '%s\\0' ${args}`], { encoding: "utf8" }).split("\0").slice(0, -1);
}

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

  it("joins a provider's list of errors to its line, each resource as its type and name", () => {
    const message = [
      "  kubernetes:apps/v1:Deployment (yunshu:yunshu-system/yunshu-operator):",
      "    error: 2 errors occurred:",
      '    \t* resource "urn:pulumi:prod.hunan::yunshu-infra::yunshu:infra:ClusterBootstrap$kubernetes:helm.sh/v4:Chart$kubernetes:apps/v1:Deployment::yunshu:yunshu-system/yunshu-operator" was successfully created, but the Kubernetes API server reported that it failed to fully initialize or become live: \'yunshu-operator\' timed out waiting to be Ready',
      "    \t* Minimum number of live Pods was not attained",
      "error: update failed",
    ].join("\n");
    const error = engineErrors(message);
    expect(error).toBe(
      "error: 2 errors occurred: resource kubernetes:apps/v1:Deployment yunshu:yunshu-system/yunshu-operator was successfully created, but the Kubernetes API server reported " +
        "that it failed to fully initialize or become live: 'yunshu-operator' timed out waiting to be Ready; Minimum number of live Pods was not attained\nerror: update failed",
    );
    expect(adviceFor(error)).toMatch(/^The operator's chart did not become ready within awaitOperatorTimeoutSeconds \(default 300\)\..* run with --set awaitOperator=false \(make: SET=awaitOperator=false\)\.$/);
    expect(adviceFor("error: configured Kubernetes cluster is unreachable")).toBeUndefined();
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

describe("the driver's settings", () => {
  it("are read from its command line, paths against the current directory", () => {
    expect(
      parseCommandLine([
        "destroy",
        "--env",
        "prod",
        "--topology",
        "infra/topology/hunan.yaml",
        "--clusters",
        "hunan, changsha",
        "--parallel",
        "8",
        "--set",
        "awaitOperator=false",
        "--set",
        "awaitOperatorTimeoutSeconds=60",
        "--secrets-provider",
        "hashivault://yunshu",
        "--work-dir",
        "ci",
      ]),
    ).toEqual({
      options: {
        operation: "destroy",
        environment: "prod",
        topologyFile: resolve("infra/topology/hunan.yaml"),
        clusters: ["hunan", "changsha"],
        parallel: 8,
        config: { awaitOperator: "false", awaitOperatorTimeoutSeconds: "60" },
        secretsProvider: "hashivault://yunshu",
        workDir: resolve("ci"),
      },
    });
    expect(parseCommandLine(["up", "--env", "e2e"])).toEqual({
      options: { operation: "up", environment: "e2e", topologyFile: join(INFRA_DIR, "topology/hunan.yaml"), parallel: 4, config: {}, workDir: INFRA_DIR },
    });
  });

  it("each have a make variable, passed on as one argument whatever it holds", () => {
    const args = driverArgsOfMake("infra-up", [
      "ENV=prod",
      "CLUSTERS=hunan,changsha",
      "TOPOLOGY=infra/topology/hunan.yaml",
      "PARALLEL=2",
      "SET=awaitOperator=false awaitOperatorTimeoutSeconds=120",
      "SECRETS_PROVIDER=hashivault://yunshu?namespace=a&b",
      "WORK_DIR=/tmp/o'brien stacks",
    ]);
    expect(args[0]).toBe("up");
    expect(parseCommandLine(args)).toEqual({
      options: {
        operation: "up",
        environment: "prod",
        topologyFile: join(REPO, "infra/topology/hunan.yaml"),
        clusters: ["hunan", "changsha"],
        parallel: 2,
        config: { awaitOperator: "false", awaitOperatorTimeoutSeconds: "120" },
        secretsProvider: "hashivault://yunshu?namespace=a&b",
        workDir: "/tmp/o'brien stacks",
      },
    });
    expect(driverArgsOfMake("infra-preview", ["ENV=prod"])).toEqual(["preview", "--env", "prod"]);
    expect(driverArgsOfMake("infra-destroy", ["ENV=prod", "SET=keepCrdsOnDestroy=false"])).toEqual(["destroy", "--env", "prod", "--set", "keepCrdsOnDestroy=false"]);
  });
});
