import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatabaseConfig } from '../config/databaseConfig.ts';

// Records whether the Secrets Manager client is ever loaded, without changing it.
const loaded = vi.hoisted(() => ({ secretsManager: 0 }));
vi.mock('@aws-sdk/client-secrets-manager', async (importOriginal) => {
  loaded.secretsManager += 1;
  return importOriginal();
});

const common = {
  ssl: 'verify-full',
  poolMax: 2,
  statementTimeoutMs: 1_000,
  connectTimeoutMs: 1_000,
  applicationName: 'test',
} as const;
const server = { host: 'db.cluster-abc.eu-west-1.rds.amazonaws.com', port: 5432, database: 'ingesta' };
const IAM: DatabaseConfig = { kind: 'iam', ...server, user: 'ingesta_api', region: 'eu-west-1', ...common };
const SECRET: DatabaseConfig = {
  kind: 'secret',
  ...server,
  secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-abc',
  ...common,
};

describe('databaseCredentials', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    // Lambda hands a function its role's credentials in these variables.
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDLAMBDAROLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session',
    });
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('signs an IAM token for DB_USER from the role credentials, without loading Secrets Manager', async () => {
    const { databaseCredentials } = await import('./connectPostgres.ts');
    const source = await databaseCredentials(IAM);
    const credentials = await source?.();

    expect(credentials?.username).toBe('ingesta_api');
    expect(credentials?.password).toMatch(
      /^db\.cluster-abc\.eu-west-1\.rds\.amazonaws\.com:5432\/\?Action=connect&DBUser=ingesta_api&/,
    );
    expect(credentials?.password).toContain('X-Amz-Credential=AKIDLAMBDAROLE%2F');
    expect(credentials?.password).toContain('%2Feu-west-1%2Frds-db%2Faws4_request');
    expect(loaded.secretsManager).toBe(0);
  });

  it('needs nothing for a URL, and loads Secrets Manager only for a secret (the migration path)', async () => {
    const { databaseCredentials } = await import('./connectPostgres.ts');
    expect(await databaseCredentials({ kind: 'url', url: 'postgres://h/db', ...common })).toBeUndefined();
    expect(loaded.secretsManager).toBe(0);

    expect(typeof (await databaseCredentials(SECRET))).toBe('function');
    expect(loaded.secretsManager).toBe(1);
  });
});
