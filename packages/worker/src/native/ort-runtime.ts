/**
 * onnxruntime-node, loaded once per thread when it is installed and loads (an optional
 * dependency: its CPU binaries ship inside the npm package; its install script, which would
 * download GPU extras, is denied in the root package.json's allowScripts). Only what Lacuna calls
 * is declared here, and checked at run time, so the worker builds and runs where it is missing.
 */
import { gemmModel, gemmTopKModel } from "./onnx-model.js";

/** A tensor as onnxruntime returns it: its values and shape. */
export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}

interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
}

interface OrtModule {
  readonly InferenceSession: {
    create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSession>;
  };
  readonly Tensor: new (
    type: "float32" | "int64",
    data: Float32Array | BigInt64Array,
    dims: readonly number[],
  ) => OrtTensor;
  readonly env?: { readonly versions?: { readonly common?: string } };
}

function isOrtModule(value: unknown): value is OrtModule {
  if (typeof value !== "object" || value === null) return false;
  const { InferenceSession, Tensor } = value as Partial<Record<string, unknown>>;
  return (
    typeof Tensor === "function" &&
    typeof InferenceSession === "function" &&
    typeof (InferenceSession as { create?: unknown }).create === "function"
  );
}

/** The loaded runtime with the kernel's session, or why it is not available. */
export type NativeRuntime =
  | {
      readonly ok: true;
      readonly ort: OrtModule;
      /** Gemm + TopK (onnx-model.ts's gemmTopKModel). */
      readonly session: OrtSession;
      /** Gemm alone (gemmModel), for the symmetric kernel. */
      readonly gemm: OrtSession;
      readonly version: string;
    }
  | { readonly ok: false; readonly reason: string };

const sessions = new Map<number, Promise<NativeRuntime>>();

/** The specifier in a variable: TypeScript must not require the optional package to build. */
const MODULE = "onnxruntime-node";

/**
 * The Gemm + TopK and the Gemm-only sessions (onnx-model.ts) on `threads` intra-op threads, created once per thread
 * count; `{ ok: false, reason }` where onnxruntime-node is missing or will not load (never throws).
 * LACUNA_NO_ONNXRUNTIME=1 pretends it is missing (tests of the fallback; comparisons).
 */
export function nativeRuntime(threads: number): Promise<NativeRuntime> {
  let loading = sessions.get(threads);
  if (loading === undefined) {
    loading = load(threads);
    sessions.set(threads, loading);
  }
  return loading;
}

async function load(threads: number): Promise<NativeRuntime> {
  if (process.env.LACUNA_NO_ONNXRUNTIME === "1")
    return { ok: false, reason: "disabled by LACUNA_NO_ONNXRUNTIME=1" };
  let loaded: unknown;
  try {
    const imported: { default?: unknown } = await import(MODULE);
    loaded = imported.default ?? imported;
  } catch (error) {
    // the first line: Node's "Require stack" lines after it name only onnxruntime's own files
    return {
      ok: false,
      reason: `onnxruntime-node does not load: ${String(error).split("\n")[0] ?? ""}`,
    };
  }
  if (!isOrtModule(loaded)) return { ok: false, reason: "onnxruntime-node has an unknown API" };
  try {
    const options = {
      executionProviders: ["cpu"],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      // no arena: it keeps the largest blocks' buffers for the session's life (measured: 938 MB
      // peak for 20 000 x 784 with it); malloc per run costs nothing beside a block's GEMM
      enableCpuMemArena: false,
      enableMemPattern: false,
      // idle intra-op threads would spin between runs, taking the core the re-ranking runs on
      extra: { session: { intra_op: { allow_spinning: "0" } } },
    };
    const session = await loaded.InferenceSession.create(gemmTopKModel(), options);
    const gemm = await loaded.InferenceSession.create(gemmModel(), options);
    return {
      ok: true,
      ort: loaded,
      session,
      gemm,
      version: loaded.env?.versions?.common ?? "unknown",
    };
  } catch (error) {
    return { ok: false, reason: `onnxruntime-node cannot create its session: ${String(error)}` };
  }
}
