import { describe, expect, it } from 'vitest';
import { ConfigError } from '#shared/config/parseEnv.ts';
import { loadLocalConfig } from './localConfig.ts';

const URL = 'postgres://postgres@127.0.0.1:5432/test';

describe('loadLocalConfig', () => {
  it('uses PGlite when DATABASE_URL is unset', () => {
    expect(loadLocalConfig({}).database).toBeUndefined();
  });

  it('honours the database variables the Lambdas read, with their names and rules', () => {
    const config = loadLocalConfig({
      DATABASE_URL: URL,
      DB_SSL: 'require',
      DB_POOL_MAX: '3',
      DB_STATEMENT_TIMEOUT_MS: '2500',
      DB_CONNECT_TIMEOUT_MS: '20000',
    });
    expect(config.database).toMatchObject({
      kind: 'url',
      url: URL,
      ssl: 'require',
      poolMax: 3,
      statementTimeoutMs: 2500,
      connectTimeoutMs: 20000,
    });
  });

  it('defaults to a pool of 10, since one process serves the API and the subscriber', () => {
    expect(loadLocalConfig({ DATABASE_URL: URL }).database).toMatchObject({ poolMax: 10 });
  });

  it.each([
    ['DB_POOL_MAX', 'lots'],
    ['DB_POOL_MAX', '0'],
    ['DB_SSL', 'maybe'],
    ['DB_STATEMENT_TIMEOUT_MS', '-1'],
    ['DB_CONNECT_TIMEOUT_MS', '999999999'],
  ])('refuses %s=%s as the Lambdas would', (name, value) => {
    expect(() => loadLocalConfig({ DATABASE_URL: URL, [name]: value })).toThrow(ConfigError);
    expect(() => loadLocalConfig({ DATABASE_URL: URL, [name]: value })).toThrow(name);
  });

  it('reports APP_VERSION on /health, and "local" without it', () => {
    expect(loadLocalConfig({ APP_VERSION: '1.2.3' }).version).toBe('1.2.3');
    expect(loadLocalConfig({}).version).toBe('local');
  });

  it('labels metrics with POWERTOOLS_SERVICE_NAME, "ingesta" without it, and refuses a name a label cannot hold', () => {
    expect(loadLocalConfig({ POWERTOOLS_SERVICE_NAME: 'billing' }).serviceName).toBe('billing');
    expect(loadLocalConfig({}).serviceName).toBe('ingesta');
    expect(() => loadLocalConfig({ POWERTOOLS_SERVICE_NAME: 'has spaces' })).toThrow(
      'POWERTOOLS_SERVICE_NAME',
    );
  });

  it('names every bad variable at once', () => {
    expect(() => loadLocalConfig({ PORT: 'x', LOG_LEVEL: 'LOUD', DB_SSL: 'maybe' })).toThrow(
      /PORT.*DB_SSL.*LOG_LEVEL|PORT.*LOG_LEVEL.*DB_SSL|DB_SSL.*PORT|LOG_LEVEL.*PORT/,
    );
  });
});
