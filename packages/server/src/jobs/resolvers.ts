import type { MutationCancelJobArgs, QueryJobArgs } from "../generated/graphql.js";
import { type LacunaContext, requireKey } from "../graphql/context.js";
import type { JobView } from "./manager.js";

export const jobResolvers = {
  Query: {
    job: (_: unknown, args: QueryJobArgs, { services }: LacunaContext) =>
      services.jobs.get(args.id),
  },
  Mutation: {
    cancelJob: (_: unknown, args: MutationCancelJobArgs, context: LacunaContext) => {
      requireKey(context);
      return context.services.jobs.cancel(args.id);
    },
  },
  Job: {
    result: (job: JobView, _: unknown, { services }: LacunaContext) => {
      if (job.status !== "SUCCEEDED" || !job.resultKey) return null;
      const record = services.coverage.find(job.resultKey);
      return record ? { record, cached: true } : null;
    },
  },
};
