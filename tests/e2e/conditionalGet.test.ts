import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startLocalStack } from '../support/localStack.ts';

interface User {
  id: string;
  name: string;
  email: string;
  updatedAt: string;
}

/** ETag + If-None-Match over real HTTP: a 304 costs no body, and a change shows at once. */
describe('conditional GET over real HTTP', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(() => stack.stop());

  const submit = async (name: string, email: string) => {
    const response = await fetch(`${stack.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, email }),
    });
    expect(response.status).toBe(202);
  };

  const userNamed = (email: string, name: string) =>
    eventually(async () => {
      const page = (await (await fetch(`${stack.url}/users?limit=500`)).json()) as { items: User[] };
      return page.items.find((u) => u.email === email && u.name === name);
    });

  it('answers 304 with no body while the user is unchanged, and 200 with a new ETag once it changes', async () => {
    await submit('Grace', 'grace@example.com');
    const user = await userNamed('grace@example.com', 'Grace');
    const first = await fetch(`${stack.url}/users/${user.id}`);
    const etag = first.headers.get('etag') ?? '';
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache, private');

    const revalidated = await fetch(`${stack.url}/users/${user.id}`, { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(revalidated.headers.get('cache-control')).toBe('no-cache, private');

    await submit('Grace Hopper', 'grace@example.com');
    const changed = await userNamed('grace@example.com', 'Grace Hopper');
    const after = await fetch(`${stack.url}/users/${user.id}`, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(await after.json()).toEqual(changed);
  });

  it('gives each page an ETag that changes when a user joins the page', async () => {
    await submit('Page One', 'page-one@example.com');
    await userNamed('page-one@example.com', 'Page One');
    const page = await fetch(`${stack.url}/users?limit=500`);
    const etag = page.headers.get('etag') ?? '';
    expect(page.status).toBe(200);
    expect((await fetch(`${stack.url}/users?limit=500`, { headers: { 'if-none-match': etag } })).status).toBe(
      304,
    );

    await submit('Page Two', 'page-two@example.com');
    await userNamed('page-two@example.com', 'Page Two');
    const grown = await fetch(`${stack.url}/users?limit=500`, { headers: { 'if-none-match': etag } });
    expect(grown.status).toBe(200);
    expect(grown.headers.get('etag')).not.toBe(etag);
  });

  it('revalidates the OpenAPI document the same way', async () => {
    const document = await fetch(`${stack.url}/openapi.json`);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { openapi: string }).openapi).toBe('3.1.0');
    const again = await fetch(`${stack.url}/openapi.json`, {
      headers: { 'if-none-match': document.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
  });
});
