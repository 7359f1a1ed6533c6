// `yunshu console`: the department console. It needs to know where the API
// server is (and its CA) and where yunshu's department view is; it takes
// no credentials, because it acts only with each signed-in user's token.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadKubeConfig } from "../../operator/runtime/kubeconfig.ts";
import { createLogger, isLogLevel } from "../../operator/runtime/log.ts";
import { startConsole } from "./server.ts";
import { repositoryPath } from "../../operator/repository.ts";

export const CONSOLE_HELP = `yunshu console — the department console (web), in Chinese and English

Usage:
  yunshu console --yunshu-url URL [flags]

Users sign in with their own Kubernetes bearer token; every read and write is made with it.
The console has no identity of its own: give it where the API server is, never credentials.

Flags:
  --api-server URL          the API server users sign in to (default: the kubeconfig's server,
                            or in a pod https://kubernetes.default.svc)
  --api-server-ca PATH      its CA certificate, PEM (default: the kubeconfig's, or in a pod the
                            ServiceAccount's ca.crt)
  --kubeconfig PATH, --context NAME
                            read the API server's address and CA from this kubeconfig; its
                            credentials are ignored
  --yunshu-url URL          yunshu's department view (the operator's --http-bind-address), such as
                            https://yunshu.yunshu-system.svc:8080
  --yunshu-ca PATH          CA certificate (PEM) for --yunshu-url
  --http-bind-address ADDR  where to serve the console (default :8443)
  --tls-cert-file PATH, --tls-private-key-file PATH
                            serve HTTPS with this certificate (required unless the address is loopback)
  --session-idle-timeout SECONDS
                            end a session unused this long (default 1800)
  --session-max-age SECONDS end every session this long after sign-in (default 28800); a token that
                            expires sooner ends it sooner
  --log-level LEVEL         debug | info | warn | error (default info)
`;

const IN_CLUSTER_CA = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

export const PAGE_DIR = repositoryPath("console", "web", "dist");

function seconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number of seconds, not ${JSON.stringify(value)}`);
  return n * 1000;
}

/** Where the API server is: the flag, the kubeconfig's server, or the pod's cluster. */
function apiServerOf(values: { "api-server"?: string; "api-server-ca"?: string; kubeconfig?: string; context?: string }) {
  const ca = values["api-server-ca"] ? readFileSync(values["api-server-ca"], "utf8") : undefined;
  if (values["api-server"]) return { server: values["api-server"], ...(ca ? { caPem: ca } : {}) };
  if (!values.kubeconfig && process.env.KUBERNETES_SERVICE_HOST && !process.env.KUBECONFIG) {
    return { server: "https://kubernetes.default.svc", caPem: ca ?? readFileSync(IN_CLUSTER_CA, "utf8") };
  }
  const { server, caPem, tlsServerName } = loadKubeConfig(values.kubeconfig, values.context);
  return { server, ...(ca ?? caPem ? { caPem: ca ?? caPem } : {}), ...(tlsServerName ? { tlsServerName } : {}) };
}

export async function runConsole(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      "api-server": { type: "string" },
      "api-server-ca": { type: "string" },
      kubeconfig: { type: "string" },
      context: { type: "string" },
      "yunshu-url": { type: "string" },
      "yunshu-ca": { type: "string" },
      "http-bind-address": { type: "string", default: ":8443" },
      "tls-cert-file": { type: "string" },
      "tls-private-key-file": { type: "string" },
      "session-idle-timeout": { type: "string" },
      "session-max-age": { type: "string" },
      "log-level": { type: "string", default: "info" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return void process.stdout.write(CONSOLE_HELP);
  const level = values["log-level"];
  if (!isLogLevel(level)) throw new Error(`--log-level must be debug, info, warn or error, not ${JSON.stringify(level)}`);
  if (!values["yunshu-url"]) throw new Error("--yunshu-url is required: the console reads a department's tenants and requests through yunshu's department view");
  const certFile = values["tls-cert-file"];
  const keyFile = values["tls-private-key-file"];
  if ((certFile === undefined) !== (keyFile === undefined)) throw new Error("--tls-cert-file and --tls-private-key-file go together");
  const log = createLogger(level);
  // The image has it built; a clone builds it with esbuild, a development dependency.
  if (!existsSync(`${PAGE_DIR}/index.html`)) throw new Error(`the console's page is not built in ${PAGE_DIR}: run \`make console-page\` (node console/web/build.ts) first`);
  const apiServer = apiServerOf(values);
  const running = await startConsole({
    apiServer,
    view: { url: new URL(values["yunshu-url"]), ...(values["yunshu-ca"] ? { ca: readFileSync(values["yunshu-ca"], "utf8") } : {}) },
    bindAddress: values["http-bind-address"],
    ...(certFile && keyFile ? { tls: { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") } } : {}),
    pageDir: PAGE_DIR,
    sessionLimits: {
      idleMs: seconds("session-idle-timeout", values["session-idle-timeout"], 1800),
      absoluteMs: seconds("session-max-age", values["session-max-age"], 28_800),
    },
    log,
  });
  log.info("console serving", { url: running.url, apiServer: apiServer.server, yunshu: values["yunshu-url"] });
  await new Promise<void>((resolve) => {
    const stop = () => void running.close().then(resolve);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
