// Reading requests through yunshu instead of the API server: a department
// has no read access to TenantRequests (RBAC cannot filter a list by
// requester), so `requests` and `show` ask yunshu's /requests endpoint,
// which answers with what the caller's own token entitles it to see
// (operator/request/department-view.ts). The token is the kubeconfig's; the
// plugin holds nothing else.
import { readFileSync } from "node:fs";
import { getFromView, parseRefusal, type YunshuView } from "../request/view-client.ts";
import { loadKubeConfig } from "../runtime/kubeconfig.ts";
import { PluginError, UsageError } from "./errors.ts";
import type { GlobalFlags } from "./flags.ts";

export const VIEW_OPTIONS = {
  "yunshu-url": { type: "string" },
  "yunshu-ca": { type: "string" },
} as const;

export const VIEW_FLAGS_HELP = `  --yunshu-url URL     read through yunshu's department view (default: $YUNSHU_URL), for a
                       department: you see what is yours (the requests you filed or that concern
                       your tenants, the Shares your tenants are a side of)
  --yunshu-ca PATH     CA certificate (PEM) to trust for --yunshu-url (default: $YUNSHU_CA)
`;

export type { YunshuView };

/** The view to read through, when --yunshu-url or $YUNSHU_URL names one. */
export function yunshuView(values: { "yunshu-url"?: string; "yunshu-ca"?: string }, env: NodeJS.ProcessEnv = process.env): YunshuView | undefined {
  const raw = values["yunshu-url"] ?? env.YUNSHU_URL;
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--yunshu-url must be a URL such as https://yunshu.example.gov.cn:8080, not ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`--yunshu-url must be https:// (or http:// on this machine), not ${url.protocol}`);
  const caFile = values["yunshu-ca"] ?? env.YUNSHU_CA;
  return { url, ...(caFile ? { ca: readFileSync(caFile, "utf8") } : {}) };
}

function bearerToken(flags: GlobalFlags): string {
  const credentials = loadKubeConfig(flags.kubeconfig, flags.context);
  const token = credentials.bearerToken ?? (credentials.tokenFile ? readFileSync(credentials.tokenFile, "utf8").trim() : undefined);
  if (!token) throw new PluginError("yunshu's request view needs a bearer token in your kubeconfig (OIDC, a ServiceAccount token); a client certificate cannot be passed on");
  return token;
}

/** GET `path` (/requests, /requests/NAME, /shares, /mine) from yunshu as the kubeconfig's user. */
export async function readThroughYunshu<T>(view: YunshuView, flags: GlobalFlags, path: string): Promise<T> {
  const { status, body } = await getFromView(view, bearerToken(flags), path).catch((err: unknown) => {
    throw new PluginError(`cannot reach yunshu at ${view.url.origin}: ${(err as Error).message}; check --yunshu-url (and --yunshu-ca)`);
  });
  if (status === 200) return JSON.parse(body) as T;
  throw new PluginError(`yunshu answered ${status}: ${parseRefusal(body).message}`);
}
