// For the toolchain's unit tests: temporary directories of fake executables,
// removed after each test, to exercise finding and checking binaries
// without building any.
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, vi } from "vitest";

const temps: string[] = [];

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "yunshu-toolchain-"));
  temps.push(dir);
  return dir;
}

export async function fakeBinaries(dir: string, names: readonly string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of names) {
    await writeFile(join(dir, name), "#!/bin/sh\n");
    await chmod(join(dir, name), 0o755);
  }
}

afterEach(async () => {
  vi.unstubAllEnvs();
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});
