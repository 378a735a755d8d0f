import { describe, expect, it } from "vitest";
import { contractProblem, currentContract, KERNEL, PROTOCOL } from "./contract.js";

describe("the version contract", () => {
  it("accepts only the same version, protocol and kernel", () => {
    const ours = currentContract();
    expect(ours).toEqual({
      lacuna: expect.stringMatching(/^\d+\.\d+\.\d+/),
      protocol: PROTOCOL,
      kernel: KERNEL,
    });
    expect(contractProblem(ours)).toBeNull();
    expect(contractProblem({ ...ours, lacuna: "0.0.1" })).toMatch(
      new RegExp(
        `needs Lacuna 0\\.0\\.1 .*this worker is Lacuna ${ours.lacuna.replace(/\./g, "\\.")}`,
      ),
    );
    expect(contractProblem({ ...ours, protocol: PROTOCOL + 1 })).toMatch(/protocol/);
    expect(contractProblem({ ...ours, kernel: "other" })).toMatch(/kernel other/);
    expect(contractProblem(undefined)).toMatch(/no version contract/);
  });
});
