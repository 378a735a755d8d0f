/**
 * A throwaway PostgreSQL server for tests: initdb into a temporary folder, `postgres` on a free
 * loopback port with its socket in that folder, one fresh database per caller, everything removed
 * on stop. initdb refuses to run as root, so under root the server runs as `nobody` (or a system
 * user this creates, `lacuna-pg`, where there is no `nobody`) through `runuser`.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

export interface PostgresServer {
  readonly port: number;
  /** A new, empty database on this server. @returns its URL */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

/** The folder holding initdb and postgres: LACUNA_PG_BIN, Debian's newest, or the PATH's. */
export function postgresBinaries(): string | null {
  const candidates: string[] = [];
  if (process.env.LACUNA_PG_BIN) candidates.push(process.env.LACUNA_PG_BIN);
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, "bin")));
  }
  candidates.push(...(process.env.PATH ?? "").split(delimiter).filter((p) => p !== ""));
  return (
    candidates.find(
      (dir) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres")),
    ) ?? null
  );
}

/**
 * Why PostgreSQL tests cannot run here, or null when they can. Under CI=true they must run: this
 * is then always null, and a missing binary fails startPostgres instead of skipping.
 */
export function postgresUnavailable(): string | null {
  if (process.env.CI === "true" || postgresBinaries() !== null) return null;
  return "PostgreSQL's initdb and postgres were not found (apt-get install postgresql, or set LACUNA_PG_BIN)";
}

/** The unprivileged user that runs the server when this process is root; null when not root. */
function serverUser(): string | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of ["nobody", "lacuna-pg"])
    if (spawnSync("id", ["-u", user], { stdio: "ignore" }).status === 0) return user;
  execFileSync("useradd", ["--system", "--no-create-home", "lacuna-pg"], { stdio: "ignore" });
  return "lacuna-pg";
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a PostgreSQL server; resolves once it accepts connections (at most 60 s). */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinaries();
  if (!bin) throw new Error(postgresUnavailable() ?? "PostgreSQL binaries not found");
  const user = serverUser();
  const dir = await mkdtemp(join(tmpdir(), "lacuna-pg-"));
  const data = join(dir, "data");
  const as = (command: string, args: string[]): [string, string[]] =>
    user ? ["runuser", ["-u", user, "--", command, ...args]] : [command, args];
  if (user) {
    const uid = Number(execFileSync("id", ["-u", user]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", user]).toString().trim());
    await chown(dir, uid, gid);
  }
  execFileSync(
    ...as(join(bin, "initdb"), [
      "-D",
      data,
      "-U",
      "lacuna",
      "-A",
      "trust",
      "-E",
      "UTF8",
      "--no-sync",
    ]),
    { stdio: "pipe" },
  );
  const port = await freePort();
  // durability is not under test: no fsync keeps the database quick on a busy machine
  const [command, args] = as(join(bin, "postgres"), [
    ...["-D", data, "-k", dir, "-p", String(port), "-h", "127.0.0.1"],
    ...["-c", "fsync=off", "-c", "max_connections=200"],
  ]);
  const child: ChildProcess = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // SIGINT is postgres's fast shutdown; it goes to the postmaster itself (runuser does not pass
  // SIGINT on), whose pid heads postmaster.pid
  const postmaster = () =>
    Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  const killOnExit = () => {
    try {
      if (existsSync(join(data, "postmaster.pid"))) process.kill(postmaster(), "SIGINT");
    } catch (error) {
      // ESRCH: it stopped between the check and the signal
      if ((error as { code?: string }).code !== "ESRCH") throw error;
    }
  };
  process.once("exit", killOnExit);
  const admin = `postgres://lacuna@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client({ connectionString: admin });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`PostgreSQL did not start: ${String(error)}\n${log}`, { cause: error });
      await sleep(100);
    }
  }
  const server = connectPostgres(port);
  return {
    ...server,
    async stop() {
      process.removeListener("exit", killOnExit);
      if (child.exitCode === null) {
        killOnExit();
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A PostgreSQL server started elsewhere (the suite's global setup), reached as user `lacuna`
 * without a password on 127.0.0.1:`port`; `stop` leaves it running.
 */
export function connectPostgres(port: number): PostgresServer {
  const admin = `postgres://lacuna@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    port,
    async createDatabase() {
      const name = `lacuna_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://lacuna@127.0.0.1:${port}/${name}`;
    },
    stop: () => Promise.resolve(),
  };
}
