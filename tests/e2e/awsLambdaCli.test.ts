import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildFunctionUrlEvent } from '#scripts/deploy/functionUrlEvents.ts';
import { endpointEnvironment, startLambdaStack } from '../support/lambdaEndpoint.ts';
import type { RunningStack } from '../support/localStack.ts';
import { describeWith, requirement } from '../support/requirement.ts';
import { primaryBackend } from '../support/testDatabase.ts';

const run = promisify(execFile);
// Debian's awscli (v2); a pyenv `aws` may shadow it on PATH.
const AWS = '/usr/bin/aws';
const awsCli = requirement(
  existsSync(AWS) ? undefined : `aws CLI: install it at ${AWS} (apt-get install awscli)`,
);

describeWith(awsCli, 'the aws CLI against the local Lambda endpoint', () => {
  let stack: RunningStack;
  let dir: string;

  beforeAll(async () => {
    stack = await startLambdaStack(primaryBackend);
    dir = await mkdtemp(join(tmpdir(), 'ingesta-aws-cli-'));
  });

  afterAll(async () => {
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** `aws lambda …` with --endpoint-url (this CLI predates AWS_ENDPOINT_URL) and dummy keys. */
  const aws = (args: string[]) =>
    run(AWS, ['lambda', ...args, '--endpoint-url', stack.awsUrl ?? '', '--output', 'json'], {
      env: { ...endpointEnvironment(stack.awsUrl ?? ''), AWS_PAGER: '' },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('invokes the API with a Function URL event and returns its answer and the log tail', async () => {
    const payload = join(dir, 'event.json');
    const out = join(dir, 'out.json');
    await writeFile(payload, JSON.stringify(buildFunctionUrlEvent({ method: 'GET', path: '/health' })));

    const result = await aws([
      'invoke',
      '--function-name',
      'ingesta-api',
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      `fileb://${payload}`,
      '--log-type',
      'Tail',
      out,
    ]);

    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as {
      StatusCode: number;
      ExecutedVersion: string;
      LogResult: string;
    };
    expect(printed).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(Buffer.from(printed.LogResult, 'base64').toString()).toMatch(
      /^START RequestId: \S+ Version: \$LATEST\n/,
    );
    const answer = JSON.parse(await readFile(out, 'utf8')) as { statusCode: number; body: string };
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok' });
  });

  it('reads the function and shows Lambda’s error code and message for a missing alias', async () => {
    const config = await aws(['get-function-configuration', '--function-name', 'ingesta-suscriptor']);
    const missing = await aws(['get-alias', '--function-name', 'ingesta-api', '--name', 'nope']);

    expect(config.code, config.stderr).toBe(0);
    expect(JSON.parse(config.stdout)).toMatchObject({ FunctionName: 'ingesta-suscriptor', State: 'Active' });
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain(
      'An error occurred (ResourceNotFoundException) when calling the GetAlias operation: Alias not found: arn:aws:lambda:eu-west-1:000000000000:function:ingesta-api:nope',
    );
  });
});
