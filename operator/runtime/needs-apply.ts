// Whether a live object already carries everything yunshu wants in it, so
// that a steady state costs no writes. The API server adds defaults and other
// controllers add fields, so the test is "desired is contained in live", with
// two exceptions: labels and annotations under keys yunshu owns must match
// exactly (a label yunshu dropped must go), and quantities compare by amount
// (the API server may write 0.5 back as 500m).
import { parseQuantity } from "../api/quantity.ts";
import type { KubeObject } from "./kube-client.ts";

const OWNED_KEY = /^(yunshu\.io\/|pod-security\.kubernetes\.io\/)/;
const QUANTITY_MAPS = new Set(["hard", "default", "defaultRequest", "max", "min", "maxLimitRequestRatio"]);

function sameQuantity(a: unknown, b: unknown): boolean {
  try {
    return parseQuantity(a as string) === parseQuantity(b as string);
  } catch {
    return false;
  }
}

type Mode = "plain" | "quantityMap" | "quantity";

function contains(desired: unknown, live: unknown, mode: Mode = "plain", exactKeys = false): boolean {
  if (desired === live) return true;
  if (Array.isArray(desired)) {
    return Array.isArray(live) && desired.length === live.length && desired.every((d, i) => contains(d, live[i]));
  }
  if (desired !== null && typeof desired === "object") {
    if (live === null || typeof live !== "object" || Array.isArray(live)) return false;
    const liveRecord = live as Record<string, unknown>;
    // A quota's hard limits are exact: a limit someone added is a loosening.
    // (LimitRange maps are not: the API server fills defaultRequest from default.)
    if (mode === "quantityMap" && exactKeys && Object.keys(liveRecord).length !== Object.keys(desired).length) return false;
    return Object.entries(desired).every(([k, v]) => {
      const childMode: Mode = mode === "quantityMap" ? "quantity" : QUANTITY_MAPS.has(k) ? "quantityMap" : "plain";
      return v === undefined || contains(v, liveRecord[k], childMode, k === "hard");
    });
  }
  return mode === "quantity" && live !== undefined && sameQuantity(desired, live);
}

function ownedKeysMatch(desired: Record<string, string> | undefined, live: Record<string, string> | undefined): boolean {
  const want = Object.entries(desired ?? {}).filter(([k]) => OWNED_KEY.test(k));
  const have = Object.entries(live ?? {}).filter(([k]) => OWNED_KEY.test(k));
  return want.length === have.length && want.every(([k, v]) => live?.[k] === v);
}

export function needsApply(desired: KubeObject, live: KubeObject | undefined): boolean {
  if (!live) return true;
  const { metadata: dm, apiVersion: _a, kind: _k, ...desiredBody } = desired as KubeObject & Record<string, unknown>;
  const { metadata: lm, ...liveBody } = live as KubeObject & Record<string, unknown>;
  if (!contains(dm.labels ?? {}, lm.labels ?? {}) || !contains(dm.annotations ?? {}, lm.annotations ?? {})) return true;
  if (!ownedKeysMatch(dm.labels, lm.labels) || !ownedKeysMatch(dm.annotations, lm.annotations)) return true;
  return !contains(desiredBody, liveBody);
}
