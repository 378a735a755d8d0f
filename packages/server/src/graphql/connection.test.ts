import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../errors.js";
import { connectionArgs, decodeCursor, encodeCursor, toConnection } from "./connection.js";

describe("cursor connections", () => {
  it("round-trips any cursor and refuses text it did not make", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (createdAt, id) => {
        expect(decodeCursor(encodeCursor({ createdAt, id }))).toEqual({ createdAt, id });
      }),
    );
    for (const bad of ["", "not a cursor", Buffer.from("[1,2]").toString("base64url")]) {
      expect(() => decodeCursor(bad)).toThrow(InvalidArgumentError);
    }
    expect(() => connectionArgs({ after: "%%%" })).toThrow(/after must be a cursor/);
    expect(() => connectionArgs({ first: 1001 })).toThrow(
      /first must be an integer from 0 to 1000/,
    );
    expect(connectionArgs({})).toEqual({ first: 20, after: null });
  });

  it("keeps `first` rows, says whether more follow, and ends at the last row's cursor", () => {
    const rows = [3, 2, 1].map((n) => ({ createdAt: `t${n}`, id: `id${n}` }));
    const page = toConnection(rows, 2, (r) => r);
    expect(page.edges.map((e) => e.node.id)).toEqual(["id3", "id2"]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: page.edges[1]!.cursor });
    expect(decodeCursor(page.pageInfo.endCursor!)).toEqual(rows[1]);
    expect(toConnection(rows, 3, (r) => r).pageInfo.hasNextPage).toBe(false);
    expect(toConnection([], 3, (r) => r).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
