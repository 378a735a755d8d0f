/**
 * The tables as Kysely sees them: one description for both SQLite and PostgreSQL. Times are ISO
 * 8601 text in both (they sort as they compare), binary columns are BLOB / bytea (a Buffer).
 */
import type { Generated } from "kysely";

export interface DatasetsTable {
  id: string;
  name: string;
  kind: string;
  /** JSON: the dataset spec and the content hash read at registration. */
  spec: string;
  created_at: string;
}

export interface JobsTable {
  id: string;
  key: string;
  kind: string;
  /** JSON of the normalised request. */
  input: string;
  status: string;
  phase: string | null;
  progress: Generated<number>;
  error_code: string | null;
  error_message: string | null;
  result_key: string | null;
  created_at: string;
  updated_at: string;
  /** The server instance running the job (a random id per process); null on finished rows. */
  owner: string | null;
  /** ISO time until which the owner vouches for the job; renewed by its heartbeat. */
  lease_until: string | null;
  /** Another server asked the owner to cancel the job (0 or 1). */
  cancel_requested: Generated<number>;
}

export interface CoverageResultsTable {
  key: string;
  input: string;
  summary: string;
  indices: Buffer;
  radii: Buffer;
  uncovered: Buffer;
  labels: Buffer | null;
  created_at: string;
}

export interface Schema {
  datasets: DatasetsTable;
  jobs: JobsTable;
  coverage_results: CoverageResultsTable;
}
