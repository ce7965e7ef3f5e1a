import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequestGuard } from '#local/requestGuard.ts';
import { endUnfinishedRequestsOnClose } from '#local/unfinishedRequests.ts';
import { redactedError } from '#shared/logging/personalData.ts';
import type { AwsResponse, AwsService, AwsServiceName, EndpointFailure } from './awsService.ts';

/** Lambda's synchronous invoke limit is 6 MB; a little more is read so the service can name the excess. */
const MAX_BODY_BYTES = 6 * 1024 * 1024 + 64 * 1024;

/** `Credential=AKID/20261128/eu-west-1/sqs/aws4_request`: any key and any region are accepted. */
const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

interface SigningScope {
  region: string;
  service: string;
}

const signingScope = (request: IncomingMessage): SigningScope | undefined => {
  const match = CREDENTIAL_SCOPE.exec(request.headers.authorization ?? '');
  return match?.[1] !== undefined && match[2] !== undefined
    ? { region: match[1], service: match[2] }
    : undefined;
};

/** The service a request is for: its signing scope says so; unsigned requests are told apart by shape. */
const serviceOf = (request: IncomingMessage, scope: SigningScope | undefined): string => {
  if (scope !== undefined) return scope.service;
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith('AmazonSQS.')) return 'sqs';
  if ((request.url ?? '').startsWith('/2015-03-31/')) return 'lambda';
  if ((request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return 'sns';
  return 'unknown';
};

const send = (response: ServerResponse, answer: AwsResponse, requestId: string): void => {
  const body = answer.body ?? '';
  response.writeHead(answer.status, {
    'x-amzn-requestid': requestId,
    'content-length': String(Buffer.byteLength(body)),
    ...answer.headers,
  });
  response.end(body);
};

/** Longest silence while reading a body, as on the Function URL server. */
const BODY_IDLE_MS = 10_000;

/** A body up to `limit`; 'too-large' once it is larger (the rest is not buffered); 'stalled' after `idleMs` of silence. */
const readBody = (
  request: IncomingMessage,
  limit: number,
  idleMs: number,
): Promise<Buffer | 'too-large' | 'stalled'> =>
  new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) {
      request.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let idle = setTimeout(() => resolve('stalled'), idleMs);
    const settle = (result: Buffer | 'too-large') => {
      clearTimeout(idle);
      resolve(result);
    };
    request.on('data', (chunk: Buffer) => {
      clearTimeout(idle);
      idle = setTimeout(() => resolve('stalled'), idleMs);
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        request.removeAllListeners('data');
        request.resume();
        settle('too-large');
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => settle(Buffer.concat(chunks)));
    request.on('error', (error) => {
      clearTimeout(idle);
      reject(error);
    });
  });

/**
 * The request target as a URL. An origin-form target is a path even when it starts with `//`, which
 * `new URL(target, base)` would read as a host (or fail on); an absolute-form target keeps its path.
 */
const targetUrl = (target = '/'): URL => {
  if (target.startsWith('/')) return new URL(`http://endpoint${target}`);
  try {
    return new URL(target);
  } catch {
    return new URL(`http://endpoint/${target}`);
  }
};

/** The endpoint's own answer to a body that stopped arriving; SDKs retry `RequestTimeoutException`. */
const stalledBody = (idleMs: number): AwsResponse => ({
  status: 408,
  headers: {
    'content-type': 'application/json',
    'x-amzn-errortype': 'RequestTimeoutException',
    connection: 'close',
  },
  body: JSON.stringify({
    __type: 'RequestTimeoutException',
    message: `The request body stopped arriving for ${idleMs} ms.`,
  }),
});

/** A JSON answer for requests no service claims (an unknown signing scope or shape). */
const unknownService = (service: string): AwsResponse => ({
  status: 400,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownServiceException' },
  body: JSON.stringify({
    __type: 'UnknownServiceException',
    message: `This endpoint speaks Lambda, SQS and SNS; '${service.slice(0, 64)}' is not one of them.`,
  }),
});

