import { describe, expect, it } from 'vitest';
import { FunctionRegistry } from './functionRegistry.ts';
import { LambdaServiceError } from './lambdaErrors.ts';

const handler = async () => null;

const registry = () => {
  const r = new FunctionRegistry(
    [{ name: 'ingesta-api', build: { imageUri: 'api:1', handler }, timeoutSeconds: 10, memorySize: 512 }],
    [{ imageUri: 'api:2', handler }],
  );
  const fn = r.function('ingesta-api', 'us-east-1');
  r.publishVersion(fn, {});
  r.updateCode(fn, 'api:2', undefined);
  r.publishVersion(fn, {});
  return { r, fn };
};

const codeOf = (call: () => unknown): string | undefined => {
  try {
    call();
    return undefined;
  } catch (error) {
    return error instanceof LambdaServiceError ? error.code : String(error);
  }
};

describe('FunctionRegistry', () => {
  it('keeps each published version on the build it was published with while $LATEST moves', () => {
    const { r, fn } = registry();
    r.updateCode(fn, 'api:1', undefined);

    const images = ['$LATEST', '1', '2'].map(
      (q) => r.resolve('ingesta-api', q, 'us-east-1').version.imageUri,
    );

    expect(images).toEqual(['api:1', 'api:1', 'api:2']);
  });

  it('routes an alias’s invocations to the additional version by its weight', () => {
    const { r, fn } = registry();
    r.createAlias(fn, { name: 'live', functionVersion: '1', weights: { '2': 0.25 } }, 'us-east-1');
    const resolved = r.resolve('ingesta-api:live', undefined, 'us-east-1');

    const versions = [0, 0.2, 0.25, 0.9].map((draw) => r.routedVersion(resolved, () => draw).version);

    expect(versions).toEqual(['2', '2', '1', '1']);
  });

  it('refuses weights that do not name a version or add up to more than 1', () => {
    const { r, fn } = registry();

    expect(
      codeOf(() => r.createAlias(fn, { name: 'a', functionVersion: '1', weights: { '9': 0.1 } }, 'r')),
    ).toBe('ResourceNotFoundException');
    expect(
      codeOf(() => r.createAlias(fn, { name: 'b', functionVersion: '1', weights: { '2': 1.5 } }, 'r')),
    ).toBe('InvalidParameterValueException');
  });

  it('finds a function by name or ARN only in its own account, and reads the qualifier from either place', () => {
    const { r } = registry();

    expect(
      r.resolve('arn:aws:lambda:eu-west-1:000000000000:function:ingesta-api:2', '2', 'x').version.version,
    ).toBe('2');
    expect(codeOf(() => r.resolve('111111111111:function:ingesta-api', undefined, 'x'))).toBe(
      'ResourceNotFoundException',
    );
    expect(codeOf(() => r.resolve('ingesta-api:1', '2', 'x'))).toBe('InvalidParameterValueException');
    expect(codeOf(() => r.resolve('ingesta-api:0', undefined, 'x'))).toBe('ResourceNotFoundException');
    expect(codeOf(() => r.resolve('arn:aws:lambda:x:function:ingesta-api', undefined, 'x'))).toBe(
      'InvalidParameterValueException',
    );
  });
});
