import { describe, expect, it } from "vitest";
import { compactResources, displayWidth, formatAge, rfc3339, truncate } from "./format.ts";
import { indent, renderFields, renderTable } from "./table.ts";

describe("displayWidth", () => {
  it("counts Chinese characters and full-width punctuation as two columns", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("湖南省数据局")).toBe(12);
    expect(displayWidth("同意，谢谢")).toBe(10);
    expect(displayWidth("e\u0301")).toBe(1);
  });
});

describe("truncate", () => {
  it("keeps short text, flattens newlines, and cuts long text at a column with an ellipsis", () => {
    expect(truncate("fits", 10)).toBe("fits");
    expect(truncate("line one\n  line two", 40)).toBe("line one line two");
    expect(truncate("requests.cpu: 8 requested + 30 allocated > 32 limit", 20)).toBe("requests.cpu: 8 req…");
    expect(displayWidth(truncate("超出上级租户配额的请求无法批准", 9))).toBeLessThanOrEqual(9);
  });
});

describe("formatAge", () => {
  const now = new Date("2025-11-27T12:00:00Z");
  it.each([
    ["2025-11-27T11:59:15Z", "45s"],
    ["2025-11-27T11:56:40Z", "3m20s"],
    ["2025-11-27T11:15:00Z", "45m"],
    ["2025-11-27T07:40:00Z", "4h20m"],
    ["2025-11-26T12:00:00Z", "24h"],
    ["2025-11-24T09:00:00Z", "3d3h"],
    ["2025-10-01T12:00:00Z", "57d"],
    [undefined, "-"],
  ])("%s is %s old", (since, age) => {
    expect(formatAge(since, now)).toBe(age);
  });
});

it("rfc3339 drops the milliseconds", () => {
  expect(rfc3339(new Date("2025-11-27T08:30:15.999Z"))).toBe("2025-11-27T08:30:15Z");
});

describe("compactResources", () => {
  it("drops the requests. prefix that ResourceQuota treats as implied", () => {
    expect(compactResources({ "requests.memory": "64Gi", "requests.cpu": "40", pods: "100", "limits.cpu": "80" })).toBe("limits.cpu 80, pods 100, cpu 40, memory 64Gi");
    expect(compactResources({ "requests.nvidia.com/gpu": "2" })).toBe("nvidia.com/gpu 2");
  });

  it("keeps it when the bare name is there too, and says - for nothing", () => {
    expect(compactResources({ cpu: "1", "requests.cpu": "2" })).toBe("cpu 1, requests.cpu 2");
    expect(compactResources(undefined)).toBe("-");
    expect(compactResources({})).toBe("-");
  });
});

describe("renderTable", () => {
  it("aligns columns by terminal width, three spaces apart, without trailing blanks", () => {
    expect(renderTable(["NAME", "LEVEL", "READY"], [["湖南省", "province", "True"], ["x", "city", ""]])).toBe(
      ["NAME     LEVEL      READY", "湖南省   province   True", "x        city"].join("\n") + "\n",
    );
  });
});

describe("renderFields", () => {
  it("aligns values two spaces after the longest label, like kubectl describe, and continues multi-line values", () => {
    expect(renderFields([["Name", "a"], ["Decision reason", "one\ntwo"]])).toBe(
      ["Name:             a", "Decision reason:  one", "                  two"].join("\n") + "\n",
    );
  });

  it("lines up with another block given the same width", () => {
    expect(renderFields([["A", "1"]], 6)).toBe("A:    1\n");
  });
});

it("indent leaves empty lines alone", () => {
  expect(indent("a\n\nb\n")).toBe("  a\n\n  b\n");
});
