// `make demo`: a real local control plane and how to use it. It runs in the
// foreground until Ctrl-C, then removes everything it started.
import { ControlPlane } from "./controlplane/controlplane.ts";

const plane = await ControlPlane.start({ name: "yunshu-demo", users: [{ name: "alice", groups: ["hunan-data-bureau"] }] });
const kubectl = plane.binaries.path("kubectl");
console.log(`
yunshu demo: a local Kubernetes control plane is up at ${plane.server}
(etcd, kube-apiserver and kube-controller-manager; ready in ${(plane.timings.totalMs / 1000).toFixed(1)}s)

In another terminal, act as the cluster admin:
  export KUBECONFIG=${plane.kubeconfigPath("admin")}
  ${kubectl} get namespaces

or as alice, a department user with no permissions yet:
  ${kubectl} --kubeconfig ${plane.kubeconfigPath("alice")} get pods -n default    # Forbidden

Press Ctrl-C to stop it and remove its data.
`);

const stop = async () => {
  await plane.stop();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
if (process.argv.includes("--once")) await stop();
