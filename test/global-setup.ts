// Builds or finds the Kubernetes binaries once, before any test file starts
// a control plane, so that parallel test files never race to build them.
import { ensureBinaries } from "./controlplane/binaries.ts";

export default async function setup(): Promise<void> {
  await ensureBinaries();
}
