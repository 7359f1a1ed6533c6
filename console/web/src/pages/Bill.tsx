// 账单: a month's statement of the department's tenants and those under
// them, priced by the platform's PriceSheet: a summary, each tenant's amount
// as a chart (and a table), then each tenant's lines, subtotal and total with
// the tenants below it. The month is in the URL (?month=2026-10), so a
// statement can be linked; the same statement downloads as CSV.
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import type { BillAnswer, StatementLine, TenantStatement } from "../../../api-types.ts";
import { api, type ApiError, billCsvUrl } from "../api.ts";
import { HorizontalBars } from "../components/HorizontalBars.tsx";
import { ErrorNotice, Loading } from "../components/notices.tsx";
import { Page } from "../components/Page.tsx";
import { Scrollable } from "../components/Scrollable.tsx";
import { useLiveData } from "../live-data.ts";
import { useLive } from "../session.tsx";

/** China Standard Time: +08:00, no daylight saving. Statements are in it, whatever the browser's zone. */
const CST_MS = 8 * 3600_000;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month `offset` months from the present one, YYYY-MM, in China Standard Time. */
export function chinaMonth(offset: number, now = Date.now()): string {
  const wall = new Date(now + CST_MS);
  return new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
}

/** Fen as yuan: ¥1,234.56, in integers all the way (no float rounding). */
export function yuan(fen: number): string {
  const whole = Math.abs(Math.round(fen));
  const grouped = String(Math.floor(whole / 100)).replace(/\B(?=(\d{3})+$)/g, ",");
  return `${fen < 0 ? "-" : ""}¥${grouped}.${String(whole % 100).padStart(2, "0")}`;
}

/** An instant as China Standard Time's wall clock, in ISO form (2026-10-01T00:00:00.000Z reads 2026-10-01 00:00 in Beijing). */
const wallClock = (iso: string): string | undefined => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms + CST_MS).toISOString();
};

/**
 * A line's [from, to): whole days as dates, the last day included
 * (2026-10-01 – 2026-10-15 ends at 2026-10-16 00:00); anything else as
 * times, the end as it is (excluded).
 */
export function period(from: string, to: string): { from: string; to: string } {
  const start = wallClock(from);
  const end = wallClock(to);
  if (!start || !end) return { from, to };
  const midnight = (wall: string) => wall.slice(11, 23) === "00:00:00.000";
  if (midnight(start) && midnight(end)) {
    return { from: start.slice(0, 10), to: new Date(Date.parse(end) - 1000).toISOString().slice(0, 10) };
  }
  const text = (wall: string) => `${wall.slice(0, 10)} ${wall.slice(11, 16)}`;
  return { from: text(start), to: text(end) };
}

/** Parents before the tenants under them (depth first), otherwise in the statement's order. */
function treeOrder(tenants: readonly TenantStatement[]): TenantStatement[] {
  const names = new Set(tenants.map((tenant) => tenant.tenant));
  const children = new Map<string, TenantStatement[]>();
  const roots: TenantStatement[] = [];
  for (const tenant of tenants) {
    if (tenant.parent && tenant.parent !== tenant.tenant && names.has(tenant.parent)) children.set(tenant.parent, [...(children.get(tenant.parent) ?? []), tenant]);
    else roots.push(tenant);
  }
  const ordered: TenantStatement[] = [];
  const seen = new Set<string>();
  const visit = (tenant: TenantStatement) => {
    if (seen.has(tenant.tenant)) return;
    seen.add(tenant.tenant);
    ordered.push(tenant);
    for (const child of children.get(tenant.tenant) ?? []) visit(child);
  };
  for (const root of roots) visit(root);
  // A loop of parents has no root: shown after the others, as it comes.
  for (const tenant of tenants) visit(tenant);
  return ordered;
}

function useBillLabels() {
  const { t, i18n } = useTranslation();
  const monthName = new Intl.DateTimeFormat(i18n.language, { year: "numeric", month: "long", timeZone: "UTC" });
  const unit = (value: string) => t(`bill.unit.${value}`, { defaultValue: value });
  return {
    month: (month: string) => {
      const [year, index] = month.split("-").map(Number);
      return year && index ? monthName.format(Date.UTC(year, index - 1, 1)) : month;
    },
    method: (value: string) => t(`bill.method.${value}`, { defaultValue: value }),
    quantity: (line: StatementLine) => t("bill.quantityValue", { quantity: line.quantity, unit: unit(line.unit) }),
    price: (line: StatementLine) => t("bill.priceValue", { price: line.unitPrice, unit: unit(line.unit) }),
  };
}

