/**
 * The client's history (past jobs and stored results, as cursor pages) and its typed-array reads
 * (the server's base64 fields decoded), beside client.ts as cross.ts is.
 */
import { decodeFloat32, decodeInt32 } from "./binary.js";
import type { LacunaClient } from "./client.js";
import {
  CoverageArraysDocument,
  type CoverageInput,
  CoverageResultsDocument,
  type CoverageResultsQuery,
  DeleteCoverageResultDocument,
  JobsDocument,
  type JobsQuery,
  ProjectionArraysDocument,
} from "./generated/graphql.js";

export type JobPage = JobsQuery["jobs"];
export type CoverageResultPage = CoverageResultsQuery["coverageResults"];
export type CoverageSummary = CoverageResultPage["edges"][number]["node"];

export interface CoverageArrays {
  readonly id: string;
  readonly coverageRadius: number;
  readonly radii: Float32Array;
  readonly indices: Int32Array;
}

export interface ProjectionArrays {
  readonly coordinates: Float32Array;
  readonly indices: Int32Array;
}

export async function jobs(
  client: LacunaClient,
  options: { first?: number; after?: string },
): Promise<JobPage> {
  return (await client.request(JobsDocument, options)).jobs;
}

export async function coverageResults(
  client: LacunaClient,
  options: { first?: number; after?: string; datasetId?: string },
): Promise<CoverageResultPage> {
  return (await client.request(CoverageResultsDocument, options)).coverageResults;
}

export async function deleteCoverageResult(client: LacunaClient, id: string): Promise<boolean> {
  return (await client.request(DeleteCoverageResultDocument, { id })).deleteCoverageResult;
}

export async function radii(client: LacunaClient, input: CoverageInput): Promise<CoverageArrays> {
  const { coverage: c } = await client.request(CoverageArraysDocument, { input });
  return {
    id: c.id,
    coverageRadius: c.coverageRadius,
    radii: decodeFloat32(c.criticalValueRadiiBase64, c.count),
    indices: decodeInt32(c.indicesBase64, c.count),
  };
}

export async function projectionArrays(
  client: LacunaClient,
  datasetId: string,
  options: Parameters<LacunaClient["projection"]>[1],
): Promise<ProjectionArrays> {
  const { projection: p } = await client.request(ProjectionArraysDocument, {
    datasetId,
    ...options,
  });
  return {
    coordinates: decodeFloat32(p.coordinatesBase64, 2 * p.count),
    indices: decodeInt32(p.indicesBase64, p.count),
  };
}