interface AwsEndpointOptions {
  services: readonly AwsService[];
  /** Extra names this server answers to besides loopback (the configured HOST). */
  hosts?: readonly string[];
  /** Longest silence while reading a body (default 10 s). */
  bodyIdleMs?: number;
}

/**
 * The AWS wire endpoint of the local runtime: the real CLI and SDKs talk to it with any key and region.
 * It reads each request whole (bounded), finds the service, and lets the service answer in its own protocol.
 * The same Host and cross-site checks as the Function URL keep web pages out.
 */
const createAwsEndpoint = ({
  services,
  hosts = [],
  bodyIdleMs = BODY_IDLE_MS,
}: AwsEndpointOptions): Server => {
  const byName = new Map<string, AwsService>(services.map((s) => [s.name, s]));
  const guard = createRequestGuard(hosts);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const scope = signingScope(request);
    const name = serviceOf(request, scope);
    const service = byName.get(name as AwsServiceName);
    const refused = guard(request);
    if (refused !== undefined) {
      request.resume();
      send(
        response,
        {
          status: refused.statusCode,
          headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' },
          body: JSON.stringify({ __type: 'AccessDeniedException', message: refused.message }),
        },
        requestId,
      );
      return;
    }
    if (service === undefined) {
      request.resume();
      send(response, unknownService(name), requestId);
      return;
    }
    const url = targetUrl(request.url);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    const base = {
      method: request.method ?? 'GET',
      path,
      query: url.searchParams,
      headers: request.headers,
      region: scope?.region ?? 'us-east-1',
      requestId,
    };
    const fail = (failure: EndpointFailure) =>
      send(response, service.failure({ ...base, body: Buffer.alloc(0) }, failure), requestId);
    const body = await readBody(request, MAX_BODY_BYTES, bodyIdleMs);
    if (body === 'stalled') {
      send(response, stalledBody(bodyIdleMs), requestId);
      response.once('finish', () => request.socket.destroy());
      return;
    }
    if (body === 'too-large') {
      fail({ kind: 'too-large', message: `The request body is larger than ${MAX_BODY_BYTES} bytes.` });
      response.once('finish', () => request.socket.destroySoon());
      return;
    }
    if (scope === undefined) {
      fail({ kind: 'unsigned', message: 'Requests must be signed with AWS Signature Version 4 (any key).' });
      return;
    }
    // A client that goes away before its answer ends its long poll.
    const disconnected = new AbortController();
    response.once('close', () => {
      if (!response.writableFinished) disconnected.abort();
    });
    let answer: AwsResponse;
    try {
      answer = await service.handle({ ...base, body, signal: disconnected.signal });
    } catch (error) {
      console.error(`local AWS endpoint: ${name} request failed`, redactedError(error));
      fail({ kind: 'internal', message: 'The request failed inside the local runtime.' });
      return;
    }
    send(response, answer, requestId);
  };

  const server = createServer(
    {
      headersTimeout: 10_000,
      requestTimeout: 60_000,
      keepAliveTimeout: 5_000,
      // Node checks its deadlines this often: at its default (30 s), 60 s meant up to 90 s.
      connectionsCheckingInterval: 1_000,
      requireHostHeader: false,
    },
    (request, response) => {
      handle(request, response).catch(() => {
        if (!response.headersSent) send(response, { status: 500 }, randomUUID());
        else response.destroy();
      });
    },
  );
  // Closing ends the services' waits first, so a long poll never holds a shutdown.
  const close = server.close.bind(server);
  server.close = (callback?: (error?: Error) => void) => {
    for (const service of services) service.interrupt?.();
    return close(callback);
  };
  endUnfinishedRequestsOnClose(server);
  return server;
};

export type { AwsEndpointOptions };
export { createAwsEndpoint, MAX_BODY_BYTES };
