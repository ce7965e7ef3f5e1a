import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { UnsupportedMediaTypeError } from '#api/http/errors.ts';
import { isJsonMediaType } from '#api/http/jsonBody.ts';
import { NotFoundError } from '#shared/domain/errors.ts';
import { redactEmails } from '#shared/logging/personalData.ts';
import { parseSnsEnvelope } from '#subscriber/events/snsMessages.ts';
import type { ConsoleRoute } from './console/consoleRoutes.ts';
import { RUNTIME_HEADERS, writeProblem } from './localProblems.ts';
import type { LocalQueue, QueueMessage } from './localQueue.ts';

/** Prefix answered by the local runtime itself (queue inspection); it never reaches the API handler. */
const RUNTIME_PREFIX = '/_local/';

/** What GET /_local/dlq lists per message; `npm run dlq` parses the same shape. */
const DeadLetterViewSchema = z.object({
  messageId: z.string(),
  receiveCount: z.number(),
  sentAt: z.string(),
  deadLetteredAt: z.string().nullable(),
  /** Why the last receive failed, with any email replaced by its hash. */
  lastError: z.string().nullable(),
  /** UTF-8 size of the published message. */
  messageBytes: z.number(),
  /**
   * The published message (unwrapped from its SNS envelope as the subscriber reads it, else the body).
   * It holds a user's name and email: present only when asked for with `?showBodies=true`.
   */
  message: z.string().optional(),
});

type DeadLetterView = z.output<typeof DeadLetterViewSchema>;

const toView = (m: QueueMessage, showBodies: boolean): DeadLetterView => {
  const message = parseSnsEnvelope(m.body)?.Message ?? m.body;
  return {
    messageId: m.messageId,
    receiveCount: m.receiveCount,
    sentAt: new Date(m.sentTimestamp).toISOString(),
    deadLetteredAt: m.deadLetteredAt === null ? null : new Date(m.deadLetteredAt).toISOString(),
    lastError: m.lastError === null ? null : redactEmails(m.lastError),
    messageBytes: Buffer.byteLength(message, 'utf8'),
    ...(showBodies && { message }),
  };
};

const send = (response: ServerResponse, status: number, payload: unknown): void => {
  response.writeHead(status, { ...RUNTIME_HEADERS, 'content-type': 'application/json' });
  response.end(JSON.stringify(payload, null, 2));
};

/** `/_local/dlq/{messageId}` and `/_local/dlq/{messageId}/redrive`: one dead letter. */
const ONE_DEAD_LETTER = /^\/_local\/dlq\/([0-9a-f-]{36})(\/redrive)?$/;

/**
 * GET /_local/queues, /_local/dlq (bodies only with `?showBodies=true`), /_local/metrics;
 * POST /_local/dlq/redrive (all), POST /_local/dlq/{id}/redrive, DELETE /_local/dlq/{id};
 * the console's routes (`/_local/`, see console/). False for other paths.
 * A write needs a JSON content type: an HTML form cannot send one, and a cross-origin script cannot
 * either without a CORS preflight this server never grants.
 */
const runtimeRoutes =
  (queue: LocalQueue, dlq: LocalQueue, registry?: Registry, consoleRoute?: ConsoleRoute) =>
  async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const [path = '/', query = ''] = (request.url ?? '/').split('?');
    if (!path.startsWith(RUNTIME_PREFIX)) return false;
    request.resume();
    const route = `${request.method} ${path}`;
    const contentType = request.headers['content-type'];
    const one = ONE_DEAD_LETTER.exec(path);
    if (consoleRoute && (await consoleRoute(request, response, path))) return true;
    if (
      one !== null &&
      (route.startsWith('POST ') ? one[2] !== undefined : route.startsWith('DELETE ') && !one[2])
    ) {
      const messageId = one[1] ?? '';
      if (!isJsonMediaType(contentType)) writeProblem(response, new UnsupportedMediaTypeError(contentType));
      else if (await (one[2] ? dlq.redriveOneTo(queue, messageId) : dlq.deleteById(messageId)))
        send(response, 200, one[2] ? { moved: 1 } : { deleted: 1 });
      else writeProblem(response, new NotFoundError(`No dead letter ${messageId}.`));
    } else if (route === 'GET /_local/queues')
      send(response, 200, { queue: await queue.stats(), deadLetterQueue: await dlq.stats() });
    else if (route === 'GET /_local/dlq') {
      const showBodies = new URLSearchParams(query).get('showBodies') === 'true';
      send(response, 200, { items: (await dlq.list()).map((m) => toView(m, showBodies)) });
    } else if (route === 'POST /_local/dlq/redrive') {
      if (isJsonMediaType(contentType)) send(response, 200, { moved: await dlq.redriveTo(queue) });
      else writeProblem(response, new UnsupportedMediaTypeError(contentType));
    } else if (route === 'GET /_local/metrics' && registry) {
      response.writeHead(200, { ...RUNTIME_HEADERS, 'content-type': registry.contentType });
      response.end(await registry.metrics());
    } else writeProblem(response, new NotFoundError(`No local runtime route ${route.slice(0, 200)}.`));
    return true;
  };

export type { DeadLetterView };
export { DeadLetterViewSchema, RUNTIME_PREFIX, runtimeRoutes };
