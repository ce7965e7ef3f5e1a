import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { secretsManagerCredentials } from './secretsManagerCredentials.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-abc';
const sm = mockClient(SecretsManagerClient);
const client = () => new SecretsManagerClient({ region: 'us-east-1' });

describe('secretsManagerCredentials', () => {
  beforeEach(() => sm.reset());

  it('reads the RDS-managed secret format and caches it within the TTL', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: '{"username":"postgres","password":"p1"}' });
    let now = 0;
    const get = secretsManagerCredentials(client(), ARN, { ttlMs: 1_000, now: () => now });
    expect(await get()).toEqual({ username: 'postgres', password: 'p1' });
    await get();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(sm.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: ARN });
    now = 1_000;
    sm.on(GetSecretValueCommand).resolves({ SecretString: '{"username":"postgres","password":"rotated"}' });
    expect((await get()).password).toBe('rotated');
  });

  it('does not cache a failed read', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(new Error('AccessDenied')).resolves({
      SecretString: '{"username":"u","password":"p"}',
    });
    const get = secretsManagerCredentials(client(), ARN);
    await expect(get()).rejects.toThrow('AccessDenied');
    expect(await get()).toEqual({ username: 'u', password: 'p' });
  });

  it('rejects a secret without username and password, without echoing it', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: '{"pass":"hunter2"}' });
    const error = await secretsManagerCredentials(client(), ARN)().catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('lacks username/password');
    expect((error as Error).message).not.toContain('hunter2');
  });
});
