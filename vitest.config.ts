import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Forks, not threads: control planes are child processes tied to the
    // process that started them (they die with it), so a test file must own a
    // whole process.
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["operator/**/*.test.ts", "console/server/**/*.test.ts", "infra/**/*.test.ts", "tools/**/*.test.ts", "test/**/*.unit.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.int.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