function MonthForm({ month, onShow }: { month: string; onShow(month: string): void }) {
  const { t } = useTranslation();
  // A month the field cannot hold (?month=abc, which the server refuses) leaves it empty.
  const valid = MONTH.test(month) ? month : "";
  const [draft, setDraft] = useState(valid);
  // The URL's month changed (back, a link): the field follows it.
  const [shown, setShown] = useState(month);
  if (shown !== month) {
    setShown(month);
    setDraft(valid);
  }
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (draft) onShow(draft);
  };
  return (
    <form className="month-query" onSubmit={submit}>
      <div>
        <label htmlFor="bill-month">{t("bill.month")}</label>
        {/* Where type=month is not supported, a text field: the pattern and placeholder say the form. */}
        <input
          id="bill-month"
          name="month"
          type="month"
          required
          max={chinaMonth(0)}
          pattern="\d{4}-\d{2}"
          placeholder="2026-10"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
      </div>
      <button type="submit">{t("bill.show")}</button>
    </form>
  );
}

function AmountChart({ tenants }: { tenants: readonly TenantStatement[] }) {
  const { t } = useTranslation();
  const rows = tenants.map((tenant) => ({ name: tenant.displayName, value: tenant.totalFen, label: yuan(tenant.totalFen) }));
  return (
    <figure className="usage bill-chart">
      <figcaption>{t("bill.chartCaption")}</figcaption>
      <HorizontalBars rows={rows} domain={[0, "auto"]} tickFormatter={(fen) => yuan(fen).replace(/\.\d\d$/, "")} labelRoom={110} />
      <details>
        <summary>{t("common.viewData")}</summary>
        <Scrollable labelledBy="bill-chart-caption">
          <table className="striped nowrap">
            <caption id="bill-chart-caption" className="visually-hidden">
              {t("bill.chartCaption")}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("bill.chartTenant")}</th>
                <th scope="col" className="amount">
                  {t("bill.chartAmount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {tenants.map((tenant) => (
                <tr key={tenant.tenant}>
                  <th scope="row">
                    {tenant.displayName} <code className="name">{tenant.tenant}</code>
                  </th>
                  <td className="amount">{yuan(tenant.totalFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scrollable>
      </details>
    </figure>
  );
}

function Period({ line }: { line: StatementLine }) {
  const shown = period(line.from, line.to);
  return (
    <>
      {/* A no-break space before the dash: a narrow cell breaks after it. */}
      <time dateTime={line.from}>{shown.from}</time>
      {"\u00a0– "}
      <time dateTime={line.to}>{shown.to}</time>
    </>
  );
}

function TenantSection({ tenant, parentName }: { tenant: TenantStatement; parentName?: string | undefined }) {
  const { t } = useTranslation();
  const labels = useBillLabels();
  const headingId = `bill-tenant-${tenant.tenant}`;
  const rolledUp = tenant.rolledUpFen !== undefined && tenant.rolledUpFen !== tenant.totalFen ? tenant.rolledUpFen : undefined;
  const totals = [
    { key: "subtotal", label: t("bill.subtotal"), fen: tenant.totalFen, data: { "data-subtotal": tenant.totalFen } },
    ...(rolledUp === undefined ? [] : [{ key: "rolled-up", label: t("bill.rolledUp"), fen: rolledUp, data: { "data-rolled-up": rolledUp } }]),
  ];
  return (
    <section className="bill-tenant" data-tenant={tenant.tenant} aria-labelledby={headingId}>
      <h2 id={headingId}>
        {tenant.displayName} <code className="name">{tenant.tenant}</code>
      </h2>
      {tenant.parent && (
        <p>
          {t("bill.parent")}
          {t("bill.colon")}
          {parentName && <>{parentName} </>}
          <code>{tenant.parent}</code>
        </p>
      )}
      {tenant.lines.length === 0 ? (
        <>
          <p>{t("bill.noLines")}</p>
          <dl className="facts">
            {totals.map((total) => (
              <div key={total.key}>
                <dt>{total.label}</dt>
                <dd {...total.data}>{yuan(total.fen)}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : (
        <Scrollable labelledBy={`${headingId}-caption`}>
          <table className="striped nowrap bill-lines">
            <caption id={`${headingId}-caption`} className="visually-hidden">
              {t("bill.linesCaption", { name: tenant.displayName })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("bill.cluster")}</th>
                <th scope="col">{t("bill.resource")}</th>
                <th scope="col" className="amount">
                  {t("bill.quantity")}
                </th>
                <th scope="col" className="amount">
                  {t("bill.unitPrice")}
                </th>
                <th scope="col">{t("bill.period")}</th>
                <th scope="col" className="amount">
                  {t("bill.amount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {tenant.lines.map((line) => (
                <tr key={`${line.cluster} ${line.resource} ${line.from}`} data-line={`${line.cluster}/${line.resource}`}>
                  <td>{line.cluster}</td>
                  <td>
                    <code>{line.resource}</code>
                  </td>
                  <td className="amount">{labels.quantity(line)}</td>
                  <td className="amount">{labels.price(line)}</td>
                  <td className="period">
                    <Period line={line} />
                  </td>
                  <td className="amount" data-fen={line.amountFen}>
                    {yuan(line.amountFen)}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              {totals.map((total) => (
                <tr key={total.key}>
                  <th scope="row" colSpan={5} className="amount">
                    {total.label}
                  </th>
                  <td className="amount" {...total.data}>
                    {yuan(total.fen)}
                  </td>
                </tr>
              ))}
            </tfoot>
          </table>
        </Scrollable>
      )}
    </section>
  );
}

function StatementView({ statement }: { statement: BillAnswer }) {
  const { t } = useTranslation();
  const labels = useBillLabels();
  const ordered = treeOrder(statement.tenants);
  const displayNames = new Map(statement.tenants.map((tenant) => [tenant.tenant, tenant.displayName]));
  return (
    <>
      <dl className="facts bill-summary">
        <dt>{t("bill.month")}</dt>
        <dd>
          <time dateTime={statement.month}>{labels.month(statement.month)}</time>
        </dd>
        <dt>{t("bill.billedQuantity")}</dt>
        <dd data-billed-quantity={statement.billedQuantity}>{labels.method(statement.billedQuantity)}</dd>
        <dt>{t("bill.total")}</dt>
        <dd className="bill-total" data-total={statement.totalFen}>
          {yuan(statement.totalFen)}
        </dd>
      </dl>
      <p>
        <a href={billCsvUrl(statement.month)} download>
          {t("bill.csv")}
        </a>
      </p>
      {statement.unpriced.length > 0 && (
        <p className="notice" data-unpriced={statement.unpriced.join(" ")}>
          {t("bill.unpriced")}
          {statement.unpriced.map((resource, index) => (
            <span key={resource}>
              {index > 0 && t("bill.separator")}
              <code>{resource}</code>
            </span>
          ))}
        </p>
      )}
      {ordered.length === 0 ? (
        <p className="empty" data-empty>
          {t("bill.empty")}
        </p>
      ) : (
        <>
          <AmountChart tenants={ordered} />
          {ordered.map((tenant) => (
            <TenantSection key={tenant.tenant} tenant={tenant} parentName={tenant.parent ? displayNames.get(tenant.parent) : undefined} />
          ))}
        </>
      )}
    </>
  );
}

function BillError({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  if (error.status === 404 && error.body.reason === "MeteringNotConfigured") {
    return (
      <div className="notice" data-notice="MeteringNotConfigured">
        <p>
          <strong>{t("bill.notConfigured")}</strong>
        </p>
        <p>{t("bill.notConfiguredText")}</p>
      </div>
    );
  }
  if (error.status === 404 && error.body.reason === "NoPriceSheet") return <ErrorNotice error={error} headline={t("bill.noPriceSheet")} />;
  if (error.status === 400) return <ErrorNotice error={error} headline={t("bill.badMonth")} />;
  if (error.status === 403) return <ErrorNotice error={error} headline={t("bill.forbidden")} />;
  return <ErrorNotice error={error} />;
}

export function Bill() {
  const { t } = useTranslation();
  const labels = useBillLabels();
  const { announce } = useLive();
  const [search, setSearch] = useSearchParams();
  const month = search.get("month") || chinaMonth(-1);
  const bill = useLiveData((signal) => api.bill(month, signal), [], month);
  // Asked for by the user (rather than opened): say when the statement is there.
  const asked = useRef(false);
  const shownText = t("bill.shown", { month: labels.month(month) });
  useEffect(() => {
    if (!asked.current || (!bill.data && !bill.error)) return;
    asked.current = false;
    // An error speaks for itself (an alert).
    if (bill.data && !bill.error) announce(shownText);
  }, [bill.data, bill.error, announce, shownText]);

  const show = (chosen: string) => {
    asked.current = true;
    if (chosen === month) bill.reload();
    else setSearch({ month: chosen });
  };

  return (
    <Page title={t("bill.title")}>
      <MonthForm month={month} onShow={show} />
      {bill.error && <BillError error={bill.error} />}
      {bill.loading ? <Loading /> : bill.data && <StatementView statement={bill.data} />}
    </Page>
  );
}
