import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningStack, startLocalStack } from '../support/localStack.ts';

describe('bad requests over real HTTP get RFC 9457 problems', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(() => stack.stop());

  const problemOf = async (response: Response) => {
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem.status).toBe(response.status);
    expect(problem.requestId).toBe(response.headers.get('x-request-id'));
    return problem;
  };

  const postRaw = (body: string | Blob, contentType = 'application/json') =>
    fetch(`${stack.url}/users`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('400 for malformed JSON', async () => {
    const response = await postRaw('{"name": "Ada",');
    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({ type: 'urn:ingesta:problem:malformed-json' });
  });

  it('400 for a body that is not UTF-8 (Latin-1), and nothing is published', async () => {
    const publish = vi.spyOn(stack.pipeline.topic, 'publish');
    try {
      const latin1 = Buffer.from('{"name":"Jos\xe9","email":"jose@example.com"}', 'latin1');
      const response = await postRaw(new Blob([new Uint8Array(latin1)]));
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({ type: 'urn:ingesta:problem:malformed-json' });
      expect(publish).not.toHaveBeenCalled();
    } finally {
      publish.mockRestore();
    }
  });

  it('400 for a validation failure, naming the fields', async () => {
    const response = await postRaw(JSON.stringify({ name: '', email: 'nope', role: 'admin' }));
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.type).toBe('urn:ingesta:problem:validation-error');
    expect((problem.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      '(root)',
      'email',
      'name',
    ]);
  });

  it('400 for a bad page query or cursor', async () => {
    expect((await fetch(`${stack.url}/users?limit=0`)).status).toBe(400);
    expect((await fetch(`${stack.url}/users?limit=501`)).status).toBe(400);
    const response = await fetch(`${stack.url}/users?cursor=forged`);
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual([{ path: 'cursor', message: 'invalid cursor' }]);
  });

  it('404 for an unknown route or user', async () => {
    expect((await problemOf(await fetch(`${stack.url}/orders`))).status).toBe(404);
    expect((await fetch(`${stack.url}/users/999999`)).status).toBe(404);
    expect((await fetch(`${stack.url}/users/not-a-number`)).status).toBe(404);
  });

  it('405 for a wrong method, with Allow', async () => {
    const response = await fetch(`${stack.url}/users`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    await problemOf(response);
    expect((await fetch(`${stack.url}/health`, { method: 'POST' })).headers.get('allow')).toBe('GET');
  });

  it('413 for a body over 64 KB, even when it is not JSON', async () => {
    const response = await postRaw('x'.repeat(64 * 1024 + 1), 'text/plain');
    expect(response.status).toBe(413);
    expect(await problemOf(response)).toMatchObject({ limitBytes: 65_536 });
  });

  it('415 for a content type that is not JSON, including binary bodies sent base64-encoded', async () => {
    expect((await problemOf(await postRaw('name=Ada', 'application/x-www-form-urlencoded'))).status).toBe(
      415,
    );
    expect((await postRaw(new Blob([new Uint8Array([1, 2, 3])]), 'application/octet-stream')).status).toBe(
      415,
    );
  });

  it('202 for a JSON body in a media type with +json and a charset', async () => {
    const response = await postRaw(
      JSON.stringify({ name: 'Ada', email: 'ada@example.com' }),
      'application/vnd.api+json; charset=utf-8',
    );
    expect(response.status).toBe(202);
  });

  it('GET /health reports the database and version', async () => {
    const response = await fetch(`${stack.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: 'local', database: 'ok' });
  });
});
