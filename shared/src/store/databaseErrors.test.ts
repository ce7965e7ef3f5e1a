import { createServer } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort } from '#tests/support/tcpProxy.ts';
import { DependencyUnavailableError, RowRejectedError } from '../domain/errors.ts';
import { classifyDatabaseError } from './databaseErrors.ts';

/** A server error as node-postgres builds it from the wire. */
const serverError = (code: string, message = 'server error'): pg.DatabaseError => {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
};

describe('classifyDatabaseError', () => {
  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P03', 'the database system is starting up'],
    ['53300', 'sorry, too many clients already'],
    ['08006', 'connection failure'],
    ['57014', 'canceling statement due to statement timeout'],
  ])('calls SQLSTATE %s (%s) an unavailable database', (code, message) => {
    const classified = classifyDatabaseError(serverError(code, message));
    expect(classified).toBeInstanceOf(DependencyUnavailableError);
    expect(classified).toMatchObject({ dependency: 'database', message: 'The database is unavailable.' });
  });

  it.each([
    ['23505', 'duplicate key value violates unique constraint'],
    ['23514', 'new row violates check constraint'],
    ['22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
  ])('calls SQLSTATE %s a refused row', (code, message) => {
    expect(classifyDatabaseError(serverError(code, message))).toMatchObject({
      name: 'RowRejectedError',
      code,
    });
  });

  it.each([
    ['a syntax error (a bug)', serverError('42601', 'syntax error')],
    ['a deadlock, which the caller may retry', serverError('40P01', 'deadlock detected')],
    ['a plain error', new Error('something else')],
  ])('leaves %s as it is', (_label, error) => {
    expect(classifyDatabaseError(error)).toBe(error);
  });

  it('calls a refused connection (real pg, closed port) unavailable, keeping the cause', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: await freePort(),
      connectionTimeoutMillis: 2_000,
    });
    const error = await client.connect().catch((e: unknown) => e);
    const classified = classifyDatabaseError(error);
    expect(classified).toBeInstanceOf(DependencyUnavailableError);
    expect((classified as DependencyUnavailableError).cause).toBe(error);
  });

  it('calls a pool connect timeout (real pg-pool, a server that never answers) unavailable', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const pool = new pg.Pool({ host: '127.0.0.1', port: address.port, connectionTimeoutMillis: 200 });
    try {
      const error = await pool.query('SELECT 1').catch((e: unknown) => e);
      expect(classifyDatabaseError(error)).toBeInstanceOf(DependencyUnavailableError);
    } finally {
      await pool.end();
      silent.close();
    }
  });

  it('describes a refused row by SQLSTATE and constraint, never by the values the driver quoted', async () => {
    const db = await PGlite.create();
    await db.exec(`
      CREATE TABLE people (email text CONSTRAINT email_is_short CHECK (char_length(email) < 40));
      CREATE FUNCTION quote_the_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.email LIKE 'quoted%' THEN RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'refused ' || NEW.email; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER quote_the_row BEFORE INSERT ON people FOR EACH ROW EXECUTE FUNCTION quote_the_row();`);
    const checked = await db
      .query(`INSERT INTO people VALUES ('${'long'.repeat(10)}@example.com')`)
      .catch((e: unknown) => e);
    const quoted = await db
      .query(`INSERT INTO people VALUES ('quoted@example.com')`)
      .catch((e: unknown) => e);
    await db.close();
    expect(classifyDatabaseError(checked)).toMatchObject({
      message: 'The database refused the row (SQLSTATE 23514; table people, constraint email_is_short).',
    });
    expect((quoted as Error).message).toContain('quoted@example.com');
    const classified = classifyDatabaseError(quoted) as Error;
    expect(classified).toMatchObject({ message: 'The database refused the row (SQLSTATE 22023).' });
    expect(classified.cause).toBe(quoted);
  });

  it('calls a real PGlite constraint failure a refused row, and a closed PGlite unavailable', async () => {
    const db = await PGlite.create();
    await db.exec('CREATE TABLE t (n int CHECK (n > 0))');
    const refused = await db.query('INSERT INTO t VALUES (-1)').catch((e: unknown) => e);
    expect(classifyDatabaseError(refused)).toBeInstanceOf(RowRejectedError);
    await db.close();
    const closed = await db.query('SELECT 1').catch((e: unknown) => e);
    expect(classifyDatabaseError(closed)).toBeInstanceOf(DependencyUnavailableError);
  });
});
