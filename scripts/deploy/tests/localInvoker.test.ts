import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalInvoker } from '../invokers/localInvoker.ts';

describe('LocalInvoker', () => {
  it('passes the handler a JSON copy of the payload and a Lambda-like context', async () => {
    let seen: { event: unknown; context: Context } | undefined;
    const payload = { when: new Date('2026-01-02T03:04:05.000Z'), skipped: undefined };
    const invoker = new LocalInvoker('ingesta-api', async (event, context) => {
      seen = { event, context };
      return null;
    });

    await invoker.invoke(payload);

    expect(seen?.event).toEqual({ when: '2026-01-02T03:04:05.000Z' });
    expect(seen?.event).not.toBe(payload);
    expect(seen?.context.functionName).toBe('ingesta-api');
    expect(seen?.context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(invoker.target).toBe('local:ingesta-api');
  });

  it('returns the result through a JSON round trip with StatusCode 200', async () => {
    const invoker = new LocalInvoker('ingesta-api', async () => ({ at: new Date(0), gone: undefined }));

    const result = await invoker.invoke({});

    expect(result).toEqual({ statusCode: 200, payload: { at: '1970-01-01T00:00:00.000Z' } });
    expect(result).not.toHaveProperty('functionError');
  });

  it('turns a thrown error into FunctionError Unhandled, still with StatusCode 200, as Lambda does', async () => {
    const invoker = new LocalInvoker('ingesta-suscriptor', async () => {
      throw new TypeError('cannot read x');
    });

    const result = await invoker.invoke({});

    expect(result.statusCode).toBe(200);
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toMatchObject({ errorType: 'TypeError', errorMessage: 'cannot read x' });
  });

  it('maps a handler that returns nothing to a null payload', async () => {
    const invoker = new LocalInvoker('ingesta-api', async () => undefined);

    expect(await invoker.invoke({})).toEqual({ statusCode: 200, payload: null });
  });
});
