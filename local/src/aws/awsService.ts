import type { IncomingHttpHeaders } from 'node:http';

/** The services the endpoint speaks, named as in a SigV4 credential scope. */
type AwsServiceName = 'lambda' | 'sqs' | 'sns';

/** One request, read whole (bounded) before a service sees it. */
interface AwsRequest {
  method: string;
  /** Decoded path, without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Region from the credential scope (any region is accepted), `us-east-1` when unsigned. */
  region: string;
  /** Id for the `x-amzn-RequestId` header and error bodies. */
  requestId: string;
  /** Aborts when the client disconnects before the answer: ends long polls. */
  signal?: AbortSignal;
}

interface AwsResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * Failures the endpoint itself finds before a service runs; each service renders them in its own protocol
 * (REST-JSON, JSON 1.0 or Query XML) with the error code its model names.
 */
type EndpointFailure =
  | { kind: 'too-large'; message: string }
  | { kind: 'unsigned'; message: string }
  | { kind: 'internal'; message: string };

interface AwsService {
  readonly name: AwsServiceName;
  handle(request: AwsRequest): Promise<AwsResponse>;
  failure(request: AwsRequest, failure: EndpointFailure): AwsResponse;
  /** Settles work the service started and answered before it finished (Lambda's Event invocations). */
  close?(): Promise<void>;
  /** Called as the endpoint starts closing: ends waits (long polls) at once, so they never hold a shutdown. */
  interrupt?(): void;
}

export type { AwsRequest, AwsResponse, AwsService, AwsServiceName, EndpointFailure };
