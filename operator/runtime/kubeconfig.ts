// Where the operator and the CLI get their cluster credentials: an explicit
// kubeconfig file, else $KUBECONFIG / ~/.kube/config, else in-cluster.
// yunshu reads kubeconfigs itself because importing client-node's KubeConfig
// loads client-node's whole generated API, about 35 MB of live heap in a
// process that never uses it. What a kubeconfig can say that is not supported
// here (credential plugins, basic auth, impersonation, proxies) is refused by
// name rather than ignored, so nobody ends up acting as someone else.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { parse } from "yaml";

/** Where an API server is and how to prove who we are to it; KubeClient turns this into TLS settings and headers. */
export interface ClusterCredentials {
  server: string;
  /** CA certificates to trust (PEM); without them, Node's default CAs. */
  caPem?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  bearerToken?: string;
  /** Read again at every credential refresh: the kubelet rotates projected ServiceAccount tokens in place. */
  tokenFile?: string;
  insecureSkipTlsVerify: boolean;
  /** The name to check the server's certificate against, when it is not the server URL's host. */
  tlsServerName?: string;
}

/** Where to look for credentials; tests point these elsewhere. */
export interface CredentialSources {
  env?: Record<string, string | undefined>;
  home?: string;
  serviceAccountDir?: string;
}

const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * The credentials of `context` (else the current context) of the kubeconfig
 * at `path`; without a path, of $KUBECONFIG (its files merged as kubectl
 * merges them), else of ~/.kube/config, else the pod's ServiceAccount.
 */
export function loadKubeConfig(path: string | undefined, context: string | undefined, sources: CredentialSources = {}): ClusterCredentials {
  const env = sources.env ?? process.env;
  if (path) return fromFiles([path], context);
  const listed = (env.KUBECONFIG ?? "").split(delimiter).filter(Boolean);
  if (listed.length > 0) {
    // Like kubectl: files of the list that do not exist are skipped.
    const existing = listed.filter((file) => existsSync(file));
    if (existing.length === 0) throw new Error(`$KUBECONFIG names ${listed.join(", ")}, none of which exists`);
    return fromFiles(existing, context);
  }
  const homeConfig = join(sources.home ?? homedir(), ".kube", "config");
  if (existsSync(homeConfig)) return fromFiles([homeConfig], context);
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new Error(`no kubeconfig: none given, $KUBECONFIG unset, no ${homeConfig}, and not in a pod (KUBERNETES_SERVICE_HOST/PORT unset)`);
  }
  if (context) throw new Error(`context "${context}" asked for, but there is no kubeconfig file: in-cluster credentials have no contexts`);
  return inCluster(host, port, sources.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
}

function inCluster(host: string, port: string, dir: string): ClusterCredentials {
  const tokenFile = join(dir, "token");
  readOrThrow(tokenFile, "in-cluster: cannot read the ServiceAccount token");
  return {
    server: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    caPem: readOrThrow(join(dir, "ca.crt"), "in-cluster: cannot read the cluster's CA certificate"),
    tokenFile,
    insecureSkipTlsVerify: false,
  };
}

type Fields = Record<string, unknown>;

/** A cluster, user or context, and the file it came from: relative paths in it are relative to that file. */
interface Entry {
  name: string;
  fields: Fields;
  file: string;
}

interface MergedConfig {
  files: string[];
  currentContext: string | undefined;
  clusters: Map<string, Entry>;
  users: Map<string, Entry>;
  contexts: Map<string, Entry>;
}

const SECTIONS = [
  ["clusters", "cluster"],
  ["users", "user"],
  ["contexts", "context"],
] as const;

/**
 * The current context's credentials from a kubeconfig held as text, such as
 * a member cluster's kubeconfig Secret; `origin` names it in errors. It must
 * carry its certificates and token inline (`*-data`, `token`): file paths
 * would point into the operator's own filesystem.
 */
