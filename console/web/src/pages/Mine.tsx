// 我的租户: the tenants the user owns or is a member of, where their
// namespaces are, and how much of their quota they use.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { MyTenant } from "../../../api-types.ts";
import { api } from "../api.ts";
import { useLabels } from "../components/labels.tsx";
import { ErrorNotice, Loading } from "../components/notices.tsx";
import { Page } from "../components/Page.tsx";
import { UsageChart } from "../components/UsageChart.tsx";
import { useLiveData } from "../live-data.ts";

const newRequest = (action: string, tenant?: string) => `/requests/new?${new URLSearchParams({ action, ...(tenant ? { tenant } : {}) }).toString()}`;

function Namespaces({ tenant }: { tenant: MyTenant }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const stateOf = new Map(tenant.namespaces.map((namespace) => [namespace.name, namespace.state]));
  if (tenant.clusters.length === 0) {
    return <p>{t("mine.notPlaced")}</p>;
  }
  return (
    <>
      {tenant.clusters.map((cluster) => (
        <div key={cluster.name} className="cluster">
          <h4>
            {t("mine.cluster", { name: cluster.name })} <span className={`ready ready-${cluster.ready}`}>{labels.ready(cluster.ready)}</span>
          </h4>
          {cluster.message && <p lang="en">{cluster.message}</p>}
          {cluster.namespaces.length === 0 ? (
            <p>{t("mine.noNamespaces")}</p>
          ) : (
            <div className="overflow-auto">
              <table className="striped">
                <thead>
                  <tr>
                    <th scope="col">{t("mine.namespace")}</th>
                    <th scope="col">{t("mine.namespaceState")}</th>
                  </tr>
                </thead>
                <tbody>
                  {cluster.namespaces.map((namespace) => (
                    <tr key={namespace}>
                      <td>
                        <code>{namespace}</code>
                      </td>
                      <td>{labels.namespaceState(stateOf.get(namespace) ?? "Unknown")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ))}
    </>
  );
}

function TenantCard({ tenant }: { tenant: MyTenant }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const headingId = `tenant-${tenant.name}`;
  // Owners named as users or groups are always unverifiable (Kubernetes cannot list them): not a problem to show.
  const problems = tenant.conditions.filter((condition) => condition.status === "False" || (condition.status === "Unknown" && condition.reason !== "ExternalIdentities"));
  return (
    <article data-tenant={tenant.name} aria-labelledby={headingId}>
      <header>
        <h2 id={headingId}>
          {tenant.displayName} <code className="name">{tenant.name}</code>
        </h2>
        <dl className="facts">
          <dt>{t("mine.level")}</dt>
          <dd>{labels.level(tenant.level)}</dd>
          <dt>{t("mine.relation")}</dt>
          <dd>
            {labels.relation(tenant.relation)}
            {tenant.ownedThrough && <> ({t("mine.ownedThrough", { tenant: tenant.ownedThrough })})</>}
          </dd>
          {tenant.securityLevel !== undefined && (
            <>
              <dt>{t("mine.securityLevel")}</dt>
              <dd>{labels.mlps(tenant.securityLevel)}</dd>
            </>
          )}
          {tenant.parent && (
            <>
              <dt>{t("mine.parent")}</dt>
              <dd>
                <code>{tenant.parent}</code>
              </dd>
            </>
          )}
        </dl>
      </header>
      {tenant.offboarding && <p className="notice notice-warning">{t("mine.offboarding", { date: labels.time(tenant.offboarding.deleteAfter) || "—" })}</p>}
      {problems.length > 0 && (
        <ul className="conditions" aria-label={t("mine.conditions")}>
          {problems.map((condition) => (
            <li key={condition.type}>
              <strong>{condition.type}</strong>: {condition.reason} <span lang="en">{condition.message}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>{t("mine.namespaces")}</h3>
      <Namespaces tenant={tenant} />
      <h3>{t("mine.quota")}</h3>
      {tenant.quota.length === 0 ? (
        <p>{t("mine.noQuota")}</p>
      ) : (
        <UsageChart caption={t("mine.quotaCaption")} rows={tenant.quota.map((row) => ({ ...row, limit: row.hard }))} usedLabel={t("usage.used")} limitLabel={t("usage.hard")} />
      )}
      {tenant.relation === "owner" && !tenant.offboarding && (
        <footer>
          <Link to={newRequest("ChangeQuota", tenant.name)}>{t("mine.askQuota")}</Link>
          {" · "}
          <Link to={newRequest("AddNamespaces", tenant.name)}>{t("mine.askNamespaces")}</Link>
        </footer>
      )}
    </article>
  );
}

export function Mine() {
  const { t } = useTranslation();
  const mine = useLiveData(api.mine, ["mine"]);
  return (
    <Page title={t("mine.title")}>
      <p>
        <Link to="/requests/new">{t("requests.new")}</Link>
      </p>
      {mine.error && <ErrorNotice error={mine.error} />}
      {mine.loading ? (
        <Loading />
      ) : mine.data && mine.data.tenants.length === 0 ? (
        <section className="empty">
          <p>{t("mine.empty")}</p>
          <p>
            <Link to={newRequest("Create")}>{t("mine.fileCreate")}</Link>
          </p>
        </section>
      ) : (
        mine.data?.tenants.map((tenant) => <TenantCard key={tenant.name} tenant={tenant} />)
      )}
    </Page>
  );
}
