import { describe, expect, it } from 'vitest';
import { loadApiConfig, loadSubscriberConfig } from './functionConfig.ts';
import { ConfigError } from './parseEnv.ts';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ingesta-users';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-abc';

const configError = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('API configuration', () => {
  it('uses DATABASE_URL when given and keeps TLS as the URL says', () => {
    const config = loadApiConfig({ TOPIC_ARN: TOPIC, DATABASE_URL: 'postgres://u@h/db' });
    expect(config.database).toMatchObject({
      kind: 'url',
      url: 'postgres://u@h/db',
      ssl: undefined,
      poolMax: 2,
    });
    expect(config.logLevel).toBe('INFO');
  });

  it('prefers the reader endpoint with a secret, and verifies TLS by default', () => {
    const config = loadApiConfig({
      TOPIC_ARN: TOPIC,
      DB_SECRET_ARN: SECRET,
      DB_HOST: 'writer',
      DB_READER_HOST: 'reader',
    });
    expect(config.database).toMatchObject({
      kind: 'secret',
      host: 'reader',
      port: 5432,
      database: 'ingesta',
      ssl: 'verify-full',
    });
  });

  it('opens a writer pool for the idempotency records only when reads go to a separate reader', () => {
    const split = loadApiConfig({
      TOPIC_ARN: TOPIC,
      DB_SECRET_ARN: SECRET,
      DB_HOST: 'writer',
      DB_READER_HOST: 'reader',
    });
    expect(split.writerDatabase).toMatchObject({ kind: 'secret', host: 'writer', ssl: 'verify-full' });
    for (const env of [
      { DB_SECRET_ARN: SECRET, DB_HOST: 'writer' },
      { DB_SECRET_ARN: SECRET, DB_HOST: 'writer', DB_READER_HOST: 'writer' },
      { DATABASE_URL: 'postgres://u@h/db', DB_HOST: 'writer', DB_READER_HOST: 'reader' },
    ]) {
      expect(loadApiConfig({ TOPIC_ARN: TOPIC, ...env }).writerDatabase).toBeUndefined();
    }
  });

  it('keeps Idempotency-Keys 24 hours and holds one in flight 30 seconds unless told otherwise', () => {
    const base = { TOPIC_ARN: TOPIC, DATABASE_URL: 'postgres://h/db' };
    expect(loadApiConfig(base).idempotency).toMatchObject({ ttlMs: 86_400_000, leaseMs: 30_000 });
    expect(
      loadApiConfig({ ...base, IDEMPOTENCY_TTL_SECONDS: '3600', IDEMPOTENCY_LEASE_SECONDS: '15' })
        .idempotency,
    ).toMatchObject({ ttlMs: 3_600_000, leaseMs: 15_000 });
  });

  it.each([
    ['a TTL under a minute', { IDEMPOTENCY_TTL_SECONDS: '59' }, 'IDEMPOTENCY_TTL_SECONDS'],
    ['a TTL over 7 days', { IDEMPOTENCY_TTL_SECONDS: '604801' }, 'IDEMPOTENCY_TTL_SECONDS'],
    ['a lease that is not a number', { IDEMPOTENCY_LEASE_SECONDS: '30s' }, 'IDEMPOTENCY_LEASE_SECONDS'],
    [
      'a lease as long as the TTL',
      { IDEMPOTENCY_TTL_SECONDS: '60', IDEMPOTENCY_LEASE_SECONDS: '60' },
      'IDEMPOTENCY_LEASE_SECONDS',
    ],
  ])('refuses %s at cold start', (_label, env, path) => {
    const error = configError(() =>
      loadApiConfig({ TOPIC_ARN: TOPIC, DATABASE_URL: 'postgres://h/db', ...env }),
    );
    expect(error.issues.map((i) => i.path)).toEqual([path]);
  });

  it('names every bad variable in one clear error', () => {
    const error = configError(() => loadApiConfig({ TOPIC_ARN: 'nope', DB_PORT: 'abc', DB_SSL: 'maybe' }));
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['TOPIC_ARN', 'DB_PORT', 'DB_SSL', 'DATABASE_URL']));
    expect(error.message).toMatch(/^Invalid configuration: /);
  });

  it('requires DB_HOST when only a secret is given', () => {
    const error = configError(() => loadApiConfig({ TOPIC_ARN: TOPIC, DB_SECRET_ARN: SECRET }));
    expect(error.issues).toEqual([{ path: 'DB_HOST', message: 'DB_HOST is required with DB_SECRET_ARN' }]);
  });

  it('treats empty variables as unset', () => {
    const error = configError(() => loadApiConfig({ TOPIC_ARN: '', DATABASE_URL: 'postgres://h/db' }));
    expect(error.issues.map((i) => i.path)).toEqual(['TOPIC_ARN']);
  });

  it('bounds the pool size', () => {
    expect(
      configError(() =>
        loadApiConfig({ TOPIC_ARN: TOPIC, DATABASE_URL: 'postgres://h/db', DB_POOL_MAX: '500' }),
      ).issues[0]?.path,
    ).toBe('DB_POOL_MAX');
  });
});

