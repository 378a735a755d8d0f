import { describe, expect, it } from "vitest";
import { LacunaClient } from "./client.js";
import { followJobLive } from "./follow.js";
import type { JobUpdate } from "./live.js";

const job = (status: string, phase: string, progress: number) => ({
  id: "j",
  kind: "coverage",
  status,
  phase,
  progress,
  error: status === "FAILED" ? { code: "INTERNAL_SERVER_ERROR", message: "boom" } : null,
  createdAt: "t",
  updatedAt: "t",
  result: null,
});

/** A client whose fetch answers job(id) from a script, and which has no WebSocket (Node.js 20). */
function polled(states: ReturnType<typeof job>[]) {
  let call = 0;
  const fetch = (async () =>
    new Response(JSON.stringify({ data: { job: states[Math.min(call++, states.length - 1)] } }), {
      headers: { "content-type": "application/json" },
    })) as unknown as typeof globalThis.fetch;
  return new LacunaClient({ url: "http://x/graphql", fetch, webSocket: undefined });
}

describe("followJobLive without a WebSocket", () => {
  it("polls instead, reporting each state once, never lowering progress, until the end", async () => {
    const client = polled([
      job("QUEUED", "queued", 0),
      job("RUNNING", "embedding", 0.2),
      job("RUNNING", "embedding", 0.2),
      job("RUNNING", "embedding", 0.1),
      job("RUNNING", "neighbours", 0.6),
      job("FAILED", "neighbours", 0.6),
    ]);
    const seen: JobUpdate[] = [];
    const end = await followJobLive(client, "j", { intervalMs: 1, onUpdate: (j) => seen.push(j) });
    expect(seen.map((j) => [j.status, j.phase, j.progress])).toEqual([
      ["QUEUED", "queued", 0],
      ["RUNNING", "embedding", 0.2],
      ["RUNNING", "neighbours", 0.6],
      ["FAILED", "neighbours", 0.6],
    ]);
    expect(end).toMatchObject({ status: "FAILED", error: { message: "boom" } });
  });

  it("stops when its signal aborts", async () => {
    const client = polled([job("RUNNING", "embedding", 0.1)]);
    const controller = new AbortController();
    const following = followJobLive(client, "j", {
      intervalMs: 5,
      signal: controller.signal,
      onUpdate: () => controller.abort(new Error("enough")),
    });
    await expect(following).rejects.toThrow("enough");
  });
});
