// The `yunshu` command. bin/yunshu.js checks the Node version, then runs this.
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { OPERATOR_GROUPS, OPERATOR_LEASE, OPERATOR_NAMESPACE, OPERATOR_USERNAME } from "./api/names.ts";
import { install } from "./install.ts";
import { isLoopback, parseBindAddress, startHttpServer } from "./metrics/http-server.ts";
import { MetricsAuthorizer } from "./metrics/metrics-auth.ts";
import { Operator } from "./operator.ts";
import { DEFAULT_MAX_PENDING_REQUESTS } from "./request/controller.ts";
import { DEFAULT_AUDIT_INTERVAL_MS } from "./audit/auditor.ts";
import { DepartmentRequestView } from "./request/department-view.ts";
import { PrometheusApi, prometheusTarget } from "./billing/prometheus-api.ts";
import { DEFAULT_BURST, DEFAULT_QPS, KubeClient } from "./runtime/kube-client.ts";
import { loadKubeConfig } from "./runtime/kubeconfig.ts";
import { createLogger, isLogLevel } from "./runtime/log.ts";
import { DEFAULT_PLATFORM } from "./tenant/platform.ts";
import { repositoryPath } from "./repository.ts";

const VERSION = (JSON.parse(readFileSync(repositoryPath("package.json"), "utf8")) as { version: string }).version;

const HELP = `yunshu — tenancy control plane of the provincial government cloud

Usage:
  yunshu operator [flags]   run the operator against the current kubeconfig (SIGHUP: resync every tenant now)
  yunshu install [flags]    apply yunshu's CRDs, ClusterRoles and admission policies (crds/)
  yunshu console [flags]    serve the department console, a web portal in Chinese (\`yunshu console --help\`)
  yunshu help               this text

Flags (operator and install):
  --kubeconfig PATH         kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)
  --context NAME            kubeconfig context to use

Flags (operator):
  --as-operator             act as the operator's ServiceAccount (${OPERATOR_USERNAME})
                            on the hub by impersonation, for running outside the cluster with an admin
                            kubeconfig; the admission policies let only that identity change managed
                            objects. Member clusters are reached with their registered kubeconfigs as they are
  --workers N               parallel reconciles (default 4)
  --resync DURATION         look at every tenant again this often, in seconds (default 600)
  --qps N, --burst N        client-side rate limit towards the API server (default ${DEFAULT_QPS}, ${DEFAULT_BURST});
                            --qps 0 leaves pacing to the API server's priority and fairness (429 + Retry-After)
  --max-pending-requests N  pending TenantRequests judged per requester at a time; the rest wait, not
                            approvable (default ${DEFAULT_MAX_PENDING_REQUESTS})
  --monitoring-namespace NS namespace whose pods may scrape tenants' metrics ports (default ${DEFAULT_PLATFORM.monitoringNamespace})
  --offboarding-grace-period SECONDS
                            how long an offboarded tenant stays suspended and readable before all of it
                            is deleted (default ${DEFAULT_PLATFORM.offboardingGracePeriodMs / 1000}, 30 days)
  --audit-interval SECONDS  how often the isolation audit reads every cluster and exports its violations
                            as yunshu_isolation_violations (default ${DEFAULT_AUDIT_INTERVAL_MS / 1000}; 0 never)
  --http-bind-address ADDR  serve /metrics, /healthz, /readyz and /requests here (default :8080; "off" disables)
  --tls-cert-file PATH, --tls-private-key-file PATH
                            serve HTTPS with this certificate (PEM); /requests, where departments read
                            their own requests with their own tokens, is served only over HTTPS or on loopback
  --metrics-auth BOOL       /metrics only for callers whose bearer token the API server authorizes to get
                            the non-resource URL /metrics (ClusterRole yunshu-metrics-reader) (default true);
                            false is refused unless --http-bind-address is a loopback address
  --prometheus-url URL      the Prometheus holding chargeback's metering: departments read their own
                            month through yunshu's /metering (the console's statement page)
  --prometheus-token-file PATH, --prometheus-ca PATH
                            a bearer token and a CA certificate (PEM) for it
  --leader-elect            run as one of several replicas: only the holder of a Lease writes
  --leader-election-namespace NS, --leader-election-id NAME
                            where the Lease lives (default ${OPERATOR_NAMESPACE}/${OPERATOR_LEASE})
  --log-level LEVEL         debug | info | warn | error (default info)

Self-service (also as \`kubectl yunshu …\`; \`yunshu COMMAND --help\` for each):
  yunshu request [flags]    a department asks for a new tenant, a quota change or namespaces
  yunshu show NAME          one request in full: whether it fits, the decision, the outcome
  yunshu requests           the platform team's queue of pending requests, with whether each fits
  yunshu approve|deny NAME --reason TEXT
                            a platform admin decides a request
  yunshu tree               every tenant, province → city → county, with quota and usage
  yunshu usage TENANT       one tenant's quota by resource, and each namespace's share
  yunshu mine               the tenants you own or are a member of, with their namespaces on every cluster
  yunshu bill --month YYYY-MM
                            a month's statement per department, cluster and resource, priced by the PriceSheet
`;

