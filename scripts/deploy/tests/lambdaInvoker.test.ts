import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { baseFunctionName, parseFunctionRef } from '../invokers/functionRef.ts';
import { LambdaInvoker } from '../invokers/lambdaInvoker.ts';
import { createLambdaMock, invokeOutput } from './fakeLambda.ts';

const lambda = createLambdaMock();

afterEach(() => {
  lambda.reset();
});

describe('LambdaInvoker', () => {
  it('invokes the qualifier under test synchronously with the JSON payload', async () => {
    lambda.on(InvokeCommand).resolves(invokeOutput({ ok: true }));
    const invoker = new LambdaInvoker(new LambdaClient({}), { functionName: 'ingesta-api', qualifier: '7' });

    const result = await invoker.invoke({ hello: 'world' });

    const input = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      FunctionName: 'ingesta-api',
      Qualifier: '7',
      InvocationType: 'RequestResponse',
    });
    expect(new TextDecoder().decode(input?.Payload as Uint8Array)).toBe('{"hello":"world"}');
    expect(result).toEqual({ statusCode: 200, payload: { ok: true } });
    expect(invoker.target).toBe('ingesta-api:7');
  });

  it('surfaces FunctionError and the error payload', async () => {
    lambda
      .on(InvokeCommand)
      .resolves(invokeOutput({ errorType: 'Error', errorMessage: 'boom' }, 'Unhandled'));
    const invoker = new LambdaInvoker(new LambdaClient({}), { functionName: 'ingesta-api' });

    const result = await invoker.invoke({});

    expect(result).toEqual({
      statusCode: 200,
      functionError: 'Unhandled',
      payload: { errorType: 'Error', errorMessage: 'boom' },
    });
  });
});

describe('parseFunctionRef', () => {
  it.each([
    ['ingesta-api', { functionName: 'ingesta-api' }],
    ['ingesta-api:live', { functionName: 'ingesta-api', qualifier: 'live' }],
    [
      'arn:aws:lambda:eu-west-1:123456789012:function:ingesta-suscriptor',
      { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:ingesta-suscriptor' },
    ],
    [
      'arn:aws:lambda:eu-west-1:123456789012:function:ingesta-suscriptor:12',
      { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:ingesta-suscriptor', qualifier: '12' },
    ],
  ])('splits %s into name and qualifier', (ref, expected) => {
    expect(parseFunctionRef(ref)).toEqual(expected);
  });

  it.each(['a:b:c', 'arn:aws:lambda:x', 'ingesta-api:', ':live'])('rejects %s', (ref) => {
    expect(() => parseFunctionRef(ref)).toThrow(/Expected|Not a Lambda function ARN/);
  });

  it('finds the bare name in an ARN, which picks the suite', () => {
    expect(baseFunctionName(parseFunctionRef('arn:aws:lambda:eu-west-1:1:function:x-api:live'))).toBe(
      'x-api',
    );
  });
});
