/**
 * The subscription socket in-process: a real HTTP server with graphql-ws on /graphql, jobs driven
 * by hand through the JobManager, so every event is known in advance.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "graphql-ws";
import { pino } from "pino";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { type RunningServer, startServer } from "../server.js";
import { originAllowed } from "./socket.js";

const KEY = "a-key-of-sixteen-characters";
let dataDir: string;
let server: RunningServer;
let wsUrl: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "lacuna-socket-"));
  const config = loadConfig(
    {
      LACUNA_DATA_DIR: dataDir,
      LACUNA_THREADS: "1",
      LACUNA_API_KEY: KEY,
      LACUNA_MAX_DEPTH: "4",
      LACUNA_MAX_SOCKETS: "3",
      LACUNA_MAX_SUBSCRIPTIONS: "2",
      LACUNA_SOCKET_IDLE_MS: "300",
    },
    { port: 0, host: "127.0.0.1" },
  );
  server = await startServer(config, pino({ level: "silent" }));
  wsUrl = server.url.replace(/^http/, "ws");
});
afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

function client(params: Record<string, unknown> = { authorization: `Bearer ${KEY}` }): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: params,
  });
}

interface Update {
  status: string;
  phase: string | null;
  progress: number;
}

const JOB = `subscription ($id: ID!) { job(id: $id) { status phase progress } }`;

/** A job whose progress and end the test controls. */
function manualJob() {
  let report!: (phase: string, fraction: number) => void;
  let finish!: (key: string) => void;
  const ids: string[] = [];
  let ready!: () => void;
  const running = new Promise<void>((resolve) => (ready = resolve));
  const submitted = server.lacuna.services.jobs
    .submit("test", `manual-${Math.random()}`, {}, (ctx) => {
      report = ctx.progress;
      ready();
      return new Promise<string>((resolve) => (finish = resolve));
    })
    .then((job) => ids.push(job.id));
  const started = Promise.all([running, submitted]);
  return {
    started,
    id: () => ids[0]!,
    report: (p: string, f: number) => report(p, f),
    finish: (k: string) => finish(k),
  };
}

async function collect(c: Client, query: string, variables: Record<string, unknown>) {
  const out: {
    data?: { job: Update } | null;
    errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
  }[] = [];
  try {
    for await (const result of c.iterate<{ job: Update }>({ query, variables })) out.push(result);
  } catch (error) {
    return { out, error };
  }
  return { out, error: undefined };
}

