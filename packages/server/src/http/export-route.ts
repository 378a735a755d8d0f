import type express from "express";
import type { Logger } from "pino";
import { EXPORT_CONTENT_TYPE, formatExport } from "@lacuna/io";
import { downloadFormat, exportRecords } from "../cross/export.js";
import type { Services } from "../graphql/context.js";
import { errorInfo } from "../graphql/error-codes.js";

const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
};

/**
 * `GET /export/:kind/:id?format=csv|jsonl|label-studio[&region=N][&image=TEMPLATE][&linkFactor=F]`: a finished
 * result's flagged samples (kind `coverage` or `cross`, optionally one gap region) or collect list
 * as a download, for the dashboard's buttons and scripts. Like GraphQL queries it is open (with
 * an API key configured only mutations need it): it reads stored results by id, computes nothing
 * and opens no path a client names. Errors answer in GraphQL's shape with the same codes.
 */
export function exportRoute(services: Services, logger: Logger): express.RequestHandler {
  return (req, res) => {
    const { kind, id } = req.params as { kind: string; id: string };
    const q = req.query as Record<string, unknown>;
    void (async () => {
      const format = downloadFormat(q.format ?? "csv");
      const region = typeof q.region === "string" ? Number(q.region) : undefined;
      const image = typeof q.image === "string" ? q.image : undefined;
      const linkFactor = typeof q.linkFactor === "string" ? Number(q.linkFactor) : undefined;
      const records = await exportRecords(services, {
        kind,
        id,
        region,
        imageTemplate: image,
        linkFactor,
      });
      const extension = format === "label-studio" ? "json" : format;
      const name = `lacuna-${kind}-${id.slice(0, 12)}${region === undefined ? "" : `-region-${region}`}.${extension}`;
      res
        .status(200)
        .type(EXPORT_CONTENT_TYPE[format])
        .set("Content-Disposition", `attachment; filename="${name}"`)
        .send(formatExport(records, format));
    })().catch((error: unknown) => {
      const info = errorInfo(error);
      if (info.code === "INTERNAL_SERVER_ERROR") logger.error({ err: error }, "export failed");
      res.status(STATUS_OF_CODE[info.code] ?? 500).json({
        errors: [{ message: info.message, extensions: { code: info.code } }],
      });
    });
  };
}
