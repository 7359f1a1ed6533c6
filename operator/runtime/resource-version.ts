// Which of two copies of one object is newer. A controller that reads from
// an informer cache also holds the API server's answers to its own writes;
// until the cache has caught up, the answer is the truth, for every field:
// a quota's limits and the usage reported with them alike.

/**
 * resourceVersions are etcd revisions: numbers that only grow. Kubernetes
 * asks clients not to rely on that, so anything else counts as unknown.
 */
export function versionOf(obj: { metadata: { resourceVersion?: string } } | undefined): bigint | undefined {
  const v = obj?.metadata.resourceVersion;
  return v && /^\d+$/.test(v) ? BigInt(v) : undefined;
}

/**
 * The cached copy once it is at least as new as the written one; the written
 * one before that. Unknown versions believe the cache, the copy every other
 * controller sees.
 */
export function newerObject<T extends { metadata: { resourceVersion?: string } }>(cached: T | undefined, written: T): T | undefined {
  const cachedVersion = versionOf(cached);
  const writtenVersion = versionOf(written);
  if (writtenVersion === undefined) return cached;
  if (cached && cachedVersion !== undefined && cachedVersion >= writtenVersion) return cached;
  if (cached && cachedVersion === undefined) return cached;
  return written;
}
