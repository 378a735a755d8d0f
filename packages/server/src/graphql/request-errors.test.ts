/** Request mistakes that Apollo raises uncoded: answered BAD_USER_INPUT, never an internal error. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, createHarness } from "../testing/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

describe("request mistakes", () => {
  it("a subscription over HTTP is BAD_USER_INPUT", async () => {
    const result = await h.run(`subscription { job(id: "j") { status } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("a persisted-query hash that does not match the query is BAD_USER_INPUT", async () => {
    const response = await h.apollo.executeOperation(
      {
        query: "{ version }",
        extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } },
      },
      { contextValue: { services: h.lacuna.services, authorized: true } },
    );
    if (response.body.kind !== "single") throw new Error("unexpected incremental response");
    expect(response.body.singleResult.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("compute limits", () => {
  it("refuses a projection of more samples than LACUNA_MAX_PROJECTION_SAMPLES, before any work", async () => {
    const limited = await createHarness({ LACUNA_MAX_PROJECTION_SAMPLES: "50" });
    try {
      const result = await limited.run(
        `{ projection(datasetId: "mnist:test", selection: { limit: 51 }) { count } }`,
      );
      expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(result.errors?.[0]?.message).toMatch(/at most 50 samples to project/);
    } finally {
      await limited.close();
    }
  });
});
