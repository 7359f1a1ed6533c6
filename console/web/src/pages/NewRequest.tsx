// 提交申请: a TenantRequest's spec, field by field as its action needs them.
// Checked here first (request-schema.ts), then by the API server; either's
// complaints are shown beside their fields and listed at the top.
import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import type { NewRequest as NewRequestBody, RequestAction } from "../../../api-types.ts";
import { api, asApiError, type ApiError } from "../api.ts";
import { useLabels } from "../components/labels.tsx";
import { ErrorNotice } from "../components/notices.tsx";
import { Page } from "../components/Page.tsx";
import { useLiveData } from "../live-data.ts";
import type { RuleMessage } from "../request-schema.ts";
import { check, type Problem } from "../validation.ts";

const ACTIONS: readonly RequestAction[] = ["Create", "ChangeQuota", "AddNamespaces", "RemoveNamespaces", "ChangeSecurityLevel", "Offboard"];

type Field = "displayName" | "level" | "parent" | "securityLevel" | "namespaces" | "quota";

// What each action asks besides tenant and reason; the CRD allows no other field with it.
const FIELDS: Record<RequestAction, readonly Field[]> = {
  Create: ["displayName", "level", "parent", "securityLevel", "namespaces", "quota"],
  ChangeQuota: ["quota"],
  AddNamespaces: ["namespaces"],
  RemoveNamespaces: ["namespaces"],
  ChangeSecurityLevel: ["securityLevel"],
  Offboard: [],
};

const REQUIRED: Record<RequestAction, readonly Field[]> = {
  Create: ["displayName", "level"],
  ChangeQuota: ["quota"],
  AddNamespaces: ["namespaces"],
  RemoveNamespaces: ["namespaces"],
  ChangeSecurityLevel: ["securityLevel"],
  Offboard: [],
};

const COMMON_RESOURCES = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "requests.storage", "persistentvolumeclaims", "pods", "services", "services.loadbalancers", "requests.nvidia.com/gpu"];
const EXAMPLES: Record<string, string> = { "requests.cpu": "8", "requests.memory": "16Gi", pods: "50", "limits.cpu": "16", "limits.memory": "32Gi", "requests.storage": "500Gi" };

interface QuotaEntry {
  key: number;
  resource: string;
  value: string;
}

interface Draft {
  action: RequestAction;
  tenant: string;
  reason: string;
  displayName: string;
  level: string;
  parent: string;
  securityLevel: string;
  namespaces: string;
  quota: QuotaEntry[];
}

/** Problems by the name of the control they belong to ("form" for the request as a whole). */
type FieldErrors = Map<string, string[]>;

const isAction = (value: string | null): value is RequestAction => ACTIONS.some((action) => action === value);

const idOf = (name: string): string => `field-${name.replaceAll(".", "-")}`;

function enumOf(schema: Record<string, unknown> | undefined, field: string): unknown[] | undefined {
  const properties = schema?.["properties"] as Record<string, Record<string, unknown> | undefined> | undefined;
  const values = properties?.[field]?.["enum"];
  return Array.isArray(values) ? values : undefined;
}

function maxLengthOf(schema: Record<string, unknown> | undefined, field: string): number | undefined {
  const properties = schema?.["properties"] as Record<string, Record<string, unknown> | undefined> | undefined;
  const limit = properties?.[field]?.["maxLength"];
  return typeof limit === "number" ? limit : undefined;
}

/** The request as the API takes it: only the action's fields, and none left empty. */
function requestOf(draft: Draft): { request: NewRequestBody; rowOf: Map<string, number>; problems: [string, string][] } {
  const fields = FIELDS[draft.action];
  // Left out when empty, like every other field, so that the schema says they are required.
  const request = { action: draft.action, ...(draft.tenant.trim() ? { tenant: draft.tenant.trim() } : {}), ...(draft.reason.trim() ? { reason: draft.reason.trim() } : {}) } as NewRequestBody;
  const problems: [string, string][] = [];
  const rowOf = new Map<string, number>();
  const text = (field: "displayName" | "level" | "parent") => {
    const value = draft[field].trim();
    if (fields.includes(field) && value) request[field] = value;
  };
  text("displayName");
  text("level");
  text("parent");
  if (fields.includes("securityLevel") && draft.securityLevel) request["securityLevel"] = Number(draft.securityLevel);
  if (fields.includes("namespaces")) {
    const namespaces = draft.namespaces
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    if (namespaces.length > 0) request["namespaces"] = namespaces;
  }
  if (fields.includes("quota")) {
    const hard: Record<string, string> = {};
    draft.quota.forEach((entry, row) => {
      const resource = entry.resource.trim();
      const value = entry.value.trim();
      if (!value) return;
      if (!resource) problems.push([`quota.hard.resource.${row}`, "resourceMissing"]);
      else if (rowOf.has(resource)) problems.push([`quota.hard.resource.${row}`, "resourceTwice"]);
      else {
        hard[resource] = value;
        rowOf.set(resource, row);
      }
    });
    if (Object.keys(hard).length > 0) request["quota"] = { hard };
  }
  return { request, rowOf, problems };
}

