import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type OperationDefinitionNode, buildSchema, parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, createHarness } from "../testing/harness.js";
import { imageCost, operationCost } from "./cost.js";
import { loadTypeDefs } from "./schema.js";

const schema = buildSchema(loadTypeDefs().join("\n"));
const MAX_COST = 20_000; // LACUNA_MAX_COST's default

function cost(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === "OperationDefinition",
  )!;
  return operationCost(schema, document, operation, variables);
}

const ISSUE_QUERY = `{ coverage(input: { datasetId: "mnist:train", selection: { limit: 2000 }, percent: 1 }) {
  uncovered(first: 1000) { image(scale: 16) neighbours { image(scale: 16) } } } }`;

describe("operationCost", () => {
  it("prices images by pixel count", () => {
    expect(imageCost(1)).toBe(8);
    expect(imageCost(16)).toBe(8 * 256);
  });

  it("refuses the issue's queries: images x neighbours, aliased perClass, k = 2999 neighbours", () => {
    expect(cost(ISSUE_QUERY).cost).toBeGreaterThan(1000 * MAX_COST);
    const perClass = Array.from(
      { length: 15 },
      (_, i) => `p${i}: perClass(nearDuplicateFactor: 0.${i + 1}) { class }`,
    ).join(" ");
    expect(
      cost(`{ coverage(input: { datasetId: "mnist:train" }) { ${perClass} } }`).cost,
    ).toBeGreaterThan(MAX_COST);
    const neighbours = `query ($k: Int) { coverage(input: { datasetId: "mnist:train", numObservations: $k }) {
      uncovered(first: 1000) { neighbours { index distance } } } }`;
    expect(cost(neighbours, { k: 2999 }).cost).toBeGreaterThan(MAX_COST);
    expect(cost(neighbours, { k: 5 }).cost).toBeLessThan(cost(neighbours, { k: 20 }).cost);
  });

  it("reads list sizes from variables", () => {
    const q = `query ($n: Int) { coverage(input: { datasetId: "mnist:test" }) { uncovered(first: $n) { image(scale: 2) } } }`;
    expect(cost(q, { n: 10 }).cost).toBeLessThan(cost(q, { n: 500 }).cost);
  });

  it("counts aliased __typename fields", () => {
    const q = `{ ${Array.from({ length: 40 }, (_, i) => `t${i}: __typename`).join(" ")} }`;
    expect(cost(q).aliases).toBe(40);
  });

  it("lets every operation of the SDK (the dashboard's queries) through at the dashboard's sizes", () => {
    // one document per domain; fragments are shared across them, so they are parsed as one
    const folder = fileURLToPath(new URL("../../../client/src/operations/", import.meta.url));
    const files = readdirSync(folder).filter((name) => name.endsWith(".graphql"));
    expect(files.length).toBeGreaterThan(1);
    const document = parse(files.map((name) => readFileSync(folder + name, "utf8")).join("\n"));
    const variables = { first: 100, imageScale: 4, withImages: true, values: true };
    for (const definition of document.definitions) {
      if (definition.kind !== "OperationDefinition") continue;
      const name = definition.name?.value;
      if (name === "CrossCoverage") {
        // not one of the dashboard's queries: at the client's defaults (no images) it fits; with
        // pictures of 100 uncovered rows and their 5 nearest at scale 4 (600 pictures) it must not
        const plain = operationCost(schema, document, definition, { first: 100 });
        expect(plain.cost, name).toBeLessThanOrEqual(MAX_COST);
        expect(operationCost(schema, document, definition, variables).cost).toBeGreaterThan(
          MAX_COST,
        );
        continue;
      }
      const priced = operationCost(schema, document, definition, variables);
      expect(priced.cost, name).toBeLessThanOrEqual(MAX_COST);
    }
  });
});

describe("the cost limit in the server", () => {
  let h: Harness;
  let small: Harness;
  beforeAll(async () => {
    [h, small] = await Promise.all([
      createHarness(),
      createHarness({ LACUNA_MAX_RESPONSE_BYTES: "1000" }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([h.close(), small.close()]);
  });

  it("refuses a costly query before it computes anything", async () => {
    const result = await h.run(ISSUE_QUERY);
    expect(result.errors?.[0]?.extensions?.code, JSON.stringify(result)).toBe(
      "GRAPHQL_VALIDATION_FAILED",
    );
    expect(result.errors?.[0]?.message).toMatch(/costs \d+, more than the limit 20000/);
    const aliases = await h.run(
      `{ ${Array.from({ length: 40 }, (_, i) => `t${i}: __typename`).join(" ")} }`,
    );
    expect(aliases.errors?.[0]?.message).toMatch(/40 aliases; at most 15/);
  });

  it("replaces an answer over LACUNA_MAX_RESPONSE_BYTES by RESPONSE_TOO_LARGE", async () => {
    const result = await small.run(
      `{ ${["a", "b", "c"].map((a) => `${a}: datasets { id name classes { index name count } }`).join(" ")} }`,
    );
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe("RESPONSE_TOO_LARGE");
    expect((await small.run(`{ version }`)).errors).toBeUndefined();
  });
});
