/**
 * What a GraphQL operation really costs, before it runs: list sizes from their arguments (`first`),
 * `neighbours` as k (the coverage input's numObservations), pictures by their pixel count
 * (`image(scale)`), and a flat price for each CPU-heavy field (coverage, per-class statistics,
 * projections). Variables are read with their values, so `first: $n` costs what $n asks for.
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getArgumentValues,
  getNamedType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
} from "graphql";
import { MAX_IMAGE_SCALE } from "@lacuna/io/pictures";
import { MAX_PAGE } from "./context.js";

/** The flat price of the fields that compute (CPU seconds, not bytes). */
export const HEAVY_FIELD_COST: Readonly<Record<string, number>> = {
  "Query.coverage": 500,
  "Query.embeddings": 500,
  "Query.projection": 3000,
  "Mutation.startCoverage": 500,
  "Mutation.startProjection": 3000,
  "CoverageResult.perClass": 2000,
  "CoverageResult.statistics": 2000,
  "CoverageResult.sample": 50,
};

/** Assumed sizes of lists that take no size argument (their lengths depend on the data). */
const ASSUMED_LENGTH: Readonly<Record<string, number>> = {
  "Query.datasets": 20,
  "Dataset.classes": 100,
  "CoverageResult.perClass": 100,
};

/** An image of this many pixels (28 x 28, scale 1) costs IMAGE_UNIT_COST; larger ones in proportion. */
const IMAGE_BASE_PIXELS = 28 * 28;
const IMAGE_UNIT_COST = 8;

/** k when it cannot be read from the operation (a job's result): the most a client may ask. */
const UNKNOWN_K = MAX_PAGE;

/**
 * Cost of one `image(scale)` field: its pixel count, in units of a 28 x 28 picture. A scale above
 * the largest allowed is priced at that largest: the resolver answers it BAD_USER_INPUT itself.
 */
export function imageCost(scale: unknown): number {
  const s =
    typeof scale === "number" && Number.isFinite(scale) && scale > 0
      ? Math.min(scale, MAX_IMAGE_SCALE)
      : 1;
  return Math.ceil((IMAGE_UNIT_COST * (IMAGE_BASE_PIXELS * s * s)) / IMAGE_BASE_PIXELS);
}

interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variables: Readonly<Record<string, unknown>>;
  /** Aliased fields seen, `__typename` included (graphql-armor's alias limit skips it). */
  aliases: number;
}

function clampLength(value: unknown, fallback: number): number {
  const n = typeof value === "number" && Number.isFinite(value) ? value : fallback;
  return Math.min(Math.max(Math.trunc(n), 0), MAX_PAGE);
}

/**
 * A field's argument values with the request's variables; empty where they are invalid, since
 * then graphql's own variable coercion answers the request with BAD_USER_INPUT before any resolver
 * runs, so pricing it with the defaults is safe.
 */
function argumentsOf(
  field: Parameters<typeof getArgumentValues>[0],
  node: Parameters<typeof getArgumentValues>[1],
  variables: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  try {
    return getArgumentValues(field, node, variables as Record<string, unknown>);
  } catch (error) {
    if (error instanceof Error) return {};
    throw error;
  }
}

function selectionCost(
  walk: Walk,
  set: SelectionSetNode,
  parent: GraphQLCompositeType,
  k: number,
  seen: ReadonlySet<string>,
): number {
  let cost = 0;
  for (const selection of set.selections) {
    if (selection.kind === "InlineFragment") {
      const typed = selection.typeCondition
        ? walk.schema.getType(selection.typeCondition.name.value)
        : parent;
      if (typed && isCompositeType(typed))
        cost += selectionCost(walk, selection.selectionSet, typed, k, seen);
      continue;
    }
    if (selection.kind === "FragmentSpread") {
      const name = selection.name.value;
      const fragment = walk.fragments[name];
      if (!fragment || seen.has(name)) continue;
      const typed = walk.schema.getType(fragment.typeCondition.name.value);
      if (typed && isCompositeType(typed))
        cost += selectionCost(walk, fragment.selectionSet, typed, k, new Set([...seen, name]));
      continue;
    }
    if (selection.alias) walk.aliases++;
    const name = selection.name.value;
    cost += 1;
    if (name.startsWith("__") || !(isObjectType(parent) || isInterfaceType(parent))) continue;
    const field = parent.getFields()[name];
    if (!field) continue;
    const args = argumentsOf(field, selection, walk.variables);
    const key = `${parent.name}.${name}`;
    cost += HEAVY_FIELD_COST[key] ?? 0;
    if (name === "image") cost += imageCost(args.scale);
    let childK = k;
    if (key === "Query.coverage") {
      const input = args.input as { numObservations?: unknown } | undefined;
      childK = clampLength(input?.numObservations, 20);
    }
    const length =
      "first" in args
        ? clampLength(args.first, 100)
        : name === "neighbours"
          ? childK
          : (ASSUMED_LENGTH[key] ?? 1);
    const named = getNamedType(field.type);
    if (selection.selectionSet && isCompositeType(named))
      cost += length * selectionCost(walk, selection.selectionSet, named, childK, seen);
    else cost += length - 1;
  }
  return cost;
}

/** The cost of `operation` with these variable values, and how many aliases it uses. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): { cost: number; aliases: number } {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions)
    if (definition.kind === "FragmentDefinition") fragments[definition.name.value] = definition;
  const root =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return { cost: 0, aliases: 0 };
  const walk: Walk = { schema, fragments, variables, aliases: 0 };
  const cost = selectionCost(walk, operation.selectionSet, root, UNKNOWN_K, new Set());
  return { cost, aliases: walk.aliases };
}
