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
  type JobPage,
  type CoverageResultPage,
  type CoverageSummary,
} from "./client.js";
export { decodeFloat32, decodeInt32 } from "./binary.js";
export { type FollowOptions, followJobLive } from "./follow.js";
export { type JobUpdate, type WebSocketConstructor, socketUrl } from "./live.js";
export { LacunaError, LacunaNetworkError, type GraphQLErrorEntry } from "./errors.js";
export type {
  CoverageInput,
  CoverageMethod,
  SelectionInput,
  RegisterDatasetInput,
  DatasetKind,
  ProjectionMethod,
} from "./generated/graphql.js";
export * as documents from "./generated/graphql.js";
