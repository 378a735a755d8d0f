import { describe, expect, it } from "vitest";
import { hostName, isAllowedHost } from "./host-check.js";

describe("hostName", () => {
  it("drops the port and lowers the case, IPv6 included", () => {
    expect(hostName("LocalHost:4000")).toBe("localhost");
    expect(hostName("[::1]:4000")).toBe("::1");
    expect(hostName("attacker.example")).toBe("attacker.example");
    expect(hostName(undefined)).toBeUndefined();
  });
});

describe("isAllowedHost", () => {
  it.each([
    ["localhost:4000", true],
    ["127.0.0.1:4000", true],
    ["127.1.2.3", true],
    ["[::1]:4000", true],
    ["app.localhost", true],
    ["attacker.example", false],
    ["localhost.attacker.example", false],
    ["127.0.0.1.attacker.example", false],
    [undefined, false],
    ["", false],
  ])("Host %s -> %s (listening on localhost)", (host, allowed) => {
    expect(isAllowedHost(host, "localhost", [])).toBe(allowed);
  });

  it("adds the configured names and a specific listen address, never a wildcard one", () => {
    expect(isAllowedHost("lacuna.example:80", "localhost", ["lacuna.example"])).toBe(true);
    expect(isAllowedHost("192.168.1.5:4000", "192.168.1.5", [])).toBe(true);
    expect(isAllowedHost("0.0.0.0:4000", "0.0.0.0", [])).toBe(false);
  });
});
