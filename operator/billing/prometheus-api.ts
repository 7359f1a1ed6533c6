// Reading Prometheus's HTTP API (instant and range queries), with a bearer
// token and a CA when it sits behind an authenticating proxy, as a
// platform's Prometheus usually does.
import { readFileSync } from "node:fs";
import { Agent, request } from "undici";

export interface PrometheusTarget {
  url: URL;
  token?: string;
  /** CA certificate (PEM) to trust for an https URL. */
  ca?: string;
}

export interface Series {
  metric: Record<string, string>;
  values: [number, string][];
}

export interface InstantSample {
  metric: Record<string, string>;
  value: [number, string];
}

export class PrometheusError extends Error {}

/** A target from command-line flags: the URL, and files holding a bearer token and a CA certificate. Throws on a URL that does not parse. */
export function prometheusTarget(flags: { url: string; tokenFile?: string | undefined; caFile?: string | undefined }): PrometheusTarget {
  const url = new URL(flags.url);
  return {
    url,
    ...(flags.tokenFile ? { token: readFileSync(flags.tokenFile, "utf8").trim() } : {}),
    ...(flags.caFile ? { ca: readFileSync(flags.caFile, "utf8") } : {}),
  };
}

export class PrometheusApi {
  private readonly target: PrometheusTarget;
  private readonly dispatcher: Agent | undefined;

  constructor(target: PrometheusTarget) {
    this.target = target;
    this.dispatcher = target.ca ? new Agent({ connect: { ca: target.ca } }) : undefined;
  }

  private async get<T>(path: string, params: Record<string, string>): Promise<T> {
    const url = new URL(`${this.target.url.pathname.replace(/\/$/, "")}${path}`, this.target.url);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.target.token) headers.authorization = `Bearer ${this.target.token}`;
    let response;
    try {
      response = await request(url, { headers, ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}), headersTimeout: 60_000, bodyTimeout: 120_000 });
    } catch (err) {
      throw new PrometheusError(`cannot reach Prometheus at ${this.target.url.origin}: ${(err as Error).message}`);
    }
    const text = await response.body.text();
    if (response.statusCode === 401 || response.statusCode === 403) throw new PrometheusError(`Prometheus at ${this.target.url.origin} answered ${response.statusCode}: give a token it accepts (--prometheus-token-file)`);
    let body: { status?: string; error?: string; data?: T };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new PrometheusError(`Prometheus at ${this.target.url.origin} answered ${response.statusCode} with something that is not its API's JSON: ${text.slice(0, 200)}`);
    }
    if (body.status !== "success" || body.data === undefined) throw new PrometheusError(`Prometheus refused the query (${response.statusCode}): ${body.error ?? text.slice(0, 200)}`);
    return body.data;
  }

  /** The series of `query` at every `stepSeconds` from `start` to `end` (epoch seconds, both included). */
  async queryRange(query: string, start: number, end: number, stepSeconds: number): Promise<Series[]> {
    const data = await this.get<{ result: Series[] }>("/api/v1/query_range", { query, start: String(start), end: String(end), step: String(stepSeconds) });
    return data.result;
  }

  async query(query: string, time: number): Promise<InstantSample[]> {
    const data = await this.get<{ result: InstantSample[] }>("/api/v1/query", { query, time: String(time) });
    return data.result;
  }

  async close(): Promise<void> {
    await this.dispatcher?.close();
  }
}