describe('service name', () => {
  it('defaults per function and follows POWERTOOLS_SERVICE_NAME when set', () => {
    expect(loadApiConfig({ TOPIC_ARN: TOPIC, DATABASE_URL: 'postgres://h/db' }).serviceName).toBe(
      'ingesta-api',
    );
    expect(loadSubscriberConfig({ DATABASE_URL: 'postgres://h/db' }).serviceName).toBe('ingesta-suscriptor');
    expect(
      loadApiConfig({
        TOPIC_ARN: TOPIC,
        DATABASE_URL: 'postgres://h/db',
        POWERTOOLS_SERVICE_NAME: 'shop-prod-api',
      }).serviceName,
    ).toBe('shop-prod-api');
  });

  it('refuses a service name that would make a bad metric dimension', () => {
    const error = configError(() =>
      loadSubscriberConfig({ DATABASE_URL: 'postgres://h/db', POWERTOOLS_SERVICE_NAME: 'has spaces' }),
    );
    expect(error.issues.map((i) => i.path)).toEqual(['POWERTOOLS_SERVICE_NAME']);
  });
});

describe('subscriber configuration', () => {
  it('does not need a topic and always uses the writer', () => {
    const config = loadSubscriberConfig({
      DB_SECRET_ARN: SECRET,
      DB_HOST: 'writer',
      DB_READER_HOST: 'reader',
      LOG_LEVEL: 'debug',
    });
    expect(config.database).toMatchObject({ kind: 'secret', host: 'writer' });
    expect(config.logLevel).toBe('DEBUG');
  });
});

describe('IAM database authentication', () => {
  const IAM = {
    TOPIC_ARN: TOPIC,
    DB_IAM_AUTH: 'true',
    DB_HOST: 'writer',
    DB_READER_HOST: 'reader',
    DB_USER: 'ingesta_api',
    AWS_REGION: 'eu-west-1',
  };

  it('logs the API in as DB_USER on the reader, over verified TLS, in the function region', () => {
    expect(loadApiConfig(IAM).database).toMatchObject({
      kind: 'iam',
      host: 'reader',
      port: 5432,
      database: 'ingesta',
      user: 'ingesta_api',
      region: 'eu-west-1',
      ssl: 'verify-full',
    });
  });

  it('names everything IAM authentication lacks at once', () => {
    const error = configError(() =>
      loadApiConfig({
        TOPIC_ARN: TOPIC,
        DB_IAM_AUTH: 'true',
        DATABASE_URL: 'postgres://h/db',
        DB_SSL: 'require',
      }),
    );
    expect(error.issues).toEqual([
      { path: 'DB_IAM_AUTH', message: 'DB_IAM_AUTH connects to DB_HOST; unset DATABASE_URL' },
      { path: 'DB_HOST', message: 'DB_HOST is required with DB_IAM_AUTH' },
      { path: 'DB_USER', message: 'DB_USER is required with DB_IAM_AUTH' },
      { path: 'AWS_REGION', message: 'AWS_REGION is required with DB_IAM_AUTH (Lambda sets it)' },
      { path: 'DB_SSL', message: 'DB_IAM_AUTH needs DB_SSL=verify-full' },
    ]);
  });

  it('refuses a DB_USER that is not a plain role name, and DB_USER without IAM', () => {
    expect(configError(() => loadApiConfig({ ...IAM, DB_USER: 'Api"; DROP' })).issues[0]?.path).toBe(
      'DB_USER',
    );
    expect(
      configError(() => loadApiConfig({ TOPIC_ARN: TOPIC, DATABASE_URL: 'postgres://h/db', DB_USER: 'x' }))
        .issues,
    ).toEqual([{ path: 'DB_USER', message: 'DB_USER is read only with DB_IAM_AUTH=true' }]);
    expect(configError(() => loadApiConfig({ ...IAM, DB_IAM_AUTH: 'yes' })).issues[0]).toEqual({
      path: 'DB_IAM_AUTH',
      message: 'DB_IAM_AUTH must be true or false',
    });
  });

  it('the subscriber migrates as the master user from its secret, on the writer, and needs that secret', () => {
    const config = loadSubscriberConfig({
      ...IAM,
      TOPIC_ARN: undefined,
      DB_USER: 'ingesta_subscriber',
      DB_SECRET_ARN: SECRET,
    });
    expect(config.database).toMatchObject({ kind: 'iam', host: 'writer', user: 'ingesta_subscriber' });
    expect(config.migrator).toMatchObject({
      kind: 'secret',
      secretArn: SECRET,
      host: 'writer',
      ssl: 'verify-full',
      poolMax: 1,
      applicationName: 'ingesta-suscriptor-migrate',
    });
    expect(
      configError(() => loadSubscriberConfig({ ...IAM, DB_USER: 'ingesta_subscriber' })).issues.map(
        (i) => i.path,
      ),
    ).toEqual(['DB_SECRET_ARN']);
  });

  it('without IAM, migrations share the function connection', () => {
    expect(loadSubscriberConfig({ DATABASE_URL: 'postgres://h/db' }).migrator).toBeUndefined();
  });
});

describe('API deadline', () => {
  it('is unset by default and read in milliseconds when given', () => {
    expect(loadApiConfig({ TOPIC_ARN: TOPIC, DATABASE_URL: 'postgres://h/db' }).deadlineMs).toBeUndefined();
    expect(
      loadApiConfig({ TOPIC_ARN: TOPIC, DATABASE_URL: 'postgres://h/db', API_DEADLINE_MS: '8000' })
        .deadlineMs,
    ).toBe(8000);
  });

  it('refuses a deadline below 100 ms', () => {
    expect(
      configError(() =>
        loadApiConfig({ TOPIC_ARN: TOPIC, DATABASE_URL: 'postgres://h/db', API_DEADLINE_MS: '5' }),
      ).issues,
    ).toEqual([{ path: 'API_DEADLINE_MS', message: 'API_DEADLINE_MS must be ≥ 100' }]);
  });
});
