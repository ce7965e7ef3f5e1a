import type { LambdaFunctionURLEvent, SQSEvent } from 'aws-lambda';
import { urlResult } from './fakeInvoker.ts';

type StoredUser = { id: string; name: string; email: string; createdAt: string; updatedAt: string };

const problem = (status: number, title: string, extra: Record<string, unknown> = {}) => ({
  ...urlResult(status, { type: 'about:blank', title, status, ...extra }, 'application/problem+json'),
});

/**
 * A stand-in for the API and subscriber that answers as the contract says, so the checks can be
 * shown to pass on a correct implementation and to fail on each way one can be wrong.
 */
class ContractFakes {
  readonly users: StoredUser[] = [];
  readonly published: { name: string; email: string }[] = [];
  migrated = false;

  store(user: { name: string; email: string }): void {
    if (this.users.some((existing) => existing.email === user.email)) return;
    const now = new Date().toISOString();
    this.users.push({ id: String(this.users.length + 1), ...user, createdAt: now, updatedAt: now });
  }

  api(event: LambdaFunctionURLEvent): unknown {
    const method = event.requestContext.http.method;
    if (method === 'GET' && event.rawPath === '/health') {
      return urlResult(200, { status: 'ok', version: 'test', database: 'ok' });
    }
    if (method === 'GET' && event.rawPath === '/users') {
      const limit = Number(event.queryStringParameters?.limit ?? '50');
      const after = Number(event.queryStringParameters?.cursor ?? '0');
      const items = this.users.filter((user) => Number(user.id) > after).slice(0, limit);
      const last = items.at(-1);
      const more = last !== undefined && this.users.some((user) => Number(user.id) > Number(last.id));
      return urlResult(200, { items, nextCursor: more && last ? last.id : null });
    }
    if (method === 'POST' && event.rawPath === '/users') {
      const body = JSON.parse(event.body ?? '{}') as { name?: string; email?: string };
      if (!body.name || !body.email?.includes('@')) {
        return problem(400, 'Invalid request', { errors: [{ path: 'email', message: 'Invalid email' }] });
      }
      this.published.push({ name: body.name, email: body.email });
      return urlResult(202, { eventId: 'evt-1', messageId: 'msg-1' });
    }
    return problem(404, 'Not Found');
  }

  subscriber(event: unknown): unknown {
    if ((event as { action?: string }).action === 'migrate') {
      this.migrated = true;
      return { status: 'migrated', applied: ['0001_create_users'], latest: '0001_create_users' };
    }
    const failures: { itemIdentifier: string }[] = [];
    for (const record of (event as SQSEvent).Records) {
      try {
        const envelope = JSON.parse(record.body) as { Message: string };
        const message = JSON.parse(envelope.Message) as { user: { name: string; email: string } };
        this.store(message.user);
      } catch {
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  }

  /** What the pipeline does asynchronously: the subscriber stores what the API published. */
  deliver(): void {
    for (const user of this.published.splice(0)) this.store(user);
  }
}

export type { StoredUser };
export { ContractFakes };
