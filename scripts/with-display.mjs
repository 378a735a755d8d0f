#!/usr/bin/env node
// Runs a command with an X display: as is when DISPLAY is set or xvfb-run is missing, else under
// `xvfb-run -a`, so that headless-gl can create GL contexts (Mesa's software renderer here, a GPU
// elsewhere). Exits with the command's status.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: with-display.mjs COMMAND [ARGS...]");
  process.exit(2);
}
const xvfb = ["/usr/bin/xvfb-run", "/usr/local/bin/xvfb-run"].find((p) => existsSync(p));
const wrapped = !process.env.DISPLAY && xvfb;
const result = wrapped
  ? spawnSync(xvfb, ["-a", "-s", "-screen 0 640x480x24", command, ...args], { stdio: "inherit" })
  : spawnSync(command, args, { stdio: "inherit", shell: process.platform === "win32" });
if (result.error) {
  console.error(`with-display: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
