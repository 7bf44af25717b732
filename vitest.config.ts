import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // The JSON report is what .ci/run reads to print CI's closing line.
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    testTimeout: 30000,
  },
});
