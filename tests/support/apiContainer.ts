import { Registry } from 'prom-client';
import { createApiHandler } from '#api/createApiHandler.ts';
import { createFunctionUrlServer, listen } from '#local/functionUrlServer.ts';
import { LocalTopicPublisher } from '#local/localTopicPublisher.ts';
import { DEFAULT_IDEMPOTENCY_POLICY, type IdempotencyPolicy } from '#shared/domain/idempotency.ts';
import type { PublishReceipt, UserEventPublisher } from '#shared/domain/ports.ts';
import type { UserEvent } from '#shared/domain/userEvent.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { SqlIdempotencyStore } from '#shared/store/sqlIdempotencyStore.ts';
import { SqlUserStore } from '#shared/store/sqlUserStore.ts';
import { checkedAgainstContract, type RunningStack } from './localStack.ts';

interface ApiContainer {
  url: string;
  /** Every event this container published, in order. */
  published: UserEvent[];
  stop(): Promise<void>;
}

interface ApiContainerOptions {
  /** Wraps the real publisher (the stack's topic), e.g. to hold or fail a publish. */
  publisher?: (topic: UserEventPublisher) => UserEventPublisher;
  policy?: IdempotencyPolicy;
  now?: () => Date;
}

/**
 * Another API "Lambda container" beside the local stack's own: the same handler factory, on the
 * stack's database and topic, served over real HTTP on its own port. Concurrent containers meet only
 * in the database, as they do in AWS. Its answers are held to the OpenAPI document too.
 */
const startApiContainer = async (
  stack: RunningStack,
  { publisher = (topic) => topic, policy = DEFAULT_IDEMPOTENCY_POLICY, now }: ApiContainerOptions = {},
): Promise<ApiContainer> => {
  const published: UserEvent[] = [];
  const inner = publisher(new LocalTopicPublisher(stack.pipeline.topic));
  const recording: UserEventPublisher = {
    publish: async (event): Promise<PublishReceipt> => {
      const receipt = await inner.publish(event);
      published.push(event);
      return receipt;
    },
  };
  const violations: string[] = [];
  const handler = createApiHandler({
    store: new SqlUserStore(stack.pipeline.db),
    publisher: recording,
    idempotency: {
      store: new SqlIdempotencyStore(stack.pipeline.db),
      policy,
      ...(now !== undefined && { now }),
    },
    logger: createLogger('ingesta-api', 'SILENT'),
    metrics: new PrometheusPipelineMetrics(new Registry()),
    version: 'container',
  });
  const server = createFunctionUrlServer({
    invoke: checkedAgainstContract(handler, violations),
    functionName: 'ingesta-api',
  });
  const url = await listen(server, 0);
  return {
    url,
    published,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (violations.length > 0) {
        throw new Error(`Answers that depart from the OpenAPI document:\n${violations.join('\n')}`);
      }
    },
  };
};

/** A publisher that holds each publish until released: the first request stays in flight on demand. */
const gatedPublisher = () => {
  let entered: () => void = () => {};
  let release: () => void = () => {};
  const inFlight = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    /** Resolves once a publish is being held. */
    inFlight,
    release: () => release(),
    wrap: (topic: UserEventPublisher): UserEventPublisher => ({
      publish: async (event) => {
        entered();
        await gate;
        return topic.publish(event);
      },
    }),
  };
};

export type { ApiContainer };
export { gatedPublisher, startApiContainer };
