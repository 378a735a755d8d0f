export interface GraphEdge {
  source: string;
  target: string;
  type: string;
}
export interface ProjectGraph {
  nodes: Record<string, unknown>;
  dependencies: Record<string, GraphEdge[]>;
}
export const ALLOWED: Record<string, string[] | "*">;
export const CORE_RUNTIME_ALLOWED: string[];
export const CLIENT_RUNTIME_ALLOWED: string[];
export function boundaryViolations(
  graph: ProjectGraph,
  manifests: Record<string, { dependencies?: Record<string, string> }>,
): string[];
