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
  type JobPage,
  type CoverageResultPage,
  type CoverageSummary,
} from "./client.js";
export {
  type CrossCoverageResult,
  type CrossCoverageOptions,
  type CollectResult,
  type GapRegion,
  type ExportKind,
  type ExportOptions,
} from "./cross.js";
export { decodeFloat32, decodeInt32 } from "./binary.js";
export { type FollowOptions, followJobLive } from "./follow.js";
export { type JobUpdate, type WebSocketConstructor, socketUrl } from "./live.js";
export type {
  LacunaClientOptions,
  ResultOptions,
  WaitOptions,
  SignalOption,
  ProjectionOptions,
} from "./options.js";
export { LacunaError, LacunaNetworkError, type GraphQLErrorEntry } from "./errors.js";
export type {
  CoverageInput,
  SelectionInput,
  RegisterDatasetInput,
  CrossCoverageInput,
  CollectInput,
  SetInput,
} from "./generated/graphql.js";
// the schema's enums, as types and as objects of their values (CoverageMethod.Naive === "NAIVE")
export {
  CoverageMethod,
  DatasetKind,
  DistanceMetric,
  JobStatus,
  ProjectionMethod,
} from "./generated/graphql.js";
export * as documents from "./generated/graphql.js";
