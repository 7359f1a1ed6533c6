// The dispatcher and every command's handling of its command line, without a
// cluster: all of these fail or finish before connecting.
import { describe, expect, it } from "vitest";
import { main, PLUGIN_COMMANDS } from "./index.ts";

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, "kubectl yunshu", { out: (t) => void (out += t), err: (t) => void (err += t), now: () => new Date(0) });
  return { code, out, err };
}

describe("kubectl yunshu", () => {
  it("teaches: the overview without a command, with --help, and with help", async () => {
    for (const argv of [[], ["--help"], ["help"]]) {
      const { code, out } = await run(...argv);
      expect(code).toBe(0);
      for (const command of PLUGIN_COMMANDS) expect(out).toMatch(new RegExp(`^  ${command} `, "m"));
      expect(out).toContain("kubectl yunshu COMMAND --help");
    }
  });

  it.each(PLUGIN_COMMANDS.map((c) => [c]))("%s --help shows usage, the global flags and examples", async (command) => {
    for (const argv of [[command, "--help"], ["help", command], ["--kubeconfig", "/x", command, "-h"]]) {
      const { code, out } = await run(...argv);
      expect(code).toBe(0);
      expect(out).toContain(`Usage:\n  kubectl yunshu ${command}`);
      expect(out).toContain("--kubeconfig PATH");
      expect(out).toMatch(/Examples:\n( {2}#.*\n)? {2}kubectl yunshu /);
    }
  });

  it.each([
    [["frobnicate"], /^error: unknown command "frobnicate"; the commands are mine, request, show, requests, approve, deny, tree, usage/],
    [["requests", "--bogus"], /^error: unknown flag --bogus for requests; see `kubectl yunshu requests --help`/],
    [["tree", "-o", "xml"], /^error: -o must be table, json or yaml, not "xml"/],
    [["show"], /^error: show needs the request's name/],
    [["usage", "a", "b"], /^error: usage takes one tenant's name, not 2/],
    [["approve", "x"], /^error: approve needs --reason TEXT/],
    [["deny", "x", "--reason", "  "], /^error: deny needs --reason TEXT/],
    [["request", "--tenant", "t", "--reason", "r"], /^error: say what you ask for/],
    [["request", "--tenant"], /^error: --tenant needs a value/],
    [["request", "--tenant", "t", "--reason", "r", "--security-level", "1"], /^error: --security-level "1" is not an MLPS level; use one of 2, 3, 4/],
  ])("%j is a usage error: one line, exit code 2, nothing sent", async (argv, message) => {
    const { code, out, err } = await run(...argv);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toMatch(message);
    expect(err.trimEnd().split("\n")).toHaveLength(1);
  });

  it("finds the command after global flags, and fails with exit code 1 on a missing kubeconfig", async () => {
    const { code, err } = await run("--kubeconfig", "/nonexistent/config", "-o", "json", "requests");
    expect(code).toBe(1);
    expect(err).toMatch(/^error: .*\/nonexistent\/config/);
  });
});
