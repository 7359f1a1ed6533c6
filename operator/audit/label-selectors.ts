// metav1.LabelSelector as the API server and every network plugin read it:
// all of matchLabels and all of matchExpressions must hold, so an empty
// selector selects everything.
import type { LabelSelector, LabelSelectorRequirement } from "../api/core-types.ts";

export type Labels = Readonly<Record<string, string>>;

function requirementHolds({ key, operator, values = [] }: LabelSelectorRequirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, key);
  switch (operator) {
    case "In":
      return has && values.includes(labels[key]!);
    case "NotIn":
      // A label that is absent is not among the values: NotIn holds.
      return !has || !values.includes(labels[key]!);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
  }
}

export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((requirement) => requirementHolds(requirement, labels));
}

/** Equal for selectors that select the same way, whatever the order of their matchLabels: a memo key. */
export function selectorKey(selector: LabelSelector): string {
  const labels = Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([labels, selector.matchExpressions ?? []]);
}
