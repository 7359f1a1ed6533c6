// The schema the request form validates with: TenantRequest.spec from the
// CRD, plus those of its CEL rules a form can check before the API server
// does. build.ts compiles it with Ajv into the bundle, because Ajv compiles
// schemas with `new Function`, which the console's Content-Security-Policy
// (script-src 'self', no 'unsafe-eval') forbids in the browser. The page
// checks that GET /api/schema still says what the compiled validator was
// built from (schemaKey) and leaves validation to the API server when not.
// Plain TypeScript without DOM or Node: build.ts runs it too.

type Schema = Record<string, unknown>;

/** A Kubernetes quantity that is not negative (the CRD says so in CEL). */
export const QUANTITY_PATTERN = "^(\\d+(\\.\\d*)?|\\.\\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\\d+)?$";

/** Set on a rule below; the page shows its own message for an error of that rule instead of Ajv's. */
export const MESSAGE_KEYWORD = "x-form-message";

export type RuleMessage = "tenantReserved" | "namespaceWord" | "namespaceSystem" | "quantity";

const message = (key: RuleMessage): Schema => ({ [MESSAGE_KEYWORD]: key });

const whenAction = (actions: string[], then: Schema): Schema => ({
  if: { properties: { action: { enum: actions } }, required: ["action"] },
  then,
});

// The CRD's CEL rules, for the fields the form shows (see crds/yunshu.io_tenantrequests.yaml).
const CEL_RULES: Schema = {
  properties: {
    tenant: { not: { anyOf: [{ enum: ["default", "kube", "yunshu"] }, { pattern: "^(kube|yunshu)-" }] }, ...message("tenantReserved") },
    namespaces: {
      uniqueItems: true,
      items: {
        allOf: [
          { pattern: "^[a-z0-9]+$", ...message("namespaceWord") },
          { not: { const: "system" }, ...message("namespaceSystem") },
        ],
      },
    },
    quota: {
      properties: {
        hard: { additionalProperties: { anyOf: [{ type: "integer", minimum: 0 }, { type: "string", pattern: QUANTITY_PATTERN }], ...message("quantity") } },
      },
    },
  },
  allOf: [
    whenAction(["Create"], { required: ["displayName", "level"] }),
    whenAction(["ChangeQuota"], { required: ["quota"], properties: { quota: { required: ["hard"] } } }),
    whenAction(["AddNamespaces", "RemoveNamespaces"], { required: ["namespaces"] }),
    whenAction(["ChangeSecurityLevel"], { required: ["securityLevel"] }),
  ],
};

const isSchema = (value: unknown): value is Schema => typeof value === "object" && value !== null && !Array.isArray(value);

/** The spec schema without requester among the required fields: the console fills it in, the form never asks. */
export function withoutRequester(spec: Schema): Schema {
  const required = Array.isArray(spec["required"]) ? spec["required"].filter((field) => field !== "requester") : [];
  return { ...spec, required };
}

export const formSchema = (spec: Schema): Schema => ({ allOf: [withoutRequester(spec), CEL_RULES] });

// Descriptions and x-kubernetes-* extensions do not change what validates (the CEL rules are
// the API server's alone), and the server may or may not pass them on.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isSchema(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .filter((key) => key !== "description" && !key.startsWith("x-kubernetes-"))
      .sort()
      .map((key) => [key, canonical(value[key])]),
  );
}

/** What validation depends on in a spec schema, as one string: equal keys, equal verdicts. */
export const schemaKey = (spec: Schema): string => JSON.stringify(canonical(withoutRequester(spec)));
