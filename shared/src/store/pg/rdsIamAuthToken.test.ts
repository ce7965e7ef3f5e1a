import { describe, expect, it } from 'vitest';
import { rdsIamAuthToken } from './rdsIamAuthToken.ts';

/**
 * Tokens made by botocore's `generate_db_auth_token` (the AWS CLI's `aws rds generate-db-auth-token`) with
 * the same credentials and its clock frozen at the given time: the reference this signer must match.
 */
const VECTORS = [
  {
    name: 'with a session token (as Lambda role credentials have)',
    at: '2026-01-02T03:04:05Z',
    options: {
      host: 'ingesta-prod.cluster-abc.eu-west-1.rds.amazonaws.com',
      port: 5432,
      user: 'ingesta_api',
      region: 'eu-west-1',
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
        sessionToken: 'session/token+abc=',
      },
    },
    token:
      'ingesta-prod.cluster-abc.eu-west-1.rds.amazonaws.com:5432/?Action=connect&DBUser=ingesta_api&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260102%2Feu-west-1%2Frds-db%2Faws4_request&X-Amz-Date=20260102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Security-Token=session%2Ftoken%2Babc%3D&X-Amz-Signature=9e4783439106b59b7e8ebe966381da263b2745c4d92c0e976cb3b6e0f5c32e46',
  },
  {
    name: 'without a session token, on another port',
    at: '2026-06-30T23:59:59Z',
    options: {
      host: 'ingesta.cluster-ro-xyz.us-east-1.rds.amazonaws.com',
      port: 5433,
      user: 'ingesta_subscriber',
      region: 'us-east-1',
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
    },
    token:
      'ingesta.cluster-ro-xyz.us-east-1.rds.amazonaws.com:5433/?Action=connect&DBUser=ingesta_subscriber&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260630%2Fus-east-1%2Frds-db%2Faws4_request&X-Amz-Date=20260630T235959Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=442beeb189930433213a4085bb7413763fade54826f91ec76188a7e3ea0d33b7',
  },
] as const;

/** The part before the query, and the query as a sorted list: RDS reads parameters in any order. */
const parts = (token: string) => {
  const [address, query = ''] = token.split('?');
  return { address, query: query.split('&').sort() };
};

describe('rdsIamAuthToken', () => {
  it.each(VECTORS)('signs the same token as the AWS CLI, $name', async ({ at, options, token }) => {
    const get = rdsIamAuthToken({ ...options, now: () => Date.parse(at) });

    expect(parts(await get())).toEqual(parts(token));
  });

  it('hands out one token for 10 minutes, then signs a new one', async () => {
    const vector = VECTORS[1];
    let now = Date.parse(vector.at);
    const get = rdsIamAuthToken({ ...vector.options, now: () => now });
    const first = await get();
    now += 10 * 60_000 - 1;
    expect(await get()).toBe(first);
    now += 1;
    const second = await get();
    expect(second).not.toBe(first);
    expect(second).toContain('X-Amz-Date=20260701T000959Z');
  });

  it('shares one signing between concurrent connections', async () => {
    let resolved = 0;
    const get = rdsIamAuthToken({
      ...VECTORS[0].options,
      credentials: async () => {
        resolved += 1;
        return VECTORS[0].options.credentials;
      },
    });
    const tokens = await Promise.all([get(), get(), get()]);
    expect(new Set(tokens).size).toBe(1);
    expect(resolved).toBe(1);
  });

  it('does not keep a failed signing: the next connection tries again', async () => {
    let calls = 0;
    const get = rdsIamAuthToken({
      ...VECTORS[0].options,
      credentials: async () => {
        calls += 1;
        if (calls === 1) throw new Error('no credentials yet');
        return VECTORS[0].options.credentials;
      },
    });
    await expect(get()).rejects.toThrow('no credentials yet');
    await expect(get()).resolves.toMatch(/DBUser=ingesta_api/);
  });
});
