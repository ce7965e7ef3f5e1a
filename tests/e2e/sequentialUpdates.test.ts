import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startLocalStack } from '../support/localStack.ts';

const EMAILS = 200;
const UPDATES = 3;

describe('sequential updates to one email through the local stack', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(() => stack.stop());

  it('the last acknowledged update always wins', async () => {
    // Each POST is sent only after the previous one was acknowledged, as quickly as the stack allows:
    // successive events often fall in one millisecond, where a tie-break by random id used to decide.
    for (let i = 0; i < EMAILS; i += 1) {
      for (let version = 1; version <= UPDATES; version += 1) {
        const response = await fetch(`${stack.url}/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `v${version}`, email: `seq-${i}@example.com` }),
        });
        expect(response.status).toBe(202);
      }
    }
    await eventually(
      async () => ((await stack.pipeline.queue.stats()).total === 0 ? true : undefined),
      60_000,
    );

    const { rows } = await stack.pipeline.db.query<{ email: string; name: string }>(
      "SELECT email, name FROM users WHERE email LIKE 'seq-%'",
    );
    expect(rows).toHaveLength(EMAILS);
    const lost = rows.filter((r) => r.name !== `v${UPDATES}`).map((r) => `${r.email}: ${r.name}`);
    expect(lost).toEqual([]);
  });
});
