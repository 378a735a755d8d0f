import { describe, expect, it } from "vitest";
import { progressBar } from "./progress.js";

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return {
    writes,
    stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream,
  };
}

describe("progressBar", () => {
  it("draws in place on a terminal and ends with a newline at the total", () => {
    const { writes, stream: s } = stream(true);
    const bar = progressBar("encoding", { stream: s })!;
    bar(0, 10);
    bar(5, 10);
    bar(10, 10);
    expect(writes[0]).toMatch(/^\rencoding \[\.{30}\] +0 % 0\/10$/);
    expect(writes[1]).toMatch(/^\rencoding \[#{15}\.{15}\] +50 % 5\/10$/);
    expect(writes.at(-1)).toBe("\n");
  });

  it("draws nothing into a pipe or with --json", () => {
    expect(progressBar("x", { stream: stream(false).stream })).toBeUndefined();
    expect(progressBar("x", { stream: stream(true).stream, json: true })).toBeUndefined();
  });
});
