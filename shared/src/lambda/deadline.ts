import type { Context } from 'aws-lambda';
import { DeadlineExceededError } from '../domain/errors.ts';

/** Time kept back from Lambda's own timeout to answer, log and flush metrics after a deadline. */
const DEADLINE_MARGIN_MS = 1_000;

/**
 * How long an invocation may spend on its work: what Lambda leaves it minus a margin to answer, and no
 * more than `capMs` when one is configured. Never negative.
 */
const invocationBudgetMs = (
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  { capMs, marginMs = DEADLINE_MARGIN_MS }: { capMs?: number | undefined; marginMs?: number } = {},
): number =>
  Math.max(0, Math.min(context.getRemainingTimeInMillis() - marginMs, capMs ?? Number.POSITIVE_INFINITY));

/**
 * Settles as `work` does, or rejects with DeadlineExceededError after `ms`. Work still running then is
 * abandoned, not stopped (a pending connect cannot be cancelled): it must be safe to finish or repeat.
 */
const withDeadline = async <T>(work: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(ms)), ms);
  });
  // Once the deadline has answered, a late failure has no one left to tell.
  work.catch(() => {});
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
};

export { DEADLINE_MARGIN_MS, invocationBudgetMs, withDeadline };
