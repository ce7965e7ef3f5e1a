import { describe, expect, it } from 'vitest';
import {
  DependencyUnavailableError,
  IdempotencyKeyInFlightError,
  IdempotencyKeyReusedError,
  IngestaError,
  NotFoundError,
  RowRejectedError,
  ValidationError,
} from '#shared/domain/errors.ts';
import { MethodNotAllowedError } from './errors.ts';
import { problemResponse, toProblem } from './problems.ts';

describe('toProblem', () => {
  it.each([
    [
      new ValidationError('bad', [{ path: 'name', message: 'empty' }]),
      400,
      'urn:ingesta:problem:validation-error',
    ],
    [new NotFoundError('no user'), 404, 'about:blank'],
    [new DependencyUnavailableError('database', 'down'), 503, 'about:blank'],
    [new MethodNotAllowedError('PUT', ['GET']), 405, 'about:blank'],
    [new IdempotencyKeyInFlightError('k1'), 409, 'urn:ingesta:problem:idempotency-key-in-flight'],
    [new IdempotencyKeyReusedError('k1'), 422, 'urn:ingesta:problem:idempotency-key-reused'],
  ])('maps %s to its status and problem type', (error, status, type) => {
    const { status: got, document } = toProblem(error);
    expect(got).toBe(status);
    expect(document).toMatchObject({ status, type, detail: error.message });
  });

  it('names the invalid fields of a validation error', () => {
    const issues = [{ path: 'email', message: 'email must be a valid address' }];
    expect(toProblem(new ValidationError('The user is invalid.', issues)).document.errors).toEqual(issues);
  });

  it('asks the client to retry when a dependency is unavailable', () => {
    expect(toProblem(new DependencyUnavailableError('topic', 'down')).headers).toEqual({
      'retry-after': '1',
    });
  });

  it('asks the client to retry shortly while its Idempotency-Key is in flight', () => {
    expect(toProblem(new IdempotencyKeyInFlightError('k1')).headers).toEqual({ 'retry-after': '1' });
  });

  it.each([
    ['an unexpected Error', new Error('connection string postgres://secret@db')],
    ['a domain error with no HTTP meaning', new RowRejectedError('violates check', '23514')],
    ['the base error', new IngestaError('internal detail')],
    ['a thrown string', 'boom'],
  ])('answers %s with a bare 500 that leaks nothing', (_label, error) => {
    const response = problemResponse(error, 'req-1');
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      requestId: 'req-1',
    });
  });
});
