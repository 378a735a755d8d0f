import { ComputationStoppedError } from "@lacuna/core";
import { describe, expect, it } from "vitest";
import {
  claimScratch,
  ensureLayout,
  MAX_PAGES,
  newKernelMemory,
  PAGE_BYTES,
} from "./kernel-memory.js";

const pages = (memory: WebAssembly.Memory) => memory.buffer.byteLength / PAGE_BYTES;

describe("a call's shared kernel memory", () => {
  it("is empty until laid out, then written once: later threads find it and do not write", () => {
    const kernel = newKernelMemory();
    expect(kernel.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(pages(kernel.memory)).toBe(0);
    let fills = 0;
    const fill = (buffer: SharedArrayBuffer) => {
      fills++;
      new Uint8Array(buffer)[70_000] = 7;
    };
    expect(ensureLayout(kernel, 70_001, fill)).toBe(true);
    expect(ensureLayout(kernel, 70_001, fill)).toBe(true);
    expect(fills).toBe(1);
    expect(pages(kernel.memory)).toBe(2);
    expect(new Uint8Array(kernel.memory.buffer)[70_000]).toBe(7);
  });

  it("gives each thread its own scratch past the layout and the others'", () => {
    const kernel = newKernelMemory();
    ensureLayout(kernel, 100, () => {});
    const a = claimScratch(kernel, 3 * PAGE_BYTES)!;
    const b = claimScratch(kernel, 10)!;
    expect(a).toBe(PAGE_BYTES);
    expect(b).toBe(4 * PAGE_BYTES);
    expect(pages(kernel.memory)).toBe(5);
    expect(claimScratch(kernel, MAX_PAGES * PAGE_BYTES)).toBeNull();
  });

  it("says so to every thread when the layout cannot be made (the scalar kernel then)", () => {
    const kernel = newKernelMemory();
    const fill = () => {
      throw new Error("never called: the memory cannot grow that far");
    };
    expect(ensureLayout(kernel, (MAX_PAGES + 1) * PAGE_BYTES, fill)).toBe(false);
    expect(ensureLayout(kernel, 100, fill)).toBe(false);
  });

  it("stops waiting for another thread's layout once the call is cancelled", () => {
    const kernel = newKernelMemory();
    Atomics.store(new Int32Array(kernel.state), 0, 1); // another thread is writing it
    let asked = 0;
    const stop = () => ++asked > 2;
    expect(() => ensureLayout(kernel, 100, () => {}, stop)).toThrow(ComputationStoppedError);
    expect(asked).toBe(3);
  });
});
