import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { LocalQueue } from '#local/localQueue.ts';
import { redactedError } from '#shared/logging/personalData.ts';
import { sqsErrors } from './sqsErrors.ts';
import { parseInput } from './sqsInput.ts';
import type { SqsQueues } from './sqsQueues.ts';

const StartInput = z.object({
  SourceArn: z.string(),
  DestinationArn: z.string().optional(),
  MaxNumberOfMessagesPerSecond: z.number().int().optional(),
});
const ListInput = z.object({ SourceArn: z.string(), MaxResults: z.number().int().optional() });
const CancelInput = z.object({ TaskHandle: z.string() });

type Status = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

interface MoveTask {
  taskHandle: string;
  status: Status;
  source: LocalQueue;
  destination: LocalQueue;
  perSecond: number | undefined;
  moved: number;
  toMove: number;
  failureReason: string | undefined;
  startedAt: number;
}

/** Tasks kept per source queue for ListMessageMoveTasks (AWS keeps the last ten). */
const KEPT_TASKS = 10;

/**
 * StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask over the local DLQ: a task moves
 * the DLQ's messages to their source queue (or another), all at once or at the given rate, in the
 * background; the list reports its progress. `stop` ends running tasks when the endpoint closes.
 */
const moveTasks = (queues: SqsQueues) => {
  const tasks = new Map<LocalQueue, MoveTask[]>();
  const stopping = new AbortController();
  const running = new Set<Promise<void>>();

  const run = async (task: MoveTask): Promise<void> => {
    try {
      while (task.status === 'RUNNING' && !stopping.signal.aborted) {
        const step = task.perSecond ?? task.toMove - task.moved;
        const moved = step > 0 ? await task.source.moveTo(task.destination, step) : 0;
        task.moved += moved;
        if (moved === 0 || task.moved >= task.toMove) break;
        if (task.perSecond !== undefined) await sleep(1_000, stopping.signal);
      }
      task.status =
        task.status === 'CANCELLING'
          ? 'CANCELLED'
          : stopping.signal.aborted && task.moved < task.toMove
            ? 'CANCELLED'
            : 'COMPLETED';
    } catch (error) {
      console.error('local AWS endpoint: message move task failed', redactedError(error));
      task.status = 'FAILED';
      task.failureReason = 'AWS.SimpleQueueService.InternalError';
    }
  };

  const decodeHandle = (handle: string): { taskId: string; sourceArn: string } | undefined => {
    try {
      const parsed = z
        .object({ taskId: z.string(), sourceArn: z.string() })
        .safeParse(JSON.parse(Buffer.from(handle, 'base64').toString('utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };

  return {
    /** Ends running tasks and waits for the step under way, so nothing touches the database after. */
    stop: async () => {
      stopping.abort();
      await Promise.all(running);
    },
    operations: {
      StartMessageMoveTask: async (input: unknown) => {
        const request = parseInput(StartInput, input);
        const source = queues.byArn(request.SourceArn);
        if (source === undefined)
          throw sqsErrors.resourceNotFound(
            "The resource that you specified for the SourceArn parameter doesn't exist.",
          );
        const origins = queues.sourcesOf(source);
        if (origins.length === 0)
          throw sqsErrors.unsupportedOperation('Source queue must be configured as a Dead Letter Queue.');
        const destination =
          request.DestinationArn === undefined ? origins[0] : queues.byArn(request.DestinationArn);
        if (destination === undefined)
          throw sqsErrors.resourceNotFound(
            "The resource that you specified for the DestinationArn parameter doesn't exist.",
          );
        if (destination === source)
          throw sqsErrors.invalidParameterValue('The source and destination queues must differ.');
        const perSecond = request.MaxNumberOfMessagesPerSecond;
        if (perSecond !== undefined && (perSecond < 1 || perSecond > 500)) {
          throw sqsErrors.invalidParameterValue(
            `Value ${perSecond} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: must be between 1 and 500.`,
          );
        }
        const list = tasks.get(source) ?? [];
        if (list.some((t) => t.status === 'RUNNING' || t.status === 'CANCELLING')) {
          throw sqsErrors.unsupportedOperation(
            'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
          );
        }
        const task: MoveTask = {
          taskHandle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: source.arn })).toString(
            'base64',
          ),
          status: 'RUNNING',
          source,
          destination,
          perSecond,
          moved: 0,
          toMove: (await source.stats()).total,
          failureReason: undefined,
          startedAt: Date.now(),
        };
        tasks.set(source, [task, ...list].slice(0, KEPT_TASKS));
        const done = run(task).finally(() => running.delete(done));
        running.add(done);
        return { TaskHandle: task.taskHandle };
      },

      ListMessageMoveTasks: async (input: unknown) => {
        const request = parseInput(ListInput, input);
        const source = queues.byArn(request.SourceArn);
        if (source === undefined)
          throw sqsErrors.resourceNotFound(
            "The resource that you specified for the SourceArn parameter doesn't exist.",
          );
        const max = request.MaxResults ?? 1;
        if (max < 1 || max > 10)
          throw sqsErrors.invalidParameterValue(
            `Value ${max} for parameter MaxResults is invalid. Reason: must be between 1 and 10.`,
          );
        return {
          Results: (tasks.get(source) ?? []).slice(0, max).map((t) => ({
            ...(t.status === 'RUNNING' && { TaskHandle: t.taskHandle }),
            Status: t.status,
            SourceArn: t.source.arn,
            DestinationArn: t.destination.arn,
            ...(t.perSecond !== undefined && { MaxNumberOfMessagesPerSecond: t.perSecond }),
            ApproximateNumberOfMessagesMoved: t.moved,
            ApproximateNumberOfMessagesToMove: t.toMove,
            ...(t.failureReason !== undefined && { FailureReason: t.failureReason }),
            StartedTimestamp: t.startedAt,
          })),
        };
      },

      CancelMessageMoveTask: async (input: unknown) => {
        const request = parseInput(CancelInput, input);
        const handle = decodeHandle(request.TaskHandle);
        const source = handle === undefined ? undefined : queues.byArn(handle.sourceArn);
        const task =
          source === undefined
            ? undefined
            : tasks.get(source)?.find((t) => t.taskHandle === request.TaskHandle);
        if (task === undefined)
          throw sqsErrors.resourceNotFound(
            "The resource that you specified for the TaskHandle parameter doesn't exist.",
          );
        if (task.status !== 'RUNNING')
          throw sqsErrors.unsupportedOperation('Only a running task can be cancelled.');
        task.status = 'CANCELLING';
        return { ApproximateNumberOfMessagesMoved: task.moved };
      },
    },
  };
};

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

export { moveTasks };
