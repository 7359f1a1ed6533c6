// yunshu's department view and the console on loopback, as `yunshu
// operator` and `yunshu console` serve them in a cluster: for the demo and
// the tests. The view reviews tokens with the plane's admin (the operator's
// own client, in a cluster); the console gets only where the API server and
// the view are, never a credential.
import type { Server } from "node:http";
import { PAGE_DIR } from "../../console/server/cli.ts";
import { startConsole, type RunningConsole } from "../../console/server/server.ts";
import type { SessionLimits } from "../../console/server/sessions.ts";
import { buildConsolePage } from "../../console/web/build.ts";
import type { PrometheusApi } from "../../operator/billing/prometheus-api.ts";
import { startHttpServer } from "../../operator/metrics/http-server.ts";
import type { Operator } from "../../operator/operator.ts";
import { DepartmentRequestView } from "../../operator/request/department-view.ts";
import { KubeClient } from "../../operator/runtime/kube-client.ts";
import { createLogger } from "../../operator/runtime/log.ts";
import type { ControlPlane } from "../controlplane/controlplane.ts";

/** Serves the operator's /requests, /shares, /mine, /watch (and, given a Prometheus, /metering) on a free loopback port. */
export async function serveDepartmentView(plane: ControlPlane, operator: Operator, metering?: PrometheusApi): Promise<{ url: string; server: Server }> {
  const view = new DepartmentRequestView({
    client: new KubeClient(plane.credentials()),
    requests: operator.requests,
    tenants: operator.hub.caches.tenants,
    shares: operator.hub.caches.shares,
    hub: () => operator.hubClusterName,
    ...(metering ? { metering } : {}),
  });
  const { server, port } = await startHttpServer("127.0.0.1:0", { registry: operator.metrics.registry, isReady: () => operator.isReady, log: createLogger("error"), auth: undefined, requests: view });
  return { url: `http://127.0.0.1:${port}`, server };
}

/** Builds the page if it changed, and serves the console for `plane` on a free loopback port. */
export async function startLocalConsole(plane: ControlPlane, viewUrl: string, sessionLimits?: Partial<SessionLimits>): Promise<RunningConsole> {
  await buildConsolePage();
  const { server, caPem } = plane.credentials();
  return startConsole({
    apiServer: { server, ...(caPem ? { caPem } : {}) },
    view: { url: new URL(viewUrl) },
    bindAddress: "127.0.0.1:0",
    pageDir: PAGE_DIR,
    ...(sessionLimits ? { sessionLimits } : {}),
    log: createLogger("warn"),
  });
}
