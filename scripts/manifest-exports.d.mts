export function manifestTargets(
  manifest: Record<string, unknown>,
): { field: string; target: string }[];
export function danglingTargets(
  manifest: Record<string, unknown>,
  files: Iterable<string>,
): string[];
export function publishedManifest(
  manifest: Record<string, unknown>,
  files: Iterable<string>,
): { manifest: Record<string, unknown>; dropped: string[] };
