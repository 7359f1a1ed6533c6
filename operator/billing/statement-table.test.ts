import { describe, expect, it } from "vitest";
import { statementTable } from "./statement-table.ts";
import type { Statement } from "./types.ts";

const statement: Statement = {
  month: "2026-11",
  currency: "CNY",
  billedQuantity: "Allocated",
  tenants: [
    { tenant: "changsha", displayName: "长沙市人民政府", parent: "hunan-gov", lines: [], totalFen: 0, rolledUpFen: 115_201_024 },
    {
      tenant: "changsha-yuelu",
      displayName: "岳麓区",
      parent: "changsha",
      lines: [
        {
          tenant: "changsha-yuelu",
          cluster: "hunan",
          resource: "requests.cpu",
          unit: "核",
          quantity: "1440000.000000",
          unitPrice: "0.8000",
          from: "2026-11-01T00:00:00+08:00",
          to: "2026-12-01T00:00:00+08:00",
          amountFen: 115_200_000,
        },
        {
          tenant: "changsha-yuelu",
          cluster: "hunan",
          resource: "requests.memory",
          unit: "GiB",
          quantity: "1024.000000",
          unitPrice: "0.0100",
          from: "2026-11-20T08:00:00+08:00",
          to: "2026-12-01T00:00:00+08:00",
          amountFen: 1024,
        },
      ],
      totalFen: 115_201_024,
      rolledUpFen: 115_201_024,
    },
  ],
  totalFen: 115_201_024,
  unpriced: [],
};

describe("statementTable", () => {
  it("lists each tenant's lines with whole months as dates, its subtotals, and the total, amounts right-aligned with separators", () => {
    expect(statementTable(statement)).toBe(
      [
        "TENANT           NAME             CLUSTER   RESOURCE           QUANTITY              UNIT PRICE      FROM–TO                             AMOUNT",
        "changsha         长沙市人民政府             subtotal                                                                                             ¥0.00",
        "                                            with descendants                                                                             ¥1,152,010.24",
        "changsha-yuelu   岳麓区           hunan     requests.cpu       1440000.000000 核·h   ¥0.8000/核·h    2026-11-01–2026-11-30               ¥1,152,000.00",
        "                                  hunan     requests.memory    1024.000000 GiB·h     ¥0.0100/GiB·h   2026-11-20 08:00–2026-12-01 00:00          ¥10.24",
        "                                            subtotal                                                                                     ¥1,152,010.24",
        "                                            with descendants                                                                             ¥1,152,010.24",
        "TOTAL                                                                                                                                    ¥1,152,010.24",
      ].join("\n") + "\n",
    );
  });

  it("has no totals with descendants without rollup, and names the resources no rate prices", () => {
    const plain: Statement = {
      ...statement,
      tenants: [{ tenant: "changsha", displayName: "长沙市人民政府", lines: [], totalFen: 5 }],
      totalFen: 5,
      unpriced: ["requests.nvidia.com/gpu", "services"],
    };
    expect(statementTable(plain)).toBe(
      [
        "TENANT     NAME             CLUSTER   RESOURCE   QUANTITY   UNIT PRICE   FROM–TO   AMOUNT",
        "changsha   长沙市人民政府             subtotal                                     ¥0.05",
        "TOTAL                                                                              ¥0.05",
        "Not billed, no rate prices them: requests.nvidia.com/gpu, services",
      ].join("\n") + "\n",
    );
  });
});
