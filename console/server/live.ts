// GET /api/events: which of the user's views changed, streamed to the page
// as Server-Sent Events, so that a decision or a status change shows
// without a reload. The sources are watches made with the user's own
// token: yunshu's /watch (the requests and tenants the user sees, which the
// API server could not filter for a department) and, for a platform admin,
// the API server's own watches on what RBAC lets them list. Only the name
// of a view goes to the page; it reads the view again.
import type { ServerResponse } from "node:http";
import type { ChangeEvent } from "../api-types.ts";
import { CLUSTERS, TENANT_REQUESTS, TENANTS } from "../../operator/api/resources.ts";
import type { ResourceType } from "../../operator/api/meta.ts";
import { ApiError } from "../../operator/runtime/api-errors.ts";
import { sleep } from "../../operator/runtime/sleep.ts";
import type { Logger } from "../../operator/runtime/log.ts";
import { watchView, type YunshuView } from "../../operator/request/view-client.ts";
import { openChangeStream } from "../../operator/runtime/change-stream.ts";
import type { Session } from "./sessions.ts";

type Topic = ChangeEvent["topic"];

const RETRY_MS = 5_000;

/** What a platform admin's page follows on the API server, and the views each kind changes. */
const PLATFORM_WATCHES: [ResourceType, Topic[]][] = [
  [TENANT_REQUESTS, ["queue", "requests"]],
  [TENANTS, ["tree", "mine"]],
  [CLUSTERS, ["fleet"]],
];

export class LiveStreams {
  private readonly bySession = new Map<string, Set<() => void>>();
  private readonly view: YunshuView;
  private readonly log: Logger;

  constructor(view: YunshuView, log: Logger) {
    this.view = view;
    this.log = log;
  }

  /** Ends every stream of a session that ended: its page hears `signed-out`. */
  endFor(sessionId: string): void {
    for (const end of this.bySession.get(sessionId) ?? []) end();
    this.bySession.delete(sessionId);
  }

  open(res: ServerResponse, session: Session, headers: Record<string, string>, onTokenRefused: () => void): void {
    const stream = openChangeStream(res, headers, "live");
    const streams = this.bySession.get(session.id) ?? new Set();
    streams.add(stream.signedOut);
    this.bySession.set(session.id, streams);
    stream.closed.addEventListener("abort", () => streams.delete(stream.signedOut));

    const refused = () => {
      onTokenRefused();
      stream.signedOut();
    };
    void this.relayYunshu(session, stream.closed, stream.changed, refused);
    if (session.platformAdmin) for (const [type, topics] of PLATFORM_WATCHES) void this.followApiServer(session, type, topics, stream.closed, stream.changed, refused);
  }

  /** Relays yunshu's /watch for the user, reconnecting after a break. */
  private async relayYunshu(session: Session, signal: AbortSignal, changed: (t: Topic) => void, refused: () => void): Promise<void> {
    while (!signal.aborted) {
      try {
        const stream = await watchView(this.view, session.token, signal);
        if (stream.statusCode === 401) return refused();
        if (stream.statusCode !== 200) throw new Error(`yunshu's /watch answered ${stream.statusCode}`);
        let buffer = "";
        let event = "";
        for await (const chunk of stream) {
          buffer += (chunk as Buffer).toString();
          let newline: number;
          while ((newline = buffer.indexOf("\n")) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("data: ") && event === "change") changed((JSON.parse(line.slice(6)) as ChangeEvent).topic);
            else if (line.startsWith("data: ") && event === "signed-out") return refused();
            else if (line === "") event = "";
          }
        }
      } catch (err) {
        if (signal.aborted) return;
        this.log.debug("yunshu's /watch broke off; reconnecting", { user: session.user.username, error: err });
      }
      await sleep(RETRY_MS, signal);
    }
  }

  /** Lists, then watches `type` as the user, again and again until the page goes away. */
  private async followApiServer(session: Session, type: ResourceType, topics: Topic[], signal: AbortSignal, changed: (t: Topic) => void, refused: () => void): Promise<void> {
    while (!signal.aborted) {
      try {
        const { resourceVersion } = await session.client.list(type, { signal });
        for await (const event of session.client.watch(type, { resourceVersion, signal })) {
          if (event.type !== "BOOKMARK") topics.forEach(changed);
        }
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) return refused();
        // RBAC changed under the user: nothing to follow, and nothing to retry.
        if (err instanceof ApiError && err.status === 403) return;
        this.log.debug("a live watch broke off; starting again", { user: session.user.username, kind: type.kind, error: err });
      }
      await sleep(RETRY_MS, signal);
    }
  }
}
