import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { freePort } from "./net.js";

export type RedisForTests = { url: string; stop(): Promise<void> };

/**
 * A Redis for the tests: REDIS_URL when it is set (CI starts one), else a redis-server of our own on a free loopback
 * port, else undefined — and the caller skips its suite saying so.
 */
export async function redisForTests(): Promise<RedisForTests | undefined> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => undefined };
  if (spawnSync("redis-server", ["--version"]).status !== 0) return undefined;
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  for (let attempt = 0; attempt < 50; attempt++) {
    if (spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() === "PONG") break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

export const NO_REDIS_MESSAGE =
  "Redis tests skipped: no REDIS_URL and no redis-server on PATH (.ci/run installs it; locally: apt-get install redis-server)";
