import { describe, expect, it } from "vitest";
import { parseUpstreamGoMod, renderWrapperGoMod } from "./go-tools.ts";

const UPSTREAM = `module example.com/upstream

go 1.26.7

require example.com/dep v1.2.0

replace example.com/dep => example.com/fork v1.2.1 // a fix not yet released

replace (
	example.com/sdk => ../sdk
	example.com/other v0.1.0 => example.com/other v0.1.1
	example.com/abs => /home/dev/abs
)
`;

describe("a wrapper module around upstream commands", () => {
  it("repeats the go directive and the replaces that name another version, not those into upstream's tree", () => {
    expect(parseUpstreamGoMod(UPSTREAM)).toEqual({
      goDirective: "1.26.7",
      replaces: ["example.com/dep => example.com/fork v1.2.1", "example.com/other v0.1.0 => example.com/other v0.1.1"],
    });
  });

  it("refuses a go.mod without a go directive", () => {
    expect(() => parseUpstreamGoMod("module x\n")).toThrow(/no go directive/);
  });

  it("requires, replaces and lists the tools it builds", () => {
    const goMod = renderWrapperGoMod({
      module: "yunshu.local/upstream",
      goDirective: "1.26.7",
      requires: ["example.com/upstream v1.0.0"],
      replaces: ["example.com/dep => example.com/fork v1.2.1"],
      tools: ["example.com/upstream/cmd/a"],
    });
    expect(goMod).toMatch(/^module yunshu\.local\/upstream$/m);
    expect(goMod).toMatch(/^go 1\.26\.7$/m);
    expect(goMod).toContain("require (\n\texample.com/upstream v1.0.0\n)");
    expect(goMod).toContain("replace (\n\texample.com/dep => example.com/fork v1.2.1\n)");
    expect(goMod).toContain("tool (\n\texample.com/upstream/cmd/a\n)");
  });
});
