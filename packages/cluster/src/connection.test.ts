import { describe, expect, it } from "vitest";
import { connectRedis } from "./connection.js";
import { freePort } from "./testing.js";

describe("connecting to Redis", () => {
  it("answers a Redis nobody listens on with a coded error, not a hang", async () => {
    const port = await freePort();
    await expect(connectRedis(`redis://127.0.0.1:${port}`, "coordinator")).rejects.toMatchObject({
      kind: "unavailable",
      code: "REDIS_UNAVAILABLE",
      message: expect.stringContaining(`127.0.0.1:${port}`),
    });
  });

  it("refuses what is not a redis URL, and hides a password in messages", async () => {
    await expect(connectRedis("http://example.com", "worker")).rejects.toMatchObject({
      kind: "input",
      code: "INVALID_REDIS_URL",
    });
    const port = await freePort();
    const error = await connectRedis(`redis://:secret@127.0.0.1:${port}`, "worker").catch(
      (e: unknown) => e,
    );
    expect(String((error as Error).message)).not.toContain("secret");
  });
});
