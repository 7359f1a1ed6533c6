import { describe, expect, it } from "vitest";
import type { TenantRequest, TenantRequestStatusCondition } from "../api/generated.ts";
import { isPending } from "../request/conditions.ts";
import { describeRequest, requestsTable } from "./request-view.ts";

const now = new Date("2025-11-27T12:00:00Z");

const cond = (type: string, status: TenantRequestStatusCondition["status"], reason: string, message: string, at = "2025-11-27T11:50:00Z") => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: at,
});

function req(name: string, created: string, spec: Partial<TenantRequest["spec"]> = {}, status?: TenantRequest["status"]): TenantRequest {
  return {
    apiVersion: "yunshu.io/v1alpha1",
    kind: "TenantRequest",
    metadata: { name, creationTimestamp: created },
    spec: { tenant: name.replace(/-[a-z0-9]{5}$/, ""), action: "ChangeQuota", reason: "年底业务高峰", quota: { hard: { "requests.cpu": "16" } }, requester: { username: "system:serviceaccount:depts:yuelu" }, ...spec },
    ...(status ? { status } : {}),
  };
}

const owner = cond("Authorized", "True", "Owner", "system:serviceaccount:depts:yuelu owns tenant yuelu-data");
const pendingFits = req("yuelu-data-aaaaa", "2025-11-27T11:00:00Z", {}, { conditions: [owner, cond("Fits", "True", "Fits", "fits tenant/changsha-data: requests.cpu 16 of 24 free")] });
const pendingTooBig = req("furong-data-bbbbb", "2025-11-27T11:58:00Z", {}, {
  conditions: [owner, cond("Fits", "False", "ExceedsParentQuota", "requests.cpu: 30 requested + 10 allocated > 32 in tenant changsha-data; ask for less or raise the parent's quota")],
});
const notOwner = req("zhuzhou-data-fffff", "2025-11-27T11:30:00Z", { tenant: "zhuzhou-data" }, {
  conditions: [
    cond("Authorized", "False", "NotOwner", "system:serviceaccount:depts:yuelu owns neither tenant zhuzhou-data nor a tenant above it"),
    cond("Fits", "True", "Fits", "fits"),
  ],
});
const fresh = req("kaifu-data-ccccc", "2025-11-27T11:59:50Z");
const approved = req("yuelu-data-ddddd", "2025-11-26T12:00:00Z", {}, {
  decidedBy: "platform-li",
  conditions: [owner, cond("Fits", "True", "Fits", "ok"), cond("Approved", "True", "Approved", "同意"), cond("Applied", "True", "Applied", "tenant changed")],
});

describe("requestsTable", () => {
  it("lists pending requests oldest first with the verdict and a short detail", () => {
    expect(requestsTable([fresh, pendingTooBig, notOwner, approved, pendingFits], now, { all: false })).toBe(
      [
        "NAME                 TENANT         ACTION        REQUESTER                           AGE   AUTHORIZED   FITS    DETAIL",
        "yuelu-data-aaaaa     yuelu-data     ChangeQuota   system:serviceaccount:depts:yuelu   60m   True         True    fits tenant/changsha-data: requests.cpu 16 of 24 free",
        "zhuzhou-data-fffff   zhuzhou-data   ChangeQuota   system:serviceaccount:depts:yuelu   30m   False        True    system:serviceaccount:depts:yuelu owns neither tenant zhuzh…",
        "furong-data-bbbbb    furong-data    ChangeQuota   system:serviceaccount:depts:yuelu   2m    True         False   requests.cpu: 30 requested + 10 allocated > 32 in tenant ch…",
        "kaifu-data-ccccc     kaifu-data     ChangeQuota   system:serviceaccount:depts:yuelu   10s   -            -       not assessed yet",
      ].join("\n") + "\n",
    );
  });

  it("with all, adds decided requests and the DECISION and APPLIED columns", () => {
    const lines = requestsTable([pendingFits, approved], now, { all: true }).split("\n");
    expect(lines[0]).toMatch(/^NAME +TENANT +ACTION +REQUESTER +AGE +AUTHORIZED +FITS +DECISION +APPLIED +DETAIL$/);
    expect(lines[1]).toMatch(/^yuelu-data-ddddd .* 24h +True +True +Approved +Applied +ok$/);
    expect(lines[2]).toMatch(/^yuelu-data-aaaaa .* 60m +True +True +Pending +- +fits/);
  });
});

it("isPending is true until the Approved condition exists", () => {
  expect([pendingFits, approved].map(isPending)).toEqual([true, false]);
});

