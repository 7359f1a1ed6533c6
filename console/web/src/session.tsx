// Who is signed in, and the console's event stream while they are: a
// `change` event makes every view of that topic read its data again, a
// `signed-out` event (or a 401 on any call) ends the session here too.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useNavigate } from "react-router";
import type { ChangeEvent, SessionInfo } from "../../api-types.ts";
import { api, type ApiError, asApiError, onSessionGone, setCsrfToken } from "./api.ts";

export type Topic = ChangeEvent["topic"];
const TOPICS: readonly Topic[] = ["mine", "requests", "queue", "tree", "fleet"];

/** Why the sign-in page shows: the session ended by itself, or the user signed out. */
export type Notice = "sessionEnded" | "signedOut";

export type SessionState =
  | { status: "loading" }
  | { status: "signed-out"; notice?: Notice; error?: ApiError }
  | { status: "signed-in"; session: SessionInfo };

interface SessionContextValue {
  state: SessionState;
  signIn(token: string): Promise<void>;
  signOut(): Promise<void>;
}

interface LiveContextValue {
  subscribe(listener: (topic: Topic) => void): () => void;
  /** Says `text` in the page's polite live region. */
  announce(text: string): void;
  announcement: string;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);
const LiveContext = createContext<LiveContextValue | undefined>(undefined);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

export function useLive(): LiveContextValue {
  const value = useContext(LiveContext);
  if (!value) throw new Error("useLive outside SessionProvider");
  return value;
}

const topicOf = (data: unknown): Topic | undefined => {
  try {
    const topic = (JSON.parse(String(data)) as Partial<ChangeEvent>).topic;
    return TOPICS.find((known) => known === topic);
  } catch {
    return undefined;
  }
};

const RECONNECT_MS = 5000;

export function SessionProvider({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const [state, setState] = useState<SessionState>({ status: "loading" });
  const listeners = useRef(new Set<(topic: Topic) => void>());
  const [announcement, setAnnouncement] = useState("");

  const end = useCallback(
    (notice: Notice) => {
      setCsrfToken("");
      setState({ status: "signed-out", notice });
      void navigate("/signin", { replace: true });
    },
    [navigate],
  );

  useEffect(() => {
    onSessionGone(() => end("sessionEnded"));
    const controller = new AbortController();
    api.session(controller.signal).then(
      (session) => {
        setCsrfToken(session.csrfToken);
        setState({ status: "signed-in", session });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const failure = asApiError(error);
        setState(failure.status === 401 ? { status: "signed-out" } : { status: "signed-out", error: failure });
      },
    );
    return () => controller.abort();
  }, [end]);

  const signedIn = state.status === "signed-in";
  useEffect(() => {
    if (!signedIn) return;
    const notify = (topics: readonly Topic[]) => {
      for (const topic of topics) for (const listener of listeners.current) listener(topic);
    };
    let source: EventSource | undefined;
    let retry: number | undefined;
    let stopped = false;
    let missed = false;
    const open = () => {
      if (stopped) return;
      source = new EventSource("/api/events");
      source.addEventListener("change", (event) => {
        const topic = topicOf(event.data);
        if (topic) notify([topic]);
      });
      source.addEventListener("signed-out", () => end("sessionEnded"));
      // Whatever changed while the stream was down went unheard: read everything again.
      source.addEventListener("open", () => {
        if (missed) notify(TOPICS);
        missed = false;
      });
      source.addEventListener("error", () => {
        missed = true;
        // The browser reconnects by itself unless the console refused the stream; then ask
        // whether the session is still there (a 401 ends it) before opening it again.
        if (source?.readyState !== EventSource.CLOSED) return;
        retry = window.setTimeout(() => {
          api.session().then(open, (error: unknown) => {
            if (asApiError(error).status === 401) end("sessionEnded");
            else retry = window.setTimeout(open, RECONNECT_MS);
          });
        }, RECONNECT_MS);
      });
    };
    open();
    return () => {
      stopped = true;
      source?.close();
      window.clearTimeout(retry);
    };
  }, [signedIn, end]);

  const signIn = useCallback(
    async (token: string) => {
      const session = await api.signIn(token);
      setCsrfToken(session.csrfToken);
      setState({ status: "signed-in", session });
      void navigate("/", { replace: true });
    },
    [navigate],
  );

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } catch (error) {
      // A 401: the session had already ended, which is what was asked.
      if (asApiError(error).status !== 401) throw error;
    }
    end("signedOut");
  }, [end]);

  const session = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);

  const subscribe = useCallback((listener: (topic: Topic) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  // Emptied first, so that saying the same words again is heard again.
  const announce = useCallback((text: string) => {
    setAnnouncement("");
    window.requestAnimationFrame(() => setAnnouncement(text));
  }, []);
  const live = useMemo(() => ({ subscribe, announce, announcement }), [subscribe, announce, announcement]);

  return (
    <SessionContext value={session}>
      <LiveContext value={live}>{children}</LiveContext>
    </SessionContext>
  );
}
