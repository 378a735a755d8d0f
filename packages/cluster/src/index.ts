/**
 * @lacuna/cluster: exact radii past one machine. A coordinator splits a computation into blocks of
 * query rows on BullMQ (Redis); `lacuna worker` processes compute them with @lacuna/worker's pool.
 */
export {
  ClusterRadii,
  type ClusterOptions,
  type ClusterRadiiOptions,
  type ClusterRadiiResult,
  radiiFlow,
  REDIS_GRACE_MS,
} from "./coordinator.js";
export {
  startClusterWorker,
  type ClusterWorker,
  type ClusterWorkerOptions,
} from "./worker-loop.js";
export { checkRedisUrl, connectRedis, CONNECT_TIMEOUT_MS } from "./connection.js";
export { currentContract, contractProblem, type Contract, PROTOCOL, QUEUE } from "./contract.js";
export {
  blobDir,
  putBlob,
  readBlob,
  sha256Of,
  BlobCache,
  type BlobRef,
  type BlobStore,
  FileBlobStore,
} from "./blob-store.js";
export {
  openBlobStore,
  parseBlobStoreUrl,
  S3BlobStore,
  type S3BlobStoreOptions,
} from "./s3-blob-store.js";
export { mergeBlocks, blockRanges, encodeRadii, decodeRadii, MergeError } from "./jobs.js";
export * from "./errors.js";
