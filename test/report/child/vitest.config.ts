import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Config of the child vitest run in test/report/vitest-output.test.ts: runs the one failing property.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL("../../..", import.meta.url)),
    include: ["test/report/child/*.prop.ts"],
    pool: "forks",
    testTimeout: 60_000,
  },
});
