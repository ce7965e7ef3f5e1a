import { describe, expect, it } from 'vitest';
import { inferFunctionKind, parseDeployArgs, parseEnvPairs, parseSmokeArgs } from '../cli.ts';

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ingesta-api:0123abc';

describe('deploy arguments', () => {
  it('default the function name, alias and creation settings', () => {
    expect(parseDeployArgs(['--function', 'api', '--image', IMAGE])).toMatchObject({
      function: 'api',
      image: IMAGE,
      alias: 'live',
      'wait-timeout': 600,
      memory: 512,
      architecture: 'x86_64',
      env: [],
    });
  });

  it('accept "subscriber" for the suscriptor function', () => {
    expect(parseDeployArgs(['--function', 'subscriber', '--image', IMAGE])).toMatchObject({
      function: 'suscriptor',
    });
  });

  it('reject an unknown function, a missing image and unknown flags, naming each', () => {
    expect(() => parseDeployArgs(['--function', 'worker'])).toThrow(/--function: .*\n--image: /s);
    expect(() => parseDeployArgs(['--function', 'api', '--image', IMAGE, '--force'])).toThrow(/--force/);
  });

  it('parse repeatable KEY=VALUE environment pairs, keeping "=" in values', () => {
    const args = parseDeployArgs(['--function', 'api', '--image', IMAGE, '--env', 'A=1', '--env', 'B=x=y']);

    expect(args !== 'help' && parseEnvPairs(args.env)).toEqual({ A: '1', B: 'x=y' });
    expect(() => parseDeployArgs(['--function', 'api', '--image', IMAGE, '--env', 'nope'])).toThrow(
      /KEY=VALUE/,
    );
  });
});

describe('smoke arguments', () => {
  it('need at least one target', () => {
    expect(() => parseSmokeArgs([])).toThrow('Give at least one target');
    expect(parseSmokeArgs(['--local'])).toMatchObject({ local: true, 'url-auth': 'AWS_IAM', e2e: false });
  });

  it('refuse the subscriber suite over a URL', () => {
    expect(() =>
      parseSmokeArgs(['--url', 'https://x.lambda-url.eu-west-1.on.aws/', '--suite', 'suscriptor']),
    ).toThrow('subscriber has no Function URL');
  });

  it('pick the suite from the function name', () => {
    expect(inferFunctionKind('prod-ingesta-api')).toBe('api');
    expect(inferFunctionKind('ingesta-suscriptor')).toBe('suscriptor');
    expect(() => inferFunctionKind('ingesta-worker')).toThrow('pass --suite');
  });
});
