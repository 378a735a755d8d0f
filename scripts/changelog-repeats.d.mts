export function repeatedEntries(preview: string, changelog: string): string[];
