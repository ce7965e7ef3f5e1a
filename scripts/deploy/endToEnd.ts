import { setTimeout as delay } from 'node:timers/promises';
import { SmokeCheckError } from './errors.ts';
import type { Invoker } from './invokers.ts';
import {
  expectHttpStatus,
  parseBody,
  postUsers,
  requestApi,
  type SmokeUser,
  userPageSchema,
} from './smokeChecks.ts';

type EndToEndOptions = {
  user: SmokeUser;
  timeoutMs: number;
  intervalMs: number;
  pageLimit?: number;
  /** Guards the walk to the last page on a large table. */
  maxPages?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
};

type EndToEndResult = { email: string; userId: string; visibleAfterMs: number; polls: number };

type Page = { items: { id: string; email: string }[]; nextCursor: string | null };

const fetchPage = async (invoker: Invoker, limit: number, cursor: string | undefined): Promise<Page> => {
  const query: Record<string, string> = { limit: String(limit) };
  if (cursor !== undefined) query.cursor = cursor;
  const exchange = await requestApi(invoker, { method: 'GET', path: '/users', query });
  expectHttpStatus(exchange, 200);
  return parseBody(userPageSchema, exchange, 'page body');
};

/**
 * The cursor that fetches the last page (undefined when the first page is the last). New users get
 * higher ids, so they show up from there on; re-reading from it avoids walking the table per poll.
 */
const findTailCursor = async (
  invoker: Invoker,
  limit: number,
  maxPages: number,
): Promise<string | undefined> => {
  let cursor: string | undefined;
  for (let pages = 1; pages <= maxPages; pages++) {
    const page = await fetchPage(invoker, limit, cursor);
    if (page.nextCursor === null) return cursor;
    cursor = page.nextCursor;
  }
  throw new SmokeCheckError(`GET /users has more than ${maxPages} pages of ${limit}; raise maxPages`);
};

/** Looks on the first page (newest-first order) and from the tail onwards (oldest-first order). */
const findUser = async (
  invoker: Invoker,
  email: string,
  limit: number,
  tail: string | undefined,
  maxPages: number,
): Promise<string | undefined> => {
  const first = await fetchPage(invoker, limit, undefined);
  const onFirst = first.items.find((item) => item.email === email);
  if (onFirst) return onFirst.id;
  let cursor = tail;
  for (let pages = 1; pages <= maxPages; pages++) {
    const page = await fetchPage(invoker, limit, cursor);
    const match = page.items.find((item) => item.email === email);
    if (match) return match.id;
    if (page.nextCursor === null) return undefined;
    cursor = page.nextCursor;
  }
  return undefined;
};

/**
 * End to end through the deployed system: POST a unique user to the API, then poll GET /users until
 * the subscriber has stored it (API → SNS → SQS → subscriber → database → API), within a timeout.
 */
const runEndToEnd = async (invoker: Invoker, options: EndToEndOptions): Promise<EndToEndResult> => {
  const limit = options.pageLimit ?? 500;
  const maxPages = options.maxPages ?? 5_000;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const now = options.now ?? (() => performance.now());

  const tail = await findTailCursor(invoker, limit, maxPages);
  const started = now();
  const posted = await postUsers(invoker, options.user);
  expectHttpStatus(posted, 202);

  for (let polls = 1; ; polls++) {
    const userId = await findUser(invoker, options.user.email, limit, tail, maxPages);
    const elapsed = now() - started;
    if (userId !== undefined) return { email: options.user.email, userId, visibleAfterMs: elapsed, polls };
    if (elapsed >= options.timeoutMs) {
      throw new SmokeCheckError(
        `${options.user.email} not visible through GET /users after ${Math.round(elapsed)} ms (${polls} polls)`,
      );
    }
    await sleep(options.intervalMs);
  }
};

export type { EndToEndOptions, EndToEndResult };
export { runEndToEnd };
