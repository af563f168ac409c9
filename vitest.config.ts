import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    // The end-to-end test builds and starts the real process; keep files from competing for two cores.
    fileParallelism: true,
    pool: "forks",
  },
});
