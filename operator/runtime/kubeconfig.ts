// Where the operator and the CLI get their cluster credentials: an explicit
// kubeconfig file, else $KUBECONFIG / ~/.kube/config, else in-cluster.
import { KubeConfig } from "@kubernetes/client-node";

export function loadKubeConfig(path: string | undefined, context: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  if (context) kc.setCurrentContext(context);
  return kc;
}
