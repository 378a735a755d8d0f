/** @lacuna/client: the typed SDK for Lacuna's GraphQL server. */
export {
  LacunaClient,
  type LacunaClientOptions,
  type ResultOptions,
  type WaitOptions,
  type Dataset,
  type CoverageResult,
  type Sample,
  type Job,
  type JobStatus,
  type Embeddings,
  type PerClassReport,
  type Projection,
  type ClassCoverage,
  type SampleExplanation,
} from "./client.js";
export {
  type CrossCoverageResult,
  type CrossCoverageOptions,
  type CollectResult,
  type GapRegion,
  type ExportKind,
  type ExportOptions,
} from "./cross.js";
export { LacunaError, LacunaNetworkError, type GraphQLErrorEntry } from "./errors.js";
export type {
  CoverageInput,
  CoverageMethod,
  SelectionInput,
  RegisterDatasetInput,
  DatasetKind,
  ProjectionMethod,
  CrossCoverageInput,
  CollectInput,
  SetInput,
  DistanceMetric,
} from "./generated/graphql.js";
export * as documents from "./generated/graphql.js";
