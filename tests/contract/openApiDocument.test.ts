import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiApp } from '#api/apiApp.ts';
import type { HttpRequest } from '#api/http/httpTypes.ts';
import { openApiDocument, renderOpenApi } from '#api/openapi/document.ts';
import { DEFAULT_IDEMPOTENCY_POLICY } from '#shared/domain/idempotency.ts';
import type { IdempotencyStore } from '#shared/domain/ports.ts';
import { createLogger } from '#shared/logging/createLogger.ts';
import { PrometheusPipelineMetrics } from '#shared/metrics/prometheusPipelineMetrics.ts';
import { InMemoryUserStore, sampleUser } from '../support/inMemoryUserStore.ts';
import { OpenApiContract } from '../support/openApiContract.ts';

const run = promisify(execFile);
const REDOCLY = join('node_modules', '.bin', 'redocly');

const claimAlways: IdempotencyStore = {
  claim: async () => ({ kind: 'claimed' }),
  complete: async () => true,
  release: async () => {},
};

/** The app with in-memory ports: enough to see which routes it serves and what it answers. */
const app = () => {
  const store = new InMemoryUserStore();
  store.users.push(sampleUser(1));
  return createApiApp({
    store,
    publisher: { publish: async () => ({ messageId: 'm-1' }) },
    idempotency: { store: claimAlways, policy: DEFAULT_IDEMPOTENCY_POLICY },
    logger: createLogger('ingesta-api', 'SILENT'),
    metrics: new PrometheusPipelineMetrics(new Registry()),
    version: 'test',
  });
};

const request = (method: string, path: string, body?: string): HttpRequest => ({
  method,
  path,
  query: new URLSearchParams(),
  headers: body === undefined ? {} : ({ 'content-type': 'application/json' } as Record<string, string>),
  body: body === undefined ? undefined : Buffer.from(body),
  requestId: 'req-1',
});

const documentedPaths = (): Record<string, Record<string, unknown>> =>
  openApiDocument().paths as Record<string, Record<string, unknown>>;

describe('the OpenAPI document', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ingesta-openapi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is committed as docs/openapi.json exactly as the code generates it (run `npm run openapi` if not)', () => {
    expect(readFileSync('docs/openapi.json', 'utf8')).toBe(renderOpenApi());
  });

  it('is served at GET /openapi.json, the same document', async () => {
    const response = await app()(request('GET', '/openapi.json'));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual(openApiDocument());
  });

  it('passes Redocly lint with every warning an error, and the lint fails a broken copy', async () => {
    const good = join(dir, 'openapi.json');
    writeFileSync(good, renderOpenApi());
    await expect(run(REDOCLY, ['lint', good])).resolves.toBeDefined();
    const broken = JSON.parse(renderOpenApi()) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    delete broken.paths['/users']?.get?.operationId;
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    const failure = await run(REDOCLY, ['lint', join(dir, 'broken.json')]).catch(
      (e: { stdout: string }) => e,
    );
    expect(String((failure as { stdout: string }).stdout)).toMatch(/operation-operationId/);
  });

  it('documents exactly the routes the app serves: each listed operation answers, other methods get 405', async () => {
    const api = app();
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
    for (const [template, item] of Object.entries(documentedPaths())) {
      const path = template.replace('{id}', '1');
      const listed = methods.filter((m) => m.toLowerCase() in item);
      for (const method of methods) {
        const body = method === 'POST' ? '{"name":"Ada","email":"ada@x.io"}' : undefined;
        const response = await api(request(method, path, body));
        if (listed.includes(method))
          expect([404, 405], `${method} ${template}`).not.toContain(response.statusCode);
        else {
          expect(response.statusCode, `${method} ${template}`).toBe(405);
          expect(response.headers.allow?.split(', ').sort()).toEqual(listed.sort());
        }
      }
    }
  });

  it('every answer of the app to its documented operations keeps the document', async () => {
    const api = app();
    const contract = new OpenApiContract(openApiDocument());
    const exchanges = [
      request('GET', '/health'),
      request('GET', '/users'),
      request('GET', '/users/1'),
      request('GET', '/users/2'),
      request('GET', '/openapi.json'),
      request('POST', '/users', '{"name":"Ada","email":"ada@x.io"}'),
      request('POST', '/users', '{"name":'),
      request('DELETE', '/users/1'),
      request('GET', '/nowhere'),
    ];
    for (const exchange of exchanges) {
      const response = await api(exchange);
      expect(
        contract.check({
          ...exchange,
          status: response.statusCode,
          headers: response.headers,
          body: response.body,
        }),
      ).toEqual([]);
    }
  });
});
