/**
 * What the dashboard's Chromium tests share: a real server on a fresh data directory, Debian's
 * Chromium driven by playwright-core, pages that record console errors, outside requests and the
 * jobs the page started, and a screenshot folder (test-artifacts/, git-ignored).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { type ServerProcess, startServerProcess } from "@lacuna/server/testing";
import { afterAll, beforeAll } from "vitest";

export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = join(import.meta.dirname, "..", "test-artifacts");
export const available = existsSync(CHROMIUM);
if (!available && process.env.CI === "true") {
  throw new Error(`${CHROMIUM} is required under CI (apt-get install chromium)`);
}
if (!available)
  console.warn(`dashboard tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

export interface Session {
  readonly server: ServerProcess;
  readonly browser: Browser;
  close(): Promise<void>;
}

/** A server (with `env` added to its environment) and a browser, on a fresh data directory. */
export async function startSession(env: Record<string, string> = {}): Promise<Session> {
  const dataDir = await mkdtemp(join(tmpdir(), "lacuna-dashboard-"));
  const server = await startServerProcess(dataDir, env);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  await mkdir(ARTIFACTS, { recursive: true });
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A page with what it did recorded: console errors, requests, and the jobs it started. */
/**
 * The suite's session: started before its first test, closed after its last (call it at the top
 * of the describe). Its fields read the started session.
 */
export function useSession(): Session {
  let started: Session | undefined;
  beforeAll(async () => {
    started = await startSession();
  });
  afterAll(async () => {
    await started?.close();
  });
  const get = (): Session => {
    if (started === undefined) throw new Error("the dashboard session starts in beforeAll");
    return started;
  };
  return {
    get server() {
      return get().server;
    },
    get browser() {
      return get().browser;
    },
    close: () => get().close(),
  };
}

/** The seed scenario with a PCA projection (fast), as the explorer suites open it. */
export const SEED_PCA =
  "?dataset=mnist:train&limit=2000&k=20&percent=0.01&method=ADAPTIVE&projection=PCA";

export interface Recorded {
  readonly page: Page;
  readonly problems: string[];
  readonly requests: string[];
  /** Ids of the jobs the page started, by mutation (startCoverage, startProjection), in order. */
  readonly jobs: { kind: string; id: string }[];
  /** The GraphQL operations the page sent, by name, in order. */
  readonly operations: string[];
}

export async function openPage(
  session: Session,
  options: { width?: number; height?: number; dark?: boolean } = {},
): Promise<Recorded> {
  const page = await session.browser.newPage({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.dark ? "dark" : "light",
  });
  const recorded: Recorded = { page, problems: [], requests: [], jobs: [], operations: [] };
  page.on("request", (request) => {
    recorded.requests.push(request.url());
    const body = request.postData();
    const name = body ? /"query":"(?:query|mutation) (\w+)/.exec(body)?.[1] : undefined;
    if (name) recorded.operations.push(name);
  });
  page.on("response", (response) => {
    const body = response.request().postData() ?? "";
    const kind = /mutation (StartCoverage|StartProjection)/.exec(body)?.[1];
    if (!kind) return;
    response
      .json()
      .then((json: { data?: Record<string, { id: string } | undefined> }) => {
        const id = json.data?.[kind[0]!.toLowerCase() + kind.slice(1)]?.id;
        if (id) recorded.jobs.push({ kind, id });
      })
      .catch((error: unknown) =>
        recorded.problems.push(`unreadable ${kind} answer: ${String(error)}`),
      );
  });
  page.on("pageerror", (error) => recorded.problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") recorded.problems.push(message.text());
  });
  return recorded;
}

/** A job's status, asked of the server directly. */
export async function jobStatus(session: Session, id: string): Promise<string> {
  const response = await fetch(`${session.server.base}graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `{ job(id: "${id}") { status } }` }),
  });
  const json = (await response.json()) as { data: { job: { status: string } } };
  return json.data.job.status;
}

/** Requests that left the server's origin (the page must work offline). */
export function outside(recorded: Recorded, base: string): string[] {
  const origin = new URL(base).origin;
  return recorded.requests.filter((url) => !url.startsWith(origin) && !/^(data|blob):/.test(url));
}

/** Waits until the grid shows a first page with images loaded. */
export async function gridReady(page: Page, timeout = 120_000): Promise<void> {
  await page.locator("#grid .tile img").first().waitFor({ timeout });
}

/** Waits until the scatter is drawn with its flagged samples ringed (data-ringed: rings drawn). */
export async function scatterReady(page: Page, timeout = 120_000): Promise<void> {
  await page.locator("#scatter[data-ringed]").waitFor({ timeout });
}

export function screenshot(page: Page, name: string, fullPage = false): Promise<Buffer> {
  return page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}