describe("job subscriptions over graphql-ws", () => {
  it("emits the state, every change in order, then SUCCEEDED, then completes", async () => {
    const job = manualJob();
    await job.started;
    const c = client();
    const events: Update[] = [];
    const done = (async () => {
      for await (const r of c.iterate<{ job: Update }>({
        query: JOB,
        variables: { id: job.id() },
      })) {
        events.push(r.data!.job);
        if (events.length === 1) {
          job.report("embedding", 0.25);
          job.report("embedding", 0.2); // late and lower: must not go back
          job.report("neighbours", 0.5);
          job.report("neighbours", 0.75);
          job.finish("result");
        }
      }
    })();
    await done;
    await c.dispose();
    expect(events).toEqual([
      { status: "RUNNING", phase: "starting", progress: 0 },
      { status: "RUNNING", phase: "embedding", progress: 0.25 },
      { status: "RUNNING", phase: "neighbours", progress: 0.5 },
      { status: "RUNNING", phase: "neighbours", progress: 0.75 },
      { status: "SUCCEEDED", phase: "done", progress: 1 },
    ]);
  });

  it("ends a cancelled job with CANCELLED; a finished one gives its one state", async () => {
    const job = manualJob();
    await job.started;
    const c = client();
    const events: Update[] = [];
    for await (const r of c.iterate<{ job: Update }>({ query: JOB, variables: { id: job.id() } })) {
      events.push(r.data!.job);
      if (events.length === 1) void server.lacuna.services.jobs.cancel(job.id());
    }
    expect(events.map((e) => e.status)).toEqual(["RUNNING", "CANCELLED"]);
    const again = await collect(c, JOB, { id: job.id() });
    expect(again.out.map((r) => r.data?.job.status)).toEqual(["CANCELLED"]);
    job.finish("late");
    await c.dispose();
  });

  it("answers an unknown job NOT_FOUND and applies the depth limit to subscriptions", async () => {
    const c = client();
    const missing = await collect(c, JOB, { id: "nope" });
    expect(missing.out[0]?.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const deep = `subscription { job(id: "x") { result { uncovered { neighbours { index } } } } }`;
    const limited = await collect(c, deep, {});
    expect(limited.error).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: "GRAPHQL_VALIDATION_FAILED" }),
      }),
    ]);
    const query = await collect(c, "{ version }", {});
    expect(query.error).toEqual([expect.objectContaining({ extensions: { code: "BAD_REQUEST" } })]);
    await c.dispose();
  });

  it("refuses a socket without the key (4403), with a wrong one, and accepts it in a header", async () => {
    for (const params of [{}, { authorization: "Bearer wrong-key-wrong-key" }]) {
      const c = client(params);
      const refused = await collect(c, JOB, { id: "x" });
      expect(refused.error).toMatchObject({ code: 4403 });
      await c.dispose();
    }
    const headed = createClient({
      url: wsUrl,
      retryAttempts: 0,
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers: { "x-api-key": KEY } });
        }
      },
    });
    const ok = await collect(headed, JOB, { id: "nope" });
    expect(ok.out[0]?.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    await headed.dispose();
  });

  it("caps subscriptions per socket and sockets per server", async () => {
    const job = manualJob();
    await job.started;
    const c = client();
    const seen: string[] = [];
    const follow = () =>
      c.subscribe<{ job: Update }>(
        { query: JOB, variables: { id: job.id() } },
        {
          next: (r) => seen.push(r.errors ? String(r.errors[0]?.extensions?.code) : "next"),
          error: (e) => seen.push(Array.isArray(e) ? String(e[0].extensions.code) : "closed"),
          complete: () => seen.push("complete"),
        },
      );
    const subs = [follow(), follow()];
    await new Promise((r) => setTimeout(r, 100));
    follow();
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toContain("TOO_MANY_SUBSCRIPTIONS");
    for (const unsubscribe of subs) unsubscribe();
    await c.dispose();
    await new Promise((r) => setTimeout(r, 50));

    // three sockets are the cap: a fourth upgrade is refused with 503
    const open = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<WebSocket>((resolve, reject) => {
            const s = new WebSocket(wsUrl, "graphql-transport-ws");
            s.once("open", () => resolve(s));
            s.once("error", reject);
          }),
      ),
    );
    const status = await new Promise<number>((resolve) => {
      const s = new WebSocket(wsUrl, "graphql-transport-ws");
      s.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      s.once("open", () => resolve(101));
    });
    expect(status).toBe(503);
    await Promise.all(
      open.map((s) => {
        const closed = new Promise((r) => s.once("close", r));
        s.close();
        return closed;
      }),
    );
    await new Promise((r) => setTimeout(r, 50));
    job.finish("done");
  });

  it("refuses an upgrade whose Host names another site (DNS rebinding), as HTTP does", async () => {
    const status = (host: string) =>
      new Promise<number>((resolve) => {
        const s = new WebSocket(wsUrl, "graphql-transport-ws", { headers: { host } });
        s.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        s.once("open", () => {
          s.close();
          resolve(101);
        });
      });
    expect(await status("attacker.example")).toBe(403);
    expect(await status(new URL(wsUrl).host)).toBe(101);
  });

  it("closes a socket that never initialises (4408) and one idle without subscriptions", async () => {
    const codes = await Promise.all(
      [false, true].map(
        (init) =>
          new Promise<number>((resolve) => {
            const s = new WebSocket(wsUrl, "graphql-transport-ws");
            s.once("open", () => {
              if (init)
                s.send(JSON.stringify({ type: "connection_init", payload: { apiKey: KEY } }));
            });
            s.once("close", (code) => resolve(code));
            s.once("error", () => resolve(-1));
          }),
      ),
    );
    expect(codes).toEqual([4408, 1000]);
  });
});

describe("subscriptions over HTTP", () => {
  it("are refused with BAD_USER_INPUT naming the WebSocket, before anything runs", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query: `subscription { job(id: "x") { id } }` }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: unknown }[] };
    expect(body.errors[0]).toMatchObject({
      message: expect.stringMatching(/over WebSocket \(graphql-ws\)/) as unknown,
      extensions: { code: "BAD_USER_INPUT" },
    });
  });
});

describe("originAllowed", () => {
  it("lets clients without Origin, the server's own host and CORS origins in, and no one else", () => {
    expect(originAllowed(undefined, "h:1", [])).toBe(true);
    expect(originAllowed("http://h:1", "h:1", [])).toBe(true);
    expect(originAllowed("https://app.example", "h:1", ["https://app.example"])).toBe(true);
    expect(originAllowed("https://evil.example", "h:1", [])).toBe(false);
    expect(originAllowed("not a url", "h:1", [])).toBe(false);
  });
});
