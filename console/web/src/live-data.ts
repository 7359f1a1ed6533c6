// A view's data, read when the view shows and again whenever the console
// says its topic changed; the update is announced to screen readers.
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { asApiError, type ApiError } from "./api.ts";
import { type Topic, useLive } from "./session.tsx";

export interface LiveData<T> {
  data?: T;
  /** The last read's failure; data, when there is any, is from the read before. */
  error?: ApiError;
  loading: boolean;
  reload(): void;
}

/** `key` names what `load` reads (a request's name, say): a new key is a new view, an old key keeps its data. */
export function useLiveData<T>(load: (signal: AbortSignal) => Promise<T>, topics: readonly Topic[], key = ""): LiveData<T> {
  const { subscribe, announce } = useLive();
  const { t } = useTranslation();
  const [state, setState] = useState<{ key: string; data?: T; error?: ApiError }>({ key });
  const [read, setRead] = useState({ count: 0, live: false });
  const latest = useRef({ load, announce, updated: t("common.updated") });
  useEffect(() => {
    latest.current = { load, announce, updated: t("common.updated") };
  });

  useEffect(() => {
    const controller = new AbortController();
    latest.current.load(controller.signal).then(
      (data) => {
        setState({ key, data });
        if (read.live) latest.current.announce(latest.current.updated);
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((before) => (before.key === key ? { ...before, error: asApiError(error) } : { key, error: asApiError(error) }));
      },
    );
    return () => controller.abort();
  }, [key, read]);

  const topicList = topics.join(" ");
  useEffect(
    () =>
      subscribe((topic) => {
        if (topicList.split(" ").includes(topic)) setRead(({ count }) => ({ count: count + 1, live: true }));
      }),
    [subscribe, topicList],
  );

  const reload = useCallback(() => setRead(({ count }) => ({ count: count + 1, live: false })), []);
  const current = state.key === key;
  return {
    ...(current && state.data !== undefined ? { data: state.data } : {}),
    ...(current && state.error ? { error: state.error } : {}),
    loading: !current || (state.data === undefined && state.error === undefined),
    reload,
  };
}
