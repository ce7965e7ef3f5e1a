import { randomUUID } from 'node:crypto';
import {
  CreateAliasCommand,
  InvokeCommand,
  type LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildFunctionUrlEvent, parseFunctionUrlResult } from '#scripts/deploy/functionUrlEvents.ts';
import { LambdaInvoker } from '#scripts/deploy/invokers.ts';
import { checksFor } from '#scripts/deploy/smokeChecks.ts';
import { runChecks } from '#scripts/deploy/smokeReport.ts';
import { rejection } from '#tests/support/awsSdk.ts';
import {
  lambdaClient,
  logOf,
  type ProbeEvent,
  payloadOf,
  publishBuild,
  startLambdaStack,
} from '../support/lambdaEndpoint.ts';
import { eventually, type RunningStack } from '../support/localStack.ts';
import { describeEachBackend } from '../support/testDatabase.ts';

const ARN = 'arn:aws:lambda:eu-west-1:000000000000:function:ingesta-api';
const health = JSON.stringify(buildFunctionUrlEvent({ method: 'GET', path: '/health' }));
const probe = (event: ProbeEvent) => JSON.stringify(event);

describeEachBackend('Lambda Invoke on the local AWS endpoint, on $name', (backend) => {
  let stack: RunningStack;
  let client: LambdaClient;
  let probeVersion: string;

  beforeAll(async () => {
    stack = await startLambdaStack(backend, { lambda: { timeoutSeconds: { api: 2 } } });
    client = lambdaClient(stack.awsUrl);
    probeVersion = await publishBuild(client, 'ingesta-api', 'test/probe:1');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs the API handler on a Function URL event and answers with its result and the executed version', async () => {
    const output = await client.send(new InvokeCommand({ FunctionName: 'ingesta-api', Payload: health }));

    expect(output.StatusCode).toBe(200);
    expect(output.ExecutedVersion).toBe('$LATEST');
    expect(output.FunctionError).toBeUndefined();
    const response = parseFunctionUrlResult(payloadOf(output));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ status: 'ok', database: 'ok' });
    // The handler's request id is the invoke's, as on Lambda.
    expect(response.headers['x-request-id']).toBe(output.$metadata.requestId);
  });

  it('passes every smoke check of both functions through the SDK, the subscriber without the queue', async () => {
    for (const kind of ['api', 'suscriptor'] as const) {
      const report = await runChecks(
        new LambdaInvoker(client, { functionName: `ingesta-${kind}` }),
        checksFor(kind),
      );
      expect(report.outcomes.filter((outcome) => !outcome.passed)).toEqual([]);
    }
  });

  it('accepts a name, a partial ARN and a full ARN, with the qualifier in the name or apart', async () => {
    const names = [
      { FunctionName: 'ingesta-api' },
      { FunctionName: '000000000000:function:ingesta-api' },
      { FunctionName: ARN },
      { FunctionName: `${ARN}:${probeVersion}` },
      { FunctionName: `ingesta-api:${probeVersion}` },
      { FunctionName: ARN, Qualifier: probeVersion },
      { FunctionName: 'ingesta-api', Qualifier: '$LATEST' },
    ];
    const executed = [];
    for (const name of names) {
      const output = await client.send(new InvokeCommand({ ...name, Payload: health }));
      expect(output.FunctionError).toBeUndefined();
      executed.push(output.ExecutedVersion);
    }
    expect(executed).toEqual([
      '$LATEST',
      '$LATEST',
      '$LATEST',
      probeVersion,
      probeVersion,
      probeVersion,
      '$LATEST',
    ]);
  });

  it('gives the handler a real-shaped context: request id, version, invoked ARN, remaining time from the timeout', async () => {
    const output = await client.send(
      new InvokeCommand({ FunctionName: ARN, Qualifier: probeVersion, Payload: probe({}) }),
    );

    expect(payloadOf(output)).toEqual({
      functionName: 'ingesta-api',
      functionVersion: probeVersion,
      invokedFunctionArn: `${ARN}:${probeVersion}`,
      awsRequestId: output.$metadata.requestId,
      memoryLimitInMB: '512',
      remainingTimeInMillis: expect.any(Number),
    });
    const remaining = (payloadOf(output) as { remainingTimeInMillis: number }).remainingTimeInMillis;
    expect(remaining).toBeGreaterThan(1_000);
    expect(remaining).toBeLessThanOrEqual(2_000);
  });

  it('runs the version an alias points at, and names it in X-Amz-Executed-Version', async () => {
    await client.send(
      new CreateAliasCommand({ FunctionName: 'ingesta-api', Name: 'probe', FunctionVersion: probeVersion }),
    );

    const output = await client.send(
      new InvokeCommand({ FunctionName: 'ingesta-api:probe', Payload: probe({}) }),
    );

    expect(output.ExecutedVersion).toBe(probeVersion);
    expect(payloadOf(output)).toMatchObject({
      invokedFunctionArn: `${ARN}:probe`,
      functionVersion: probeVersion,
    });
  });

  it('answers an unhandled error with 200, X-Amz-Function-Error and the error document', async () => {
    const output = await client.send(
      new InvokeCommand({
        FunctionName: 'ingesta-api',
        Qualifier: probeVersion,
        Payload: probe({ throw: 'no luck' }),
      }),
    );

    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBe('Unhandled');
    expect(payloadOf(output)).toEqual({
      errorType: 'TypeError',
      errorMessage: 'no luck',
      trace: expect.arrayContaining([expect.stringContaining('TypeError: no luck')]),
    });
  });

  it('times the handler out after the function timeout with the Sandbox.Timedout document', async () => {
    const output = await client.send(
      new InvokeCommand({
        FunctionName: 'ingesta-api',
        Qualifier: probeVersion,
        Payload: probe({ sleepMs: 2_500 }),
      }),
    );

    expect(output.FunctionError).toBe('Unhandled');
    expect(payloadOf(output)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${output.$metadata.requestId} Error: Task timed out after 2.00 seconds`,
      trace: expect.any(Array),
    });
  });

  it('returns the invocation’s own log lines with LogType Tail, framed by START, END and REPORT', async () => {
    const invoke = (marker: string) =>
      client.send(
        new InvokeCommand({
          FunctionName: 'ingesta-api',
          Qualifier: probeVersion,
          LogType: 'Tail',
          Payload: probe({ log: [`${marker}-first`, `${marker}-second`] }),
        }),
      );

    // Concurrent invocations interleave their writes; each log holds its own lines only.
    const [one, two] = await Promise.all([invoke('one'), invoke('two')]);

    for (const [output, mine, theirs] of [
      [one, 'one', 'two'],
      [two, 'two', 'one'],
    ] as const) {
      const lines = logOf(output).trimEnd().split('\n');
      const id = output.$metadata.requestId;
      expect(lines[0]).toBe(`START RequestId: ${id} Version: ${probeVersion}`);
      expect(lines.filter((line) => line.includes(mine)).map((line) => JSON.parse(line).message)).toEqual([
        `${mine}-first`,
        `${mine}-second`,
      ]);
      expect(lines.some((line) => line.includes(theirs))).toBe(false);
      expect(lines.at(-2)).toBe(`END RequestId: ${id}`);
      expect(lines.at(-1)).toMatch(new RegExp(`^REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\t`));
    }
  });

  it('answers Event with 202 and runs the handler in the background', async () => {
    const email = `event-${randomUUID()}@example.com`;
    const event = buildFunctionUrlEvent({
      method: 'POST',
      path: '/users',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Event Invoke', email }),
    });

    const output = await client.send(
      new InvokeCommand({
        FunctionName: 'ingesta-api',
        InvocationType: 'Event',
        Payload: JSON.stringify(event),
      }),
    );

    expect(output.StatusCode).toBe(202);
    expect(output.ExecutedVersion).toBe('$LATEST');
    expect(output.Payload?.byteLength ?? 0).toBe(0);
    const stored = await eventually(async () => {
      const page = await (await fetch(`${stack.url}/users?limit=500`)).json();
      return (page as { items: { email: string }[] }).items.find((user) => user.email === email);
    });
    expect(stored).toMatchObject({ name: 'Event Invoke' });
  });

  it('answers DryRun with 204 and runs nothing', async () => {
    const output = await client.send(
      new InvokeCommand({
        FunctionName: 'ingesta-api',
        Qualifier: probeVersion,
        InvocationType: 'DryRun',
        Payload: probe({ throw: 'must not run' }),
      }),
    );

    expect(output.StatusCode).toBe(204);
    expect(output.ExecutedVersion).toBe(probeVersion);
    expect(output.FunctionError).toBeUndefined();
  });

  it('refuses an unknown function or qualifier with ResourceNotFoundException (404)', async () => {
    for (const input of [
      { FunctionName: 'ingesta-nope' },
      { FunctionName: 'ingesta-api', Qualifier: '999' },
      { FunctionName: 'ingesta-api', Qualifier: 'canary' },
      { FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:ingesta-api' },
    ]) {
      const error = await rejection(client.send(new InvokeCommand({ ...input, Payload: health })));
      expect(error.name).toBe('ResourceNotFoundException');
      expect(error.$metadata.httpStatusCode).toBe(404);
      expect(error.message).toMatch(/^Function not found: arn:aws:lambda:eu-west-1:000000000000:function:/);
    }
  });

  it('refuses a payload that is not JSON with InvalidRequestContentException (400)', async () => {
    const error = await rejection(
      client.send(new InvokeCommand({ FunctionName: 'ingesta-api', Payload: '{"oops' })),
    );

    expect(error.name).toBe('InvalidRequestContentException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('refuses a payload over 6 MB (1 MB for Event) with RequestTooLargeException (413)', async () => {
    const big = (bytes: number) => JSON.stringify({ padding: 'x'.repeat(bytes) });
    const sync = await rejection(
      client.send(new InvokeCommand({ FunctionName: 'ingesta-api', Payload: big(6 * 1024 * 1024) })),
    );
    const event = await rejection(
      client.send(
        new InvokeCommand({
          FunctionName: 'ingesta-api',
          InvocationType: 'Event',
          Payload: big(1024 * 1024),
        }),
      ),
    );

    for (const error of [sync, event]) {
      expect(error.name).toBe('RequestTooLargeException');
      expect(error.$metadata.httpStatusCode).toBe(413);
    }
  });

  it('refuses a qualifier that contradicts the one in the name, and an unknown invocation type', async () => {
    const contradiction = await rejection(
      client.send(new InvokeCommand({ FunctionName: `ingesta-api:${probeVersion}`, Qualifier: '$LATEST' })),
    );
    const badType = await rejection(
      client.send(
        new InvokeCommand({
          FunctionName: 'ingesta-api',
          InvocationType: 'Later' as 'Event',
          Payload: health,
        }),
      ),
    );

    for (const error of [contradiction, badType]) {
      expect(error.name).toBe('InvalidParameterValueException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('answers an operation it does not implement with UnknownOperationException, not a 500', async () => {
    const error = await rejection(client.send(new ListFunctionsCommand({})));

    expect(error.name).toBe('UnknownOperationException');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });
});
