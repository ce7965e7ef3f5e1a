import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../domain/errors.ts';
import { SnsUserEventPublisher } from '../publisher/snsUserEventPublisher.ts';
import { AWS_CLIENT_OPTIONS } from './awsClientOptions.ts';

describe('AWS client options', () => {
  let server: Server;
  let attempts = 0;
  let endpoint = '';

  beforeAll(async () => {
    // Accepts requests and never answers: what a hung network path looks like.
    server = createServer(() => {
      attempts += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('bound a hung SNS publish: three attempts, then a 503 for the client', async () => {
    const client = new SNSClient({
      ...AWS_CLIENT_OPTIONS,
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const publisher = new SnsUserEventPublisher(client, 'arn:aws:sns:us-east-1:123456789012:t');
    // Unbounded, this would hang until the test's own timeout and fail.
    const error = await publisher
      .publish({ eventId: 'e', occurredAt: new Date().toISOString(), user: { name: 'A', email: 'a@x.io' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(attempts).toBe(AWS_CLIENT_OPTIONS.maxAttempts);
  }, 30_000);
});
