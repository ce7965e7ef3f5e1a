import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineExceededError } from '../domain/errors.ts';
import { invocationBudgetMs, withDeadline } from './deadline.ts';

const remaining = (ms: number) => ({ getRemainingTimeInMillis: () => ms });

describe('invocationBudgetMs', () => {
  it("keeps a margin from Lambda's timeout, and a configured cap when it is sooner", () => {
    expect(invocationBudgetMs(remaining(10_000))).toBe(9_000);
    expect(invocationBudgetMs(remaining(10_000), { capMs: 8_000 })).toBe(8_000);
    expect(invocationBudgetMs(remaining(5_000), { capMs: 8_000 })).toBe(4_000);
    expect(invocationBudgetMs(remaining(500))).toBe(0);
  });
});

describe('withDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('settles as the work does when it finishes in time', async () => {
    await expect(withDeadline(Promise.resolve('done'), 1_000)).resolves.toBe('done');
    await expect(withDeadline(Promise.reject(new Error('boom')), 1_000)).rejects.toThrow('boom');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with DeadlineExceededError when the work outlasts it, and ignores a late failure', async () => {
    let fail: (error: Error) => void = () => {};
    const work = new Promise<string>((_, reject) => {
      fail = reject;
    });
    const raced = withDeadline(work, 1_000);
    const outcome = expect(raced).rejects.toEqual(expect.any(DeadlineExceededError));
    await vi.advanceTimersByTimeAsync(1_000);
    await outcome;
    await expect(raced).rejects.toMatchObject({ deadlineMs: 1_000 });
    // A rejection after the deadline must not surface as an unhandled rejection.
    fail(new Error('late'));
    await vi.advanceTimersByTimeAsync(0);
  });
});
