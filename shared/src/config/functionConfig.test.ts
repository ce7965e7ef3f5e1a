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
