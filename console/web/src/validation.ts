// Checks a request before it is sent, with the validator build.ts compiled
// from the CRD, and says what is wrong in the page's language (ajv-i18n).
import type { ErrorObject } from "ajv";
import localizeEn from "ajv-i18n/localize/en";
import localizeZh from "ajv-i18n/localize/zh";
import { builtFrom, validate } from "virtual:request-validator";
import { MESSAGE_KEYWORD, type RuleMessage, schemaKey } from "./request-schema.ts";

export interface Problem {
  /** Where in the spec: ["tenant"], ["namespaces", "2"], ["quota", "hard", "requests.cpu"], ... */
  path: string[];
  message: string;
}

export interface Wording {
  required: string;
  rule(key: RuleMessage): string;
}

const fromPointer = (pointer: string): string[] =>
  pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));

const ruleOf = (error: ErrorObject): RuleMessage | undefined => {
  const key = error.parentSchema?.[MESSAGE_KEYWORD] as unknown;
  return typeof key === "string" ? (key as RuleMessage) : undefined;
};

/**
 * The request's problems; undefined when GET /api/schema differs from the
 * schema the validator was built from: then the API server alone judges,
 * rather than the page refusing what the server would take.
 */
export function check(request: Record<string, unknown>, served: Record<string, unknown>, language: string, wording: Wording): Problem[] | undefined {
  if (schemaKey(served) !== builtFrom) return undefined;
  if (validate(request)) return [];
  const errors = (validate.errors ?? []).filter(
    // "if" only says that a "then" failed, which has its own errors; the branches of an
    // anyOf say why each alternative failed, where the anyOf's own error says it once.
    (error) => error.keyword !== "if" && !error.schemaPath.includes("/anyOf/"),
  );
  (language === "en" ? localizeEn : localizeZh)(errors);
  return errors.map((error) => {
    const path = fromPointer(error.instancePath);
    const rule = ruleOf(error);
    if (error.keyword === "required") {
      return { path: [...path, String((error.params as { missingProperty: unknown }).missingProperty)], message: wording.required };
    }
    return { path, message: rule ? wording.rule(rule) : (error.message ?? error.keyword) };
  });
}
