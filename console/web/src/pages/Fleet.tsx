// 集群: the hub and its member clusters, whether they are ready, and how much
// of their capacity tenants hold.
import { useTranslation } from "react-i18next";
import type { ClusterView } from "../../../api-types.ts";
import { api } from "../api.ts";
import { useLabels } from "../components/labels.tsx";
import { ErrorNotice, Loading } from "../components/notices.tsx";
import { Page } from "../components/Page.tsx";
import { UsageChart } from "../components/UsageChart.tsx";
import { useLiveData } from "../live-data.ts";

function ClusterCard({ cluster }: { cluster: ClusterView }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const headingId = `cluster-${cluster.name}`;
  return (
    <article data-cluster={cluster.name} aria-labelledby={headingId}>
      <header>
        <h2 id={headingId}>
          {cluster.displayName ?? cluster.name} {cluster.displayName && <code className="name">{cluster.name}</code>} <span className={`ready ready-${cluster.ready}`}>{labels.ready(cluster.ready)}</span>
        </h2>
        <dl className="facts">
          <dt>{t("fleet.region")}</dt>
          <dd>{cluster.region ?? "—"}</dd>
          <dt>{t("fleet.tier")}</dt>
          <dd>{cluster.tier ? labels.tier(cluster.tier) : "—"}</dd>
          <dt>{t("fleet.version")}</dt>
          <dd>{cluster.kubernetesVersion ?? "—"}</dd>
          <dt>{t("fleet.tenants")}</dt>
          <dd>{cluster.tenants}</dd>
          <dt>{t("fleet.namespaces")}</dt>
          <dd>{cluster.namespaces}</dd>
        </dl>
      </header>
      {cluster.conditions.length > 0 && (
        <>
          <h3>{t("fleet.conditions")}</h3>
          <ul className="conditions">
            {cluster.conditions.map((condition) => (
              <li key={condition.type}>
                <strong>{condition.type}</strong> <span className={`verdict verdict-${condition.status}`}>{t(`fleet.status.${condition.status}`)}</span> {condition.reason}
                {condition.message && (
                  <>
                    {": "}
                    <span lang="en">{condition.message}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t("fleet.capacity")}</h3>
      {cluster.capacity.length === 0 ? (
        <p>{t("fleet.noCapacity")}</p>
      ) : (
        <UsageChart
          caption={t("fleet.capacityCaption")}
          rows={cluster.capacity.map((row) => ({ ...row, used: row.allocated, limit: row.capacity }))}
          usedLabel={t("usage.allocated")}
          limitLabel={t("usage.capacity")}
        />
      )}
    </article>
  );
}

export function Fleet() {
  const { t } = useTranslation();
  const fleet = useLiveData(api.fleet, ["fleet"]);
  return (
    <Page title={t("fleet.title")}>
      {fleet.error && <ErrorNotice error={fleet.error} />}
      {fleet.loading ? <Loading /> : fleet.data && (fleet.data.clusters.length === 0 ? <p>{t("fleet.empty")}</p> : fleet.data.clusters.map((cluster) => <ClusterCard key={cluster.name} cluster={cluster} />))}
    </Page>
  );
}
