import { describe, expect, it } from 'vitest';
import { InMemoryUserStore, sampleUser } from '#tests/support/inMemoryUserStore.ts';
import { decodeCursor } from './cursor.ts';
import { ValidationError } from './errors.ts';
import { listUsers, PAGE_LIMIT_DEFAULT } from './listUsers.ts';

const storeWith = (n: number) => {
  const store = new InMemoryUserStore();
  for (let i = 1; i <= n; i += 1) store.users.push(sampleUser(i));
  return store;
};

describe('listUsers', () => {
  it('defaults to 50 per page and starts at the beginning', async () => {
    const store = storeWith(60);
    const page = await listUsers(store, {});
    expect(store.listCalls).toEqual([{ afterId: null, limit: PAGE_LIMIT_DEFAULT }]);
    expect(page.items).toHaveLength(50);
    expect(decodeCursor(page.nextCursor ?? '')).toBe('50');
  });

  it('returns a null nextCursor on the last page', async () => {
    const page = await listUsers(storeWith(3), { limit: '3' });
    expect(page.items).toHaveLength(3);
    expect(page.nextCursor).toBeNull();
  });

  it('continues after the cursor', async () => {
    const store = storeWith(5);
    const first = await listUsers(store, { limit: '2' });
    const second = await listUsers(store, { limit: '2', cursor: first.nextCursor ?? '' });
    expect(second.items.map((u) => u.id)).toEqual(['3', '4']);
  });

  it.each(['0', '501', '-1', '1.5', 'ten', '', '99999'])(
    'rejects limit=%s before touching the store',
    async (limit) => {
      const store = storeWith(1);
      await expect(listUsers(store, { limit })).rejects.toBeInstanceOf(ValidationError);
      expect(store.listCalls).toHaveLength(0);
    },
  );

  it('accepts the bounds 1 and 500', async () => {
    const store = storeWith(1);
    await listUsers(store, { limit: '1' });
    await listUsers(store, { limit: '500' });
    expect(store.listCalls.map((c) => c.limit)).toEqual([1, 500]);
  });

  it('rejects a forged cursor as invalid input', async () => {
    await expect(listUsers(storeWith(1), { cursor: 'bogus!' })).rejects.toBeInstanceOf(ValidationError);
  });
});
