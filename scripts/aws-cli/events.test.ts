import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaContext } from '#local/lambdaContext.ts';
import { type RunningStack, startLocalStack } from '#tests/support/localStack.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./events/${name}`, import.meta.url), 'utf8'));

// The payloads check-pipeline.sh sends with `aws lambda invoke`: if the event contract moves, they must follow.
describe('the AWS CLI check’s event files', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(() => stack.stop());

  it('health-event.json is a Function URL event the API answers 200', async () => {
    const result = await stack.pipeline.apiHandler(
      fixture('health-event.json') as never,
      createLambdaContext('ingesta-api'),
    );
    expect(result).toMatchObject({ statusCode: 200 });
  });

  it('list-users-event.json pages users and get-user-event.json finds none for id 0', async () => {
    const list = await stack.pipeline.apiHandler(
      fixture('list-users-event.json') as never,
      createLambdaContext('ingesta-api'),
    );
    expect(list).toMatchObject({ statusCode: 200 });
    expect(JSON.parse((list as { body: string }).body)).toHaveProperty('items');
    const get = await stack.pipeline.apiHandler(
      fixture('get-user-event.json') as never,
      createLambdaContext('ingesta-api'),
    );
    expect(get).toMatchObject({ statusCode: 404 });
  });

  it('sqs-event.json is a batch the subscriber stores with no failures', async () => {
    const result = await stack.pipeline.subscriberHandler(
      fixture('sqs-event.json') as never,
      createLambdaContext('ingesta-suscriptor'),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    const { rows } = await stack.pipeline.db.query<{ email: string }>(
      "SELECT email FROM users WHERE email = 'cli-check@example.com'",
    );
    expect(rows).toHaveLength(1);
  });

  it('the scripts parse as bash', () => {
    for (const script of ['check-pipeline.sh', 'against-npm-start.sh']) {
      execFileSync('bash', ['-n', new URL(`./${script}`, import.meta.url).pathname]);
    }
  });
});
