import type { ResultOptions } from "./options.js";

/** Resolves after `ms` milliseconds; rejects when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The GraphQL variables of a ResultOptions. */
export function resultVariables(options: ResultOptions) {
  return {
    first: options.first,
    offset: options.offset,
    withImages: options.images ?? false,
    imageScale: options.imageScale,
  };
}
