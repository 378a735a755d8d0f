import type {
  MutationCancelJobArgs,
  QueryJobArgs,
  QueryJobsArgs,
  SubscriptionJobArgs,
} from "../generated/graphql.js";
import { connectionArgs, toConnection } from "../graphql/connection.js";
import { type LacunaContext, requireKey } from "../graphql/context.js";
import type { JobView } from "./manager.js";

export const jobResolvers = {
  Query: {
    job: (_: unknown, args: QueryJobArgs, { services }: LacunaContext) =>
      services.jobs.get(args.id),
    jobs: async (_: unknown, args: QueryJobsArgs, { services }: LacunaContext) => {
      const { first, after } = connectionArgs(args);
      return toConnection(await services.jobs.list(first + 1, after), first, (job) => ({
        createdAt: job.createdAt,
        id: job.id,
      }));
    },
  },
  Mutation: {
    cancelJob: (_: unknown, args: MutationCancelJobArgs, context: LacunaContext) => {
      requireKey(context);
      return context.services.jobs.cancel(args.id);
    },
  },
  Subscription: {
    job: {
      // watch rejects with NOT_FOUND before any event, so graphql-ws answers it as an error, not a broken stream
      subscribe: (_: unknown, args: SubscriptionJobArgs, { services }: LacunaContext) =>
        services.jobs.watch(args.id),
      resolve: (job: JobView) => job,
    },
  },
  Job: {
    result: async (job: JobView, _: unknown, { services }: LacunaContext) => {
      if (job.status !== "SUCCEEDED" || !job.resultKey) return null;
      const record = await services.coverage.find(job.resultKey);
      return record ? { record, cached: true } : null;
    },
  },
};