/** The control a problem at `path` of the spec belongs to. */
function fieldOf(path: readonly string[], rowOf: Map<string, number>): string {
  const [top, second, third] = path;
  if (top === "quota") {
    const row = second === "hard" && third !== undefined ? rowOf.get(third) : undefined;
    return row === undefined ? "quota" : `quota.hard.value.${row}`;
  }
  return top && ["tenant", "action", "reason", "displayName", "level", "parent", "securityLevel", "namespaces"].includes(top) ? top : "form";
}

/** The API server's field paths (spec.namespaces[0], .spec.quota.hard.pods, ...) as spec paths. */
function causePath(field: string): string[] {
  const path = field.replace(/^\.?spec\./, "");
  // A resource name has dots of its own: all after quota.hard is one key, bracketed or not.
  const resource = /^quota\.hard(?:\.|\[['"]?)(.+?)(?:['"]?\])?$/.exec(path)?.[1];
  if (resource) return ["quota", "hard", resource];
  return path.split(/[.[\]]/).filter(Boolean);
}

function FieldNotes({ name, help, errors }: { name: string; help?: ReactNode; errors: FieldErrors }) {
  const { t } = useTranslation();
  const messages = errors.get(name) ?? [];
  return (
    <>
      {messages.length > 0 && (
        <small id={`${idOf(name)}-error`} className="field-error">
          {messages.join(t("form.separator"))}
        </small>
      )}
      {help && <small id={`${idOf(name)}-help`}>{help}</small>}
    </>
  );
}

export function NewRequest() {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const listId = useId();
  const [search] = useSearchParams();
  const schema = useLiveData(api.schema, []);
  const mine = useLiveData(api.mine, ["mine"]);
  const summary = useRef<HTMLDivElement>(null);
  const serverAlert = useRef<HTMLDivElement>(null);
  const nextKey = useRef(3);
  const initialAction = search.get("action");
  const [draft, setDraft] = useState<Draft>(() => ({
    action: isAction(initialAction) ? initialAction : "Create",
    tenant: search.get("tenant") ?? "",
    reason: "",
    displayName: "",
    level: "",
    parent: "",
    securityLevel: "",
    namespaces: "",
    quota: ["requests.cpu", "requests.memory", "pods"].map((resource, key) => ({ key, resource, value: "" })),
  }));
  const [errors, setErrors] = useState<FieldErrors>(new Map());
  const [serverError, setServerError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const spec = schema.data?.spec;
  const fields = FIELDS[draft.action];
  const required = REQUIRED[draft.action];
  const owned = (mine.data?.tenants ?? []).filter((tenant) => tenant.relation === "owner");
  const levels = enumOf(spec, "level")?.map(String);
  const securityLevels = (enumOf(spec, "securityLevel") ?? [2, 3, 4]).map(String);
  const actions = ACTIONS.filter((action) => enumOf(spec, "action")?.includes(action) ?? true);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((before) => ({ ...before, [key]: value }));
  const setRow = (key: number, change: Partial<QuotaEntry>) => set("quota", draft.quota.map((entry) => (entry.key === key ? { ...entry, ...change } : entry)));

  const describedBy = (name: string, help: boolean) =>
    [errors.has(name) ? `${idOf(name)}-error` : "", help ? `${idOf(name)}-help` : ""].filter(Boolean).join(" ") || undefined;
  const control = (name: string, help = false) => ({
    id: idOf(name),
    name,
    "aria-invalid": errors.has(name) || undefined,
    "aria-describedby": describedBy(name, help),
  });

  const wording = { required: t("form.problem.required"), rule: (key: RuleMessage) => t(`form.problem.${key}`) };

  function problemsOf(request: NewRequestBody, rowOf: Map<string, number>, own: [string, string][]): FieldErrors {
    const found: FieldErrors = new Map();
    const add = (field: string, message: string) => found.set(field, [...(found.get(field) ?? []), message]);
    for (const [field, key] of own) add(field, t(`form.problem.${key}`));
    const problems: Problem[] = spec ? (check(request, spec, i18n.language, wording) ?? []) : [];
    for (const problem of problems) {
      const field = fieldOf(problem.path, rowOf);
      const line = problem.path[0] === "namespaces" && problem.path[1] !== undefined ? t("form.line", { n: Number(problem.path[1]) + 1 }) : "";
      add(field, line + problem.message);
    }
    return found;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setServerError(undefined);
    const { request, rowOf, problems } = requestOf(draft);
    const found = problemsOf(request, rowOf, problems);
    setErrors(found);
    if (found.size > 0) {
      window.requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setBusy(true);
    try {
      const filed = await api.file(request);
      void navigate(`/requests/${encodeURIComponent(filed.name)}`);
    } catch (failure) {
      const error = asApiError(failure);
      const fromServer: FieldErrors = new Map();
      for (const cause of error.body.causes ?? []) {
        if (!cause.field) continue;
        const field = fieldOf(causePath(cause.field), rowOf);
        if (field !== "form") fromServer.set(field, [...(fromServer.get(field) ?? []), cause.message]);
      }
      setErrors(fromServer);
      setServerError(error);
      setBusy(false);
      window.requestAnimationFrame(() => serverAlert.current?.focus());
    }
  }

  const labelOf = (name: string): string => {
    if (name.startsWith("quota.hard.resource.")) return t("form.resourceN", { n: Number(name.split(".").at(-1)) + 1 });
    if (name.startsWith("quota.hard.value.")) return t("form.valueN", { n: Number(name.split(".").at(-1)) + 1 });
    if (name === "tenant") return draft.action === "Create" ? t("form.newTenant") : t("form.tenant");
    if (name === "parent") return t("form.parentOptional");
    if (["securityLevel", "namespaces", "quota"].includes(name) && !required.some((field) => field === name)) return t(`form.${name}Optional`);
    return t(`form.${name}`);
  };
  // The control a summary link goes to: a group's first control.
  const targetOf = (name: string): string => (name === "quota" ? "quota.hard.resource.0" : name === "form" ? "action" : name);
  const errorList = [...errors.entries()];

  return (
    <Page title={t("form.title")}>
      {errorList.length > 0 && (
        <div className="error-summary" role="group" tabIndex={-1} ref={summary} aria-labelledby="error-summary-title">
          <h2 id="error-summary-title">{t("form.fix", { n: errorList.reduce((count, [, messages]) => count + messages.length, 0) })}</h2>
          <ul>
            {errorList.flatMap(([name, messages]) =>
              messages.map((message, index) => (
                <li key={`${name} ${index}`}>
                  <a
                    href={`#${idOf(targetOf(name))}`}
                    onClick={(event) => {
                      event.preventDefault();
                      document.getElementById(idOf(targetOf(name)))?.focus();
                    }}
                  >
                    {name === "form" ? message : t("form.summaryItem", { label: labelOf(name), message })}
                  </a>
                </li>
              )),
            )}
          </ul>
        </div>
      )}
      <div ref={serverAlert} tabIndex={-1} className="server-alert">
        {serverError && <ErrorNotice error={serverError} headline={t("form.refused")} />}
      </div>
      {schema.error && <ErrorNotice error={schema.error} headline={t("form.noSchema")} />}
      <datalist id={`${listId}-tenants`}>
        {owned.map((tenant) => (
          <option key={tenant.name} value={tenant.name}>
            {tenant.displayName}
          </option>
        ))}
      </datalist>
      <datalist id={`${listId}-resources`}>
        {COMMON_RESOURCES.map((resource) => (
          <option key={resource} value={resource} />
        ))}
      </datalist>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor={idOf("action")}>{labelOf("action")}</label>
        <select {...control("action")} value={draft.action} onChange={(event) => isAction(event.target.value) && set("action", event.target.value)} required>
          {actions.map((action) => (
            <option key={action} value={action}>
              {labels.action(action)}
            </option>
          ))}
        </select>
        <FieldNotes name="action" errors={errors} />

        <label htmlFor={idOf("tenant")}>{labelOf("tenant")}</label>
        <input
          {...control("tenant", true)}
          value={draft.tenant}
          onChange={(event) => set("tenant", event.target.value)}
          required
          autoComplete="off"
          spellCheck={false}
          maxLength={maxLengthOf(spec, "tenant")}
          list={draft.action === "Create" ? undefined : `${listId}-tenants`}
        />
        <FieldNotes name="tenant" errors={errors} help={draft.action === "Create" ? t("form.help.newTenant") : t("form.help.tenant")} />

        {fields.includes("displayName") && (
          <>
            <label htmlFor={idOf("displayName")}>{labelOf("displayName")}</label>
            <input {...control("displayName", true)} value={draft.displayName} onChange={(event) => set("displayName", event.target.value)} required maxLength={maxLengthOf(spec, "displayName")} />
            <FieldNotes name="displayName" errors={errors} help={t("form.help.displayName")} />
          </>
        )}

        {fields.includes("level") && (
          <>
            <label htmlFor={idOf("level")}>{labelOf("level")}</label>
            {levels ? (
              <select {...control("level")} value={draft.level} onChange={(event) => set("level", event.target.value)} required>
                <option value="">{t("form.choose")}</option>
                {levels.map((level) => (
                  <option key={level} value={level}>
                    {labels.level(level)}
                  </option>
                ))}
              </select>
            ) : (
              <input {...control("level")} value={draft.level} onChange={(event) => set("level", event.target.value)} required />
            )}
            <FieldNotes name="level" errors={errors} />
          </>
        )}

        {fields.includes("parent") && (
          <>
            <label htmlFor={idOf("parent")}>{labelOf("parent")}</label>
            <input {...control("parent", true)} value={draft.parent} onChange={(event) => set("parent", event.target.value)} autoComplete="off" spellCheck={false} list={`${listId}-tenants`} maxLength={maxLengthOf(spec, "parent")} />
            <FieldNotes name="parent" errors={errors} help={t("form.help.parent")} />
          </>
        )}

        {fields.includes("securityLevel") && (
          <>
            <label htmlFor={idOf("securityLevel")}>{labelOf("securityLevel")}</label>
            <select {...control("securityLevel")} value={draft.securityLevel} onChange={(event) => set("securityLevel", event.target.value)} required={required.includes("securityLevel")}>
              <option value="">{required.includes("securityLevel") ? t("form.choose") : t("form.securityLevelDefault")}</option>
              {securityLevels.map((level) => (
                <option key={level} value={level}>
                  {labels.mlps(Number(level))}
                </option>
              ))}
            </select>
            <FieldNotes name="securityLevel" errors={errors} />
          </>
        )}

        {fields.includes("namespaces") && (
          <>
            <label htmlFor={idOf("namespaces")}>{labelOf("namespaces")}</label>
            <textarea {...control("namespaces", true)} rows={3} value={draft.namespaces} onChange={(event) => set("namespaces", event.target.value)} required={required.includes("namespaces")} spellCheck={false} />
            <FieldNotes name="namespaces" errors={errors} help={t("form.help.namespaces", { tenant: draft.tenant.trim() || t("form.help.tenantPlaceholder") })} />
          </>
        )}

        {fields.includes("quota") && (
          <fieldset aria-describedby={describedBy("quota", true)}>
            <legend>{labelOf("quota")}</legend>
            <FieldNotes name="quota" errors={errors} help={t("form.help.quota")} />
            {draft.quota.map((entry, row) => (
              <div className="quota-row" key={entry.key}>
                <div>
                  <label htmlFor={idOf(`quota.hard.resource.${row}`)}>
                    {t("form.resource")}
                    <span className="visually-hidden"> {row + 1}</span>
                  </label>
                  <input {...control(`quota.hard.resource.${row}`)} value={entry.resource} onChange={(event) => setRow(entry.key, { resource: event.target.value })} list={`${listId}-resources`} autoComplete="off" spellCheck={false} />
                  <FieldNotes name={`quota.hard.resource.${row}`} errors={errors} />
                </div>
                <div>
                  <label htmlFor={idOf(`quota.hard.value.${row}`)}>
                    {t("form.value")}
                    <span className="visually-hidden"> {row + 1}</span>
                  </label>
                  <input {...control(`quota.hard.value.${row}`)} value={entry.value} onChange={(event) => setRow(entry.key, { value: event.target.value })} placeholder={EXAMPLES[entry.resource.trim()] && t("form.example", { value: EXAMPLES[entry.resource.trim()] })} autoComplete="off" spellCheck={false} />
                  <FieldNotes name={`quota.hard.value.${row}`} errors={errors} />
                </div>
                <button type="button" className="secondary outline" onClick={() => set("quota", draft.quota.filter((other) => other.key !== entry.key))}>
                  {t("form.removeRow")}
                  <span className="visually-hidden"> {row + 1}</span>
                </button>
              </div>
            ))}
            <button type="button" className="secondary" onClick={() => set("quota", [...draft.quota, { key: nextKey.current++, resource: "", value: "" }])}>
              {t("form.addRow")}
            </button>
          </fieldset>
        )}

        <label htmlFor={idOf("reason")}>{labelOf("reason")}</label>
        <textarea {...control("reason", true)} rows={4} value={draft.reason} onChange={(event) => set("reason", event.target.value)} required maxLength={maxLengthOf(spec, "reason")} />
        <FieldNotes name="reason" errors={errors} help={t("form.help.reason")} />

        <button type="submit" aria-busy={busy} disabled={busy}>
          {t("form.submit")}
        </button>
      </form>
    </Page>
  );
}
