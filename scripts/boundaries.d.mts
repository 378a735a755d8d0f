export interface GraphEdge {
  source: string;
  target: string;
  type: string;
}
export interface ProjectGraph {
  nodes: Record<string, unknown>;
  dependencies: Record<string, GraphEdge[]>;
}
export type ImportRules = Record<string, string[] | "*">;
export function allowedFromArchitecture(markdown: string): ImportRules;
export const ALLOWED: ImportRules;
export const CORE_RUNTIME_ALLOWED: string[];
export const CLIENT_RUNTIME_ALLOWED: string[];
export function boundaryViolations(
  graph: ProjectGraph,
  manifests: Record<string, { dependencies?: Record<string, string> }>,
  allowed?: ImportRules,
): string[];
