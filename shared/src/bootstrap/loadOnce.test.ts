import { describe, expect, it } from 'vitest';
import { loadOnce } from './loadOnce.ts';

describe('loadOnce', () => {
  it('loads on the first call only, and every call shares that load', async () => {
    let loads = 0;
    const get = loadOnce(async () => {
      loads += 1;
      return { n: loads };
    });
    expect(loads).toBe(0);
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(await get()).toBe(a);
    expect(loads).toBe(1);
  });

  it('passes a failed load to its callers and loads again on the next call', async () => {
    let loads = 0;
    const get = loadOnce(async () => {
      loads += 1;
      if (loads === 1) throw new Error('failed to load');
      return 'ok';
    });
    await expect(Promise.all([get(), get()])).rejects.toThrow('failed to load');
    await expect(get()).resolves.toBe('ok');
    expect(loads).toBe(2);
  });
});
