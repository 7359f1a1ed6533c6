// Settings of the platform (not of any one tenant) that shape what a Tenant
// becomes: flags of `yunshu operator`.

export interface PlatformSettings {
  /** Namespace of the platform's monitoring (Prometheus), allowed to scrape tenants' metrics ports. */
  monitoringNamespace: string;
  /** Namespace and pod label of the cluster DNS, which every tenant may query. */
  dnsNamespace: string;
  dnsPodSelector: Record<string, string>;
  /** How long an offboarded tenant stays, suspended and readable, before everything of it is deleted. */
  offboardingGracePeriodMs: number;
}

export const DEFAULT_PLATFORM: PlatformSettings = {
  monitoringNamespace: "monitoring",
  dnsNamespace: "kube-system",
  dnsPodSelector: { "k8s-app": "kube-dns" },
  offboardingGracePeriodMs: 30 * 24 * 3600 * 1000,
};