export function parseKubeConfig(text: string, origin: string): ClusterCredentials {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new Error(`kubeconfig ${origin} is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  if (isFields(doc)) {
    const paths = [...JSON.stringify(doc).matchAll(/"(certificate-authority|client-certificate|client-key|tokenFile)"/g)].map((m) => m[1]);
    if (paths.length > 0) throw new Error(`kubeconfig ${origin} refers to files (${[...new Set(paths)].join(", ")}); inline them as *-data and token`);
  }
  return fromDocuments([{ file: origin, doc }], undefined);
}

function fromFiles(files: string[], context: string | undefined): ClusterCredentials {
  return fromDocuments(
    files.map((file) => ({ file, doc: parseYaml(file) })),
    context,
  );
}

/** kubectl's merge: the first file to set current-context, or to define a name, wins. */
function fromDocuments(docs: { file: string; doc: unknown }[], context: string | undefined): ClusterCredentials {
  const config: MergedConfig = { files: docs.map((d) => d.file), currentContext: undefined, clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const { file, doc } of docs) {
    // An empty file is a valid, empty kubeconfig.
    if (doc === null || doc === undefined) continue;
    if (!isFields(doc)) throw new Error(`kubeconfig ${file}: not a kubeconfig (expected a YAML mapping)`);
    config.currentContext ||= stringField(doc, "current-context", `kubeconfig ${file}`);
    for (const [section, key] of SECTIONS) {
      const entries = doc[section] ?? [];
      if (!Array.isArray(entries)) throw new Error(`kubeconfig ${file}: ${section} is not a list`);
      for (const entry of entries as unknown[]) {
        if (!isFields(entry) || typeof entry.name !== "string") throw new Error(`kubeconfig ${file}: an entry of ${section} has no name`);
        const fields = entry[key] ?? {};
        if (!isFields(fields)) throw new Error(`kubeconfig ${file}: ${key} "${entry.name}" is not a mapping`);
        if (!config[section].has(entry.name)) config[section].set(entry.name, { name: entry.name, fields, file });
      }
    }
  }
  return credentialsOf(config, context);
}

function credentialsOf(config: MergedConfig, requested: string | undefined): ClusterCredentials {
  const where = `kubeconfig ${config.files.join(", ")}`;
  const listOf = (entries: Map<string, Entry>) => (entries.size > 0 ? [...entries.keys()].join(", ") : "none");
  const contextName = requested ?? config.currentContext;
  if (!contextName) throw new Error(`${where} has no current-context; choose one of its contexts (${listOf(config.contexts)})`);
  const context = config.contexts.get(contextName);
  if (!context) throw new Error(`context "${contextName}" not found in ${where}; its contexts: ${listOf(config.contexts)}`);
  const contextWhere = `context "${contextName}" in ${context.file}`;

  const clusterName = stringField(context.fields, "cluster", contextWhere);
  if (!clusterName) throw new Error(`${contextWhere} names no cluster`);
  const cluster = config.clusters.get(clusterName);
  if (!cluster) throw new Error(`${contextWhere} names cluster "${clusterName}", which ${where} does not define (clusters: ${listOf(config.clusters)})`);
  const userName = stringField(context.fields, "user", contextWhere);
  const user = userName ? config.users.get(userName) : undefined;
  if (userName && !user) throw new Error(`${contextWhere} names user "${userName}", which ${where} does not define (users: ${listOf(config.users)})`);

  return { ...clusterSettings(cluster), ...(user ? userCredentials(user) : {}) };
}

function clusterSettings(cluster: Entry): Pick<ClusterCredentials, "server" | "caPem" | "insecureSkipTlsVerify" | "tlsServerName"> {
  const where = `cluster "${cluster.name}" in ${cluster.file}`;
  if (cluster.fields["proxy-url"] !== undefined) throw new Error(`${where} sets proxy-url: proxies are not supported, yunshu connects to the server directly`);
  const server = stringField(cluster.fields, "server", where);
  if (!server) throw new Error(`${where} has no server`);
  const insecure = cluster.fields["insecure-skip-tls-verify"] ?? false;
  if (typeof insecure !== "boolean") throw new Error(`${where}: insecure-skip-tls-verify must be true or false`);
  return {
    server,
    caPem: pem(cluster, "certificate-authority", where),
    insecureSkipTlsVerify: insecure,
    tlsServerName: stringField(cluster.fields, "tls-server-name", where),
  };
}

/** Fields of a kubeconfig user that would change who we act as, and why yunshu refuses each. */
const UNSUPPORTED_USER_FIELDS: Record<string, string> = {
  exec: "exec credential plugins are not supported",
  "auth-provider": "auth-provider plugins are not supported",
  username: "basic authentication is not supported (Kubernetes removed it in 1.19)",
  password: "basic authentication is not supported (Kubernetes removed it in 1.19)",
  as: "impersonation from a kubeconfig is not supported",
  "as-uid": "impersonation from a kubeconfig is not supported",
  "as-groups": "impersonation from a kubeconfig is not supported",
  "as-user-extra": "impersonation from a kubeconfig is not supported",
};

function userCredentials(user: Entry): Pick<ClusterCredentials, "clientCertPem" | "clientKeyPem" | "bearerToken" | "tokenFile"> {
  const where = `user "${user.name}" in ${user.file}`;
  for (const [field, why] of Object.entries(UNSUPPORTED_USER_FIELDS)) {
    if (user.fields[field] !== undefined) {
      throw new Error(`${where} sets ${field}: ${why}; use a token, a token file or a client certificate`);
    }
  }
  const clientCertPem = pem(user, "client-certificate", where);
  const clientKeyPem = pem(user, "client-key", where);
  if ((clientCertPem === undefined) !== (clientKeyPem === undefined)) {
    throw new Error(`${where} has a client ${clientCertPem ? "certificate but no key" : "key but no certificate"}`);
  }
  // As in kubectl, a token takes precedence over a token file.
  const bearerToken = stringField(user.fields, "token", where);
  let tokenFile: string | undefined;
  const tokenPath = stringField(user.fields, "tokenFile", where);
  if (!bearerToken && tokenPath) {
    tokenFile = resolve(dirname(user.file), tokenPath);
    readOrThrow(tokenFile, `${where}: cannot read tokenFile`);
  }
  return { clientCertPem, clientKeyPem, bearerToken, tokenFile };
}

/** A PEM from `<field>-data` (base64, preferred as in kubectl) or from the file `<field>` names. */
function pem(entry: Entry, field: "certificate-authority" | "client-certificate" | "client-key", where: string): string | undefined {
  const data = stringField(entry.fields, `${field}-data`, where);
  const path = stringField(entry.fields, field, where);
  if (data) {
    const text = Buffer.from(data, "base64").toString("utf8");
    if (!isPem(text)) throw new Error(`${where}: ${field}-data is not base64-encoded PEM`);
    return text;
  }
  if (!path) return undefined;
  const file = resolve(dirname(entry.file), path);
  const text = readOrThrow(file, `${where}: cannot read ${field}`);
  if (!isPem(text)) throw new Error(`${where}: ${field} ${file} is not PEM`);
  return text;
}

const isPem = (text: string) => text.includes("-----BEGIN ");

function parseYaml(file: string): unknown {
  const text = readOrThrow(file, "cannot read kubeconfig");
  try {
    return parse(text);
  } catch (err) {
    throw new Error(`kubeconfig ${file} is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
}

function readOrThrow(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${what} ${file}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (err as Error).message}`, { cause: err });
  }
}

function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringField(fields: Fields, key: string, where: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new Error(`${where}: ${key} must be a string`);
  return value;
}
