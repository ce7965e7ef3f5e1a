/**
 * Cold-start anchor: the least a function on PostgreSQL can load. A pool from DATABASE_URL and one
 * query per call; bundled like ours (bench/coldStart.ts), so the difference is what Ingesta adds.
 */
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });

const handler = async (): Promise<{ statusCode: number }> => {
  const { rows } = await pool.query('SELECT 1 AS ok');
  return { statusCode: rows.length === 1 ? 200 : 500 };
};

export { handler };
