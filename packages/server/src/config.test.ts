import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("takes a postgres:// LACUNA_DATABASE_URL and refuses anything else without echoing it", () => {
    expect(loadConfig({ LACUNA_DATA_DIR: "/d" }).databaseUrl).toBeUndefined();
    const url = "postgresql://lacuna:pw@db.example:5432/lacuna";
    expect(loadConfig({ LACUNA_DATA_DIR: "/d", LACUNA_DATABASE_URL: url }).databaseUrl).toBe(url);
    const bad = () =>
      loadConfig({ LACUNA_DATA_DIR: "/d", LACUNA_DATABASE_URL: "mysql://root:hunter2@db/x" });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/LACUNA_DATABASE_URL must be a postgres:\/\//);
    expect(bad).not.toThrow(/hunter2/);
  });

  it("has safe defaults: port 4000, localhost, CORS closed, no key, roots under the data dir", () => {
    const config = loadConfig({ LACUNA_DATA_DIR: "/data" });
    expect(config).toMatchObject({
      port: 4000,
      host: "localhost",
      dataDir: "/data",
      dataRoots: ["/data/datasets"],
      corsOrigins: [],
      apiKey: undefined,
      introspection: true,
      maxConcurrentJobs: 1,
    });
  });

  it("reads every variable, and flags win over the environment", () => {
    const config = loadConfig(
      {
        PORT: "8080",
        LACUNA_DATA_DIR: "/d",
        LACUNA_DATA_ROOTS: "/a:/b",
        LACUNA_API_KEY: "0123456789abcdefXYZ",
        LACUNA_CORS_ORIGINS: "http://a.example, http://b.example",
        LACUNA_INTROSPECTION: "false",
        LACUNA_THREADS: "3",
      },
      { port: 9000 },
    );
    expect(config).toMatchObject({
      port: 9000,
      dataRoots: ["/a", "/b"],
      apiKey: "0123456789abcdefXYZ",
      corsOrigins: ["http://a.example", "http://b.example"],
      introspection: false,
      threads: 3,
    });
  });

  it.each([
    [{ PORT: "http" }, /PORT must be an integer in \[0, 65535\]; received "http"/],
    [{ PORT: "70000" }, /PORT must be/],
    [{ LACUNA_API_KEY: "short" }, /at least 16 characters/],
    [{ LACUNA_INTROSPECTION: "maybe" }, /LACUNA_INTROSPECTION must be true or false/],
    [{ LACUNA_MAX_JOBS: "0" }, /LACUNA_MAX_JOBS must be an integer in \[1, 64\]/],
    [{ LACUNA_BODY_LIMIT: "1e12" }, /LACUNA_BODY_LIMIT/],
  ])("refuses %o", (env, message) => {
    expect(() => loadConfig({ LACUNA_DATA_DIR: "/d", ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ LACUNA_DATA_DIR: "/d", ...env })).toThrow(message);
  });

  it.each([
    [{ LACUNA_LOG_LEVEL: "loud" }, {}, /LACUNA_LOG_LEVEL must be one of fatal, error/],
    [{}, { port: 70_000 }, /the port \(PORT, --port\) must be an integer in \[0, 65535\]/],
    [{}, { host: "256.0.0.1" }, /the host \(HOST, --host\) must be an IP address or a host name/],
    [{}, { host: "a b" }, /must be an IP address or a host name/],
    [{ LACUNA_ALLOWED_HOSTS: "ok.example, bad/host" }, {}, /LACUNA_ALLOWED_HOSTS/],
  ])("refuses %o with flags %o", (env, flags, message) => {
    expect(() => loadConfig({ LACUNA_DATA_DIR: "/d", ...env }, flags)).toThrow(message);
  });

  it("accepts host names, IPv4 and IPv6, and reads LACUNA_ALLOWED_HOSTS", () => {
    for (const host of ["localhost", "0.0.0.0", "::1", "lacuna.example.org"])
      expect(loadConfig({ LACUNA_DATA_DIR: "/d" }, { host }).host).toBe(host);
    expect(
      loadConfig({ LACUNA_DATA_DIR: "/d", LACUNA_ALLOWED_HOSTS: "A.example, b.example" })
        .allowedHosts,
    ).toEqual(["a.example", "b.example"]);
  });
});