describe("describeRequest", () => {
  it("shows what, who, why, the verdict with its numbers, and how to decide a pending request", () => {
    const create = req(
      "yuelu-data-eeeee",
      "2025-11-27T11:00:00Z",
      {
        action: "Create",
        displayName: "岳麓区数据局",
        level: "county",
        parent: "changsha-data",
        owners: [{ kind: "Group", name: "yuelu-ops" }, { kind: "ServiceAccount", namespace: "ci", name: "deployer" }],
        namespaces: ["prod"],
        quota: { hard: { "requests.memory": "16Gi", "requests.cpu": "8" } },
        requester: { username: "dept", groups: ["depts", "system:authenticated"] },
      },
      {
        conditions: [
          cond("Authorized", "True", "Owner", "dept owns tenant changsha-data, above yuelu-data, through group depts"),
          cond("Fits", "False", "ExceedsParentQuota", "requests.cpu does not fit tenant changsha-data"),
        ],
        capacity: [
          { budget: "tenant/changsha-data", resource: "requests.cpu", requested: "8", allocated: "20", limit: "24", fits: false },
          { budget: "tenant/changsha-data", resource: "requests.memory", requested: "16Gi", allocated: "8Gi", limit: "48Gi", fits: true },
        ],
      },
    );
    expect(describeRequest(create, now, "kubectl yunshu")).toBe(
      [
        "Name:          yuelu-data-eeeee",
        "Asks to:       create tenant yuelu-data",
        "Display name:  岳麓区数据局",
        "Level:         county",
        "MLPS level:    3, the default (SecurityProfile mlps-3)",
        "Parent:        changsha-data",
        "Owners:        Group yuelu-ops, ServiceAccount ci/deployer",
        "Namespaces:    prod (yuelu-data-prod)",
        "Quota:         requests.cpu=8, requests.memory=16Gi",
        "Requester:     dept (groups: depts, system:authenticated)",
        "Filed:         2025-11-27T11:00:00Z (60m ago)",
        "Reason:        年底业务高峰",
        "Authorized:    True (Owner) — dept owns tenant changsha-data, above yuelu-data, through group depts",
        "Fits:          False (ExceedsParentQuota) — requests.cpu does not fit tenant changsha-data",
        "  BUDGET                 RESOURCE          REQUESTED   ALLOCATED   LIMIT   FITS",
        "  tenant/changsha-data   requests.cpu      8           20          24      no",
        "  tenant/changsha-data   requests.memory   16Gi        8Gi         48Gi    yes",
        "Decision:      pending: `kubectl yunshu approve yuelu-data-eeeee --reason TEXT` or `kubectl yunshu deny yuelu-data-eeeee --reason TEXT`",
        "Applied:       -",
      ].join("\n") + "\n",
    );
  });

  it("shows the decision, its maker, time and reason, and the outcome; says when there is no verdict yet", () => {
    const text = describeRequest({ ...approved, status: { ...approved.status, conditions: approved.status!.conditions!.filter((c) => c.type !== "Fits") } }, now, "yunshu");
    expect(text).toContain("Fits:             not assessed yet");
    expect(text).toContain("Decision:         Approved by platform-li, 2025-11-27T11:50:00Z (10m ago)\n");
    expect(text).toContain("Decision reason:  同意\n");
    expect(text).toContain("Applied:          True (Applied) — tenant changed\n");
    expect(text).not.toContain("pending");
  });

  it("shows the MLPS level a request asks for, and the flag on a lower one", () => {
    const flag =
      "lowers tenant yuelu-data from MLPS level 3 to 2: on approval its namespaces move at once to the weaker SecurityProfile mlps-2; approve only with the system's re-classification (定级备案) at level 2 on record";
    const lower = req("yuelu-data-hhhhh", "2025-11-27T11:00:00Z", { action: "ChangeSecurityLevel", quota: undefined, securityLevel: 2 }, { conditions: [owner, cond("Fits", "True", "LowersSecurityLevel", flag)] });
    const text = describeRequest(lower, now, "yunshu");
    expect(text).toContain("Asks to:     change the MLPS level of tenant yuelu-data\n");
    expect(text).toContain("MLPS level:  2 (SecurityProfile mlps-2)\n");
    expect(text).toContain(`Fits:        True (LowersSecurityLevel) — ${flag}\n`);
    expect(text).not.toContain("Quota:");
    expect(requestsTable([lower], now, { all: false }).split("\n")[1]).toMatch(/^yuelu-data-hhhhh +yuelu-data +ChangeSecurityLevel\(2\) +\S+ +60m +True +True +lowers tenant yuelu-data from MLPS level 3 to 2: on approva…$/);
    const create = describeRequest(req("yuelu-data-iiiii", "2025-11-27T11:00:00Z", { action: "Create", displayName: "岳麓", level: "county", quota: undefined, securityLevel: 4 }), now, "yunshu");
    expect(create).toContain("MLPS level:    4 (SecurityProfile mlps-4)\n");
  });

  it("says why a request beyond its requester's cap has no capacity verdict", () => {
    const capped = req("yuelu-data-ggggg", "2025-11-27T11:00:00Z", {}, { conditions: [cond("Authorized", "False", "TooManyPending", "yuelu has 12 requests waiting")] });
    const text = describeRequest(capped, now, "yunshu");
    expect(text).toContain("Authorized:  False (TooManyPending) — yuelu has 12 requests waiting\n");
    expect(text).toContain("Fits:        not assessed: the requester has too many requests pending\n");
  });
});
