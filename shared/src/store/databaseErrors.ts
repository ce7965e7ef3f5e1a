import { DependencyUnavailableError, RowRejectedError } from '../domain/errors.ts';
import type { QueryResult, SqlExecutor } from './sqlExecutor.ts';

/**
 * The one place that reads driver errors. node-postgres and PGlite report failures as SQLSTATE codes,
 * Node socket codes or bare messages; the domain sees only what they mean.
 */

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint) blame rows, not the database. */
const ROW_REJECTED_CLASSES = new Set(['22', '23']);

/**
 * The database cannot serve now, though it may later: 08 connection exception, 53 insufficient resources
 * (53300 too many connections), 57 operator intervention (57P01 admin shutdown, 57P03 cannot connect now,
 * 57014 statement timeout), 58 system error.
 */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58']);

/** Socket failures Node reports while connecting or mid-query. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** node-postgres and pg-pool report these without a code. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /^Query read timeout$/,
  /is not queryable/,
  /Cannot use a pool after calling end/,
  // PGlite once it is closed (the local process is stopping).
  /PGlite is closed/,
];

const codeOf = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
};

const isSqlState = (code: string): boolean => /^[0-9A-Z]{5}$/.test(code);

const fieldOf = (error: unknown, field: 'constraint' | 'column' | 'table'): string | undefined => {
  if (typeof error !== 'object' || error === null || !(field in error)) return undefined;
  const value = (error as Record<string, unknown>)[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * A refused row, described by the server's structured fields only. The driver's message may quote the
 * row's values (`invalid input syntax for type …: "<value>"`, a trigger's own text), and this text is
 * logged and shown in the DLQ: the values stay in the cause, never in the message.
 */
const describeRefusal = (error: unknown, code: string): string => {
  const where = [
    fieldOf(error, 'table') && `table ${fieldOf(error, 'table')}`,
    fieldOf(error, 'column') && `column ${fieldOf(error, 'column')}`,
    fieldOf(error, 'constraint') && `constraint ${fieldOf(error, 'constraint')}`,
  ].filter(Boolean);
  return `The database refused the row (SQLSTATE ${code}${where.length > 0 ? `; ${where.join(', ')}` : ''}).`;
};

const isUnavailable = (error: unknown): boolean => {
  const code = codeOf(error);
  if (code !== undefined) {
    if (UNAVAILABLE_SOCKET_CODES.has(code)) return true;
    if (isSqlState(code)) return UNAVAILABLE_CLASSES.has(code.slice(0, 2));
  }
  const message = error instanceof Error ? error.message : '';
  if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  // pg-pool wraps a failed connect in an AggregateError when several addresses were tried.
  return error instanceof AggregateError && error.errors.some(isUnavailable);
};

/**
 * What a driver error means: an unavailable database (retry later; 503 at the API), a refused row
 * (retry that row alone), or neither (a bug: surfaced as is).
 */
const classifyDatabaseError = (error: unknown): unknown => {
  const code = codeOf(error);
  if (code !== undefined && isSqlState(code) && ROW_REJECTED_CLASSES.has(code.slice(0, 2))) {
    return new RowRejectedError(describeRefusal(error, code), code, { cause: error });
  }
  if (isUnavailable(error)) {
    return new DependencyUnavailableError('database', 'The database is unavailable.', { cause: error });
  }
  return error;
};

/**
 * What every SQL store shares: one executor, and each statement's failure reaching the caller as what it
 * means, so every route and the subscriber see classified errors.
 */
abstract class ClassifiedSqlStore {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  protected async query<Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    try {
      return await this.#db.query<Row>(text, params);
    } catch (error) {
      throw classifyDatabaseError(error);
    }
  }
}

export { ClassifiedSqlStore, classifyDatabaseError };
