import { expressMiddleware } from "@as-integrations/express5";
import type { ApolloServer } from "@apollo/server";
import cors from "cors";
import express, { type ErrorRequestHandler } from "express";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import type { ServerConfig } from "../config.js";
import type { LacunaContext, Services } from "../graphql/context.js";
import { hasApiKey } from "./auth.js";
import { exportRoute } from "./export-route.js";
import { hostCheck } from "./host-check.js";
import { landingPage } from "./landing.js";

/** Answers body-parser failures (malformed JSON, oversized bodies) in GraphQL's shape, no stack. */
const bodyErrors =
  (logger: Logger): ErrorRequestHandler =>
  (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const e = error as { status?: number; type?: string; message?: string };
    if (e.type === "entity.too.large") {
      res.status(413).json({
        errors: [{ message: "request body too large", extensions: { code: "PAYLOAD_TOO_LARGE" } }],
      });
      return;
    }
    if (typeof e.status === "number" && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({
        errors: [
          { message: "malformed request body: send JSON", extensions: { code: "BAD_REQUEST" } },
        ],
      });
      return;
    }
    logger.error({ err: error }, "request failed");
    res.status(500).json({
      errors: [{ message: "internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }],
    });
  };

/** A signal that aborts when the client goes before the answer is sent (a closed connection). */
function clientGone(res: express.Response): AbortSignal {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort(new Error("the client disconnected"));
  });
  return controller.signal;
}

/** The HTTP application: /graphql, /health and the landing page. */
export function createApp(
  config: ServerConfig,
  apollo: ApolloServer<LacunaContext>,
  services: Services,
  health: () => Record<string, unknown>,
  logger: Logger,
): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(hostCheck(config.host, config.allowedHosts), (_req, res, next) => {
    // no page of Lacuna's may be framed by another site (clickjacking)
    res.set("X-Frame-Options", "DENY");
    next();
  });
  const page = landingPage(services.version);
  const sendQueryPage = (_req: express.Request, res: express.Response) => {
    res
      .type("html")
      .set(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'",
      )
      .send(page);
  };
  app.get("/query", sendQueryPage);
  if (existsSync(join(config.dashboardDir, "index.html"))) {
    // the dashboard: bundled by Vite, nothing from another host
    app.use(
      "/",
      (_req, res, next) => {
        res.set(
          "Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'",
        );
        next();
      },
      express.static(config.dashboardDir, { index: "index.html", fallthrough: true }),
    );
  } else {
    logger.warn(
      { dashboardDir: config.dashboardDir },
      "the dashboard is not built (npm run build); serving the query page at /",
    );
    app.get("/", sendQueryPage);
  }
  app.get("/health", (_req, res) => {
    res.json({ status: "ok", version: services.version, ...health() });
  });
  app.get("/export/:kind/:id", exportRoute(services, logger));
  app.use(
    "/graphql",
    // closed by default: with no origins configured, no CORS header is ever sent
    cors({ origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false }),
    express.json({ limit: config.bodyLimit }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => ({
        services,
        signal: clientGone(res),
        authorized: hasApiKey(
          req.headers as { authorization?: string; "x-api-key"?: string },
          config.apiKey,
        ),
      }),
    }),
  );
  app.use(bodyErrors(logger));
  return app;
}
