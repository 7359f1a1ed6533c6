import { describe, expect, it } from "vitest";
import { silentLogger } from "../runtime/log.ts";
import { DEFAULT_PLATFORM } from "../tenant/platform.ts";
import { IsolationAuditor } from "./auditor.ts";

describe("IsolationAuditor", () => {
  it("stops at once when shutdown comes during an audit, instead of waiting out its interval", async () => {
    const shutdown = new AbortController();
    let audits = 0;
    const auditor = new IsolationAuditor({
      clusters: () => [],
      // The operator stopping while an audit runs.
      tenants: () => (audits++, shutdown.abort(), []),
      shares: () => [],
      platform: DEFAULT_PLATFORM,
      log: silentLogger,
      intervalMs: 3_600_000,
    });
    const started = Date.now();
    await auditor.run(shutdown.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(audits).toBe(1);
  });
});
