// 组织树: every tenant under its parent, province → city → county, as nested
// lists (which screen readers announce with their level), each with its quota use.
import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { QuotaRow, TreeNode } from "../../../api-types.ts";
import { api } from "../api.ts";
import { useLabels } from "../components/labels.tsx";
import { ErrorNotice, Loading } from "../components/notices.tsx";
import { Page } from "../components/Page.tsx";
import { useLiveData } from "../live-data.ts";

interface Forest {
  roots: TreeNode[];
  childrenOf: Map<string, TreeNode[]>;
}

/** Nodes under their parents; a node whose parent is not there, or that no root reaches (a loop), is a root. */
function forest(nodes: readonly TreeNode[]): Forest {
  const names = new Set(nodes.map((node) => node.name));
  const childrenOf = new Map<string, TreeNode[]>();
  const roots: TreeNode[] = [];
  for (const node of nodes) {
    if (node.parent && node.depth > 0 && names.has(node.parent)) childrenOf.set(node.parent, [...(childrenOf.get(node.parent) ?? []), node]);
    else roots.push(node);
  }
  const reached = new Set<string>();
  const reach = (node: TreeNode) => {
    if (reached.has(node.name)) return;
    reached.add(node.name);
    for (const child of childrenOf.get(node.name) ?? []) reach(child);
  };
  roots.forEach(reach);
  for (const node of nodes) {
    if (!reached.has(node.name)) {
      roots.push(node);
      reach(node);
    }
  }
  return { roots, childrenOf };
}

function QuotaBar({ row }: { row: QuotaRow & { fraction: number } }) {
  const labels = useLabels();
  const id = useId();
  return (
    <div className="quota-bar">
      <label htmlFor={id}>
        <code>{row.resource}</code> {row.used ?? "?"} / {row.hard ?? "?"} ({labels.percent(row.fraction)})
      </label>
      <progress id={id} value={Math.min(row.fraction, 1)} max={1} />
    </div>
  );
}

function Branch({ node, childrenOf, path }: { node: TreeNode; childrenOf: Forest["childrenOf"]; path: ReadonlySet<string> }) {
  const { t } = useTranslation();
  const labels = useLabels();
  // A child that is also an ancestor would nest forever; forest() keeps it out, this makes sure.
  const children = (childrenOf.get(node.name) ?? []).filter((child) => !path.has(child.name));
  const charted = node.quota.filter((row): row is QuotaRow & { fraction: number } => row.fraction !== undefined);
  const within = new Set(path).add(node.name);
  return (
    <li data-node={node.name}>
      <div className="node">
        <p className="node-title">
          <strong>{node.displayName}</strong> <code>{node.name}</code> <span className="badge">{labels.level(node.level)}</span>
        </p>
        <p className="node-facts">
          {t("tree.namespaces", { n: node.namespaces })} · <span className={`ready ready-${node.ready}`}>{labels.ready(node.ready)}</span>
        </p>
        {node.note && (
          <p className="note" lang="en">
            {node.note}
          </p>
        )}
        {charted.length > 0 && (
          <div className="quota-bars" role="group" aria-label={t("tree.quota", { name: node.displayName })}>
            {charted.map((row) => (
              <QuotaBar key={row.resource} row={row} />
            ))}
          </div>
        )}
      </div>
      {children.length > 0 && (
        <ul>
          {children.map((child) => (
            <Branch key={child.name} node={child} childrenOf={childrenOf} path={within} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function Tree() {
  const { t } = useTranslation();
  const tree = useLiveData(api.tree, ["tree"]);
  const grown = forest(tree.data?.nodes ?? []);
  return (
    <Page title={t("tree.title")}>
      {tree.error && <ErrorNotice error={tree.error} />}
      {tree.loading ? (
        <Loading />
      ) : (
        tree.data &&
        (grown.roots.length === 0 ? (
          <p>{t("tree.empty")}</p>
        ) : (
          <ul className="tree" aria-label={t("tree.label")}>
            {grown.roots.map((node) => (
              <Branch key={node.name} node={node} childrenOf={grown.childrenOf} path={new Set()} />
            ))}
          </ul>
        ))
      )}
    </Page>
  );
}
