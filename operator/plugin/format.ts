// Small text helpers shared by the plugin's views: terminal width of mixed
// Chinese and Latin text, truncation, ages and resource lists.

/** Columns a code point takes in a terminal: CJK and full-width forms take two, combining marks none. */
function codePointWidth(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** How many terminal columns `text` takes; department names are mostly Chinese, two columns a character. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += codePointWidth(ch.codePointAt(0)!);
  return width;
}

export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/** Cuts `text` to at most `width` columns, marking the cut with an ellipsis; newlines become spaces. */
export function truncate(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (displayWidth(flat) <= width) return flat;
  let out = "";
  let used = 0;
  for (const ch of flat) {
    const w = codePointWidth(ch.codePointAt(0)!);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out.trimEnd() + "…";
}

/** An age the way kubectl prints one: 45s, 3m20s, 2h, 5d. */
export function formatAge(since: string | undefined, now: Date): string {
  if (!since) return "-";
  const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000));
  if (!Number.isFinite(seconds)) return "-";
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (seconds < 120) return `${seconds}s`;
  if (minutes < 10) return seconds % 60 ? `${minutes}m${seconds % 60}s` : `${minutes}m`;
  if (hours < 3) return `${minutes}m`;
  if (hours < 8) return minutes % 60 ? `${hours}h${minutes % 60}m` : `${hours}h`;
  if (hours < 48) return `${hours}h`;
  if (days < 8) return hours % 24 ? `${days}d${hours % 24}h` : `${days}d`;
  if (days < 365 * 2) return `${days}d`;
  return `${Math.floor(days / 365)}y${days % 365}d`;
}

/** RFC 3339 to the second, as Kubernetes writes condition times. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A resource list on one line, such as `cpu 40, memory 64Gi, pods 100`.
 * ResourceQuota treats `requests.cpu` and `cpu` (likewise memory and
 * ephemeral-storage) as the same limit, so the prefix is dropped unless the
 * list also holds the bare name.
 */
export function compactResources(list: Record<string, string | number> | undefined): string {
  const keys = Object.keys(list ?? {}).sort();
  if (keys.length === 0) return "-";
  return keys.map((k) => `${shortResourceName(k, keys)} ${String(list![k])}`).join(", ");
}

function shortResourceName(resource: string, all: readonly string[]): string {
  if (!resource.startsWith("requests.")) return resource;
  const bare = resource.slice("requests.".length);
  return all.includes(bare) ? resource : bare;
}
