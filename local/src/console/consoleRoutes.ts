import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, UnsupportedMediaTypeError } from '#api/http/errors.ts';
import { isJsonMediaType } from '#api/http/jsonBody.ts';
import { userEventAttributes } from '#shared/domain/userEvent.ts';
import type { LocalPipeline } from '../createLocalPipeline.ts';
import { RUNTIME_HEADERS, writeProblem } from '../localProblems.ts';
import { readFromAnotherOrigin } from '../requestGuard.ts';
import { ConsoleState } from './consoleState.ts';
import { PageAssets } from './pageAssets.ts';
import { loadSloDefinitions } from './sloRules.ts';
import { SnapshotStream } from './snapshotStream.ts';

/** Streams at once at most: a few tabs, not a crowd. */
const MAX_STREAMS = 8;
const SNAPSHOT_INTERVAL_MS = 1_000;

class TooManyStreamsError extends HttpError {
  override readonly name: string = 'TooManyStreamsError';
  readonly statusCode = 503;
  readonly title = 'Service Unavailable';
  constructor(max: number, options?: ErrorOptions) {
    super(`The console serves ${max} live streams at most; close another tab.`, options);
  }
}

/**
 * Only the console's own script, style and stream: no inline code, no other origin, no framing.
 * `style-src 'self'` still lets the page set sizes through the CSSOM.
 */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

type ConsoleRoute = (request: IncomingMessage, response: ServerResponse, path: string) => Promise<boolean>;

interface LocalConsole {
  route: ConsoleRoute;
  /** Ends the live streams and the sampling. */
  close(): void;
}

/** A malformed event: what a buggy publisher would send. It fails every receive and lands in the DLQ. */
const POISON_MESSAGE = (id: string) => `{"eventId":"poison-${id}","user":`;

/**
 * The local console at `/_local/`: one page, its script (built on first request) and its event stream.
 * Nothing runs until someone asks for one of them.
 */
const createLocalConsole = (
  pipeline: Pick<LocalPipeline, 'queue' | 'dlq' | 'topic' | 'db' | 'metrics'>,
): LocalConsole => {
  const state = new ConsoleState({
    queue: pipeline.queue,
    dlq: pipeline.dlq,
    db: pipeline.db,
    registry: pipeline.metrics.registry,
    startedAtMs: Math.round(performance.timeOrigin),
    loadSlos: () => loadSloDefinitions(),
  });
  const stream = new SnapshotStream(() => state.snapshot(), {
    maxClients: MAX_STREAMS,
    intervalMs: SNAPSHOT_INTERVAL_MS,
  });

  const asset = async (response: ServerResponse, type: string, body: string, csp?: string) => {
    response.writeHead(200, {
      ...RUNTIME_HEADERS,
      'content-type': type,
      ...(csp !== undefined && { 'content-security-policy': csp }),
      'referrer-policy': 'no-referrer',
    });
    response.end(body);
  };

  const route: ConsoleRoute = async (request, response, path) => {
    const method = request.method ?? 'GET';
    const read = method === 'GET' || method === 'HEAD';
    if (read && path === '/_local/') {
      state.start();
      await asset(response, 'text/html; charset=utf-8', await PageAssets.html(), PAGE_CSP);
    } else if (read && path === '/_local/console.js') {
      await asset(response, 'text/javascript; charset=utf-8', await PageAssets.script());
    } else if (read && path === '/_local/console.css') {
      await asset(response, 'text/css; charset=utf-8', await PageAssets.css());
    } else if (method === 'GET' && path === '/_local/console/events') {
      // The streams are few: another site's frames must not hold them and lock the console's page out.
      const refused = readFromAnotherOrigin(request);
      if (refused !== undefined) writeProblem(response, refused);
      else {
        state.start();
        if (!stream.attach(response)) writeProblem(response, new TooManyStreamsError(MAX_STREAMS));
      }
    } else if (method === 'POST' && path === '/_local/console/poison') {
      const contentType = request.headers['content-type'];
      if (!isJsonMediaType(contentType)) writeProblem(response, new UnsupportedMediaTypeError(contentType));
      else {
        const messageId = await pipeline.topic.publish(POISON_MESSAGE(randomUUID()), userEventAttributes());
        response.writeHead(202, { ...RUNTIME_HEADERS, 'content-type': 'application/json' });
        response.end(JSON.stringify({ messageId }));
      }
    } else return false;
    return true;
  };

  return {
    route,
    close: () => {
      stream.close();
      state.stop();
    },
  };
};

export type { ConsoleRoute, LocalConsole };
export { createLocalConsole, MAX_STREAMS, SNAPSHOT_INTERVAL_MS };