function wholeNumber(name: string, value: string | undefined, fallback: number, min: 0 | 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a ${min === 1 ? "positive " : ""}whole number${min === 0 ? " (0 or more)" : ""}, not ${JSON.stringify(value)}`);
  return n;
}

const positiveInt = (name: string, value: string | undefined, fallback: number) => wholeNumber(name, value, fallback, 1);
const nonNegativeInt = (name: string, value: string | undefined, fallback: number) => wholeNumber(name, value, fallback, 0);

class UsageError extends Error {}

async function runOperator(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      kubeconfig: { type: "string" },
      context: { type: "string" },
      "as-operator": { type: "boolean", default: false },
      workers: { type: "string" },
      resync: { type: "string" },
      qps: { type: "string" },
      burst: { type: "string" },
      "max-pending-requests": { type: "string" },
      "monitoring-namespace": { type: "string" },
      "offboarding-grace-period": { type: "string" },
      "audit-interval": { type: "string" },
      "http-bind-address": { type: "string", default: ":8080" },
      "metrics-auth": { type: "string", default: "true" },
      "tls-cert-file": { type: "string" },
      "tls-private-key-file": { type: "string" },
      "prometheus-url": { type: "string" },
      "prometheus-token-file": { type: "string" },
      "prometheus-ca": { type: "string" },
      "leader-elect": { type: "boolean", default: false },
      "leader-election-namespace": { type: "string", default: OPERATOR_NAMESPACE },
      "leader-election-id": { type: "string", default: OPERATOR_LEASE },
      "log-level": { type: "string", default: "info" },
    },
  });
  const level = values["log-level"];
  if (!isLogLevel(level)) throw new UsageError(`--log-level must be debug, info, warn or error, not ${JSON.stringify(level)}`);
  const metricsAuth = values["metrics-auth"];
  if (metricsAuth !== "true" && metricsAuth !== "false") throw new UsageError(`--metrics-auth must be true or false, not ${JSON.stringify(metricsAuth)}`);
  const bindAddress = values["http-bind-address"];
  // Open metrics list tenants and pending requests by name: that is only for
  // a developer's own machine, never for an address others can reach.
  if (metricsAuth === "false" && bindAddress !== "off" && !isLoopback(parseBindAddress(bindAddress).host)) {
    throw new UsageError(`--metrics-auth=false needs a loopback --http-bind-address (127.0.0.1:PORT), not ${JSON.stringify(bindAddress)}`);
  }
  const certFile = values["tls-cert-file"];
  const keyFile = values["tls-private-key-file"];
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError("--tls-cert-file and --tls-private-key-file go together");
  const tls = certFile && keyFile ? { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") } : undefined;
  const log = createLogger(level);
  const metering = values["prometheus-url"]
    ? new PrometheusApi(prometheusTarget({ url: values["prometheus-url"], tokenFile: values["prometheus-token-file"], caFile: values["prometheus-ca"] }))
    : undefined;
  const kubeConfig = loadKubeConfig(values.kubeconfig, values.context);
  const impersonate = values["as-operator"] ? { user: OPERATOR_USERNAME, groups: OPERATOR_GROUPS } : undefined;
  const operator = new Operator({
    kubeConfig,
    client: {
      qps: values.qps === "0" ? 0 : positiveInt("qps", values.qps, DEFAULT_QPS),
      burst: positiveInt("burst", values.burst, DEFAULT_BURST),
    },
    impersonate,
    workers: positiveInt("workers", values.workers, 4),
    resyncMs: positiveInt("resync", values.resync, 600) * 1000,
    maxPendingRequests: positiveInt("max-pending-requests", values["max-pending-requests"], DEFAULT_MAX_PENDING_REQUESTS),
    platform: {
      ...DEFAULT_PLATFORM,
      monitoringNamespace: values["monitoring-namespace"] ?? DEFAULT_PLATFORM.monitoringNamespace,
      offboardingGracePeriodMs: positiveInt("offboarding-grace-period", values["offboarding-grace-period"], DEFAULT_PLATFORM.offboardingGracePeriodMs / 1000) * 1000,
    },
    log,
    version: VERSION,
    auditIntervalMs: nonNegativeInt("audit-interval", values["audit-interval"], DEFAULT_AUDIT_INTERVAL_MS / 1000) * 1000,
    leaderElection: values["leader-elect"] ? { namespace: values["leader-election-namespace"], name: values["leader-election-id"] } : undefined,
    // A replica that lost its lease exits; its Deployment restarts it as a standby.
    onLostLeadership: () => process.exit(1),
  });
  if (bindAddress !== "off") {
    // A client of its own: reviews are not the leader's writes (a standby must
    // answer scrapes too), and a flood of scrapes waits on its own rate limit,
    // never on the reconciles'.
    const reviews = new KubeClient(kubeConfig, { userAgent: "yunshu-token-reviews", qps: 5, burst: 20, impersonate });
    const auth = metricsAuth === "true" ? new MetricsAuthorizer(reviews) : undefined;
    // Departments send their own tokens to /requests: never in clear text over a network.
    const requests =
      tls || isLoopback(parseBindAddress(bindAddress).host)
        ? new DepartmentRequestView({
            client: reviews,
            requests: operator.requests,
            tenants: operator.hub.caches.tenants,
            shares: operator.hub.caches.shares,
            hub: () => operator.hubClusterName,
            ...(metering ? { metering } : {}),
          })
        : undefined;
    const { port } = await startHttpServer(bindAddress, { registry: operator.metrics.registry, metering: operator.metrics.metering, isReady: () => operator.isReady, log, auth, requests, tls });
    log.info("serving /metrics, /healthz and /readyz", { port, https: tls !== undefined, metricsAuth: auth !== undefined, requests: requests !== undefined });
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down: finishing in-flight reconciles", { signal });
    operator.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error("shutdown failed", { error: err });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  // Like a daemon's reload: look at every tenant again now.
  process.on("SIGHUP", () => {
    log.info("SIGHUP: resyncing every tenant");
    operator.resyncAll();
  });
  process.on("SIGINT", () => stop("SIGINT"));
  log.info("starting yunshu operator", { server: operator.hub.client.server, version: VERSION });
  await operator.start();
}

async function runInstall(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { kubeconfig: { type: "string" }, context: { type: "string" } } });
  const client = new KubeClient(loadKubeConfig(values.kubeconfig, values.context), { userAgent: "yunshu-install" });
  await install(client, (message) => console.error(message));
  console.error(`yunshu installed into ${client.server}`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "operator":
      return runOperator(rest);
    case "install":
      return runInstall(rest);
    case "console":
      return (await import("../console/server/cli.ts")).runConsole(rest);
    case "request":
    case "show":
    case "requests":
    case "approve":
    case "deny":
    case "tree":
    case "usage":
    case "mine":
    case "bill":
      // Self-service is the kubectl plugin's; it prints its own errors and picks its exit code.
      process.exitCode = await (await import("./plugin/index.ts")).main(argv, "yunshu");
      return;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(HELP);
      return;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}; run \`yunshu help\``);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`yunshu: ${message}\n`);
  process.exit(err instanceof UsageError || (err as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? 2 : 1);
});
