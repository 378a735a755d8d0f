/** @lacuna/client: the typed SDK for Lacuna's GraphQL server. */
export {
  LacunaClient,
  type CoverageSample,
  type Dataset,
  type CoverageResult,
  type Sample,
  type Job,
  type Embeddings,
  type PerClassReport,
  type Projection,
  type ClassCoverage,
  type SampleExplanation,
} from "./client.js";
export type {
  LacunaClientOptions,
  ResultOptions,
  WaitOptions,
  SignalOption,
  ProjectionOptions,
} from "./options.js";
export { LacunaError, LacunaNetworkError, type GraphQLErrorEntry } from "./errors.js";
export type { CoverageInput, SelectionInput, RegisterDatasetInput } from "./generated/graphql.js";
// the schema's enums, as types and as objects of their values (CoverageMethod.Naive === "NAIVE")
export { CoverageMethod, DatasetKind, JobStatus, ProjectionMethod } from "./generated/graphql.js";
export * as documents from "./generated/graphql.js";
