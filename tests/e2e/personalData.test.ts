import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { userEventAttributes } from '#shared/domain/userEvent.ts';
import { eventually, type RunningStack, startLocalStack } from '../support/localStack.ts';

const run = promisify(execFile);
const MAX_RECEIVES = 2;

/** Every line written to stdout, stderr or the console while the stack runs. */
const captureOutput = () => {
  const lines: string[] = [];
  const keep = (chunk: unknown): true => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(keep),
    vi.spyOn(process.stderr, 'write').mockImplementation(keep),
    ...(['log', 'info', 'warn', 'error'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        keep(args.map(String).join(' '));
      }),
    ),
  ];
  const restore = () => {
    for (const spy of spies) spy.mockRestore();
  };
  return { lines, restore };
};

/** Log lines at INFO and above: every Powertools JSON line (DEBUG excluded) and every plain console line. */
const atInfoAndAbove = (lines: readonly string[]): string[] =>
  lines
    .flatMap((l) => l.split('\n'))
    .filter((line) => {
      if (line.trim() === '') return false;
      try {
        const parsed = JSON.parse(line) as { level?: unknown };
        return parsed.level !== 'DEBUG';
      } catch {
        return true;
      }
    });

/**
 * The full flow at logLevel INFO, through every path that handles a user, with all output captured:
 * no email or name that was posted may appear in a log line, an error message or an operator view.
 */
describe('personal data stays out of logs and operator views', () => {
  let stack: RunningStack;
  let output: ReturnType<typeof captureOutput>;
  const tag = randomUUID().slice(0, 8);
  const user = (label: string) => ({ name: `Name ${label} ${tag}`, email: `${label}.${tag}@example.com` });
  const valid = user('valid');
  const duplicate = user('duplicate');
  const refused = user('refused');
  const replayed = user('replayed');
  const conflicting = user('conflicting');
  const poison = user('poison');
  const invalid = { name: `Name invalid ${tag}`, email: `invalid.${tag}@` };
  const posted = [valid, duplicate, refused, replayed, conflicting, poison, invalid];

  const post = (body: unknown, key?: string) =>
    fetch(`${stack.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key !== undefined && { 'idempotency-key': key }) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    output = captureOutput();
    stack = await startLocalStack({
      logLevel: 'INFO',
      visibilityTimeoutMs: 50,
      maxReceiveCount: MAX_RECEIVES,
    });
    // A database that refuses one row with a message quoting the value, as PostgreSQL's own
    // messages do for some refusals (`invalid input syntax for type …: "<value>"`).
    await stack.pipeline.db.exec(`
      CREATE FUNCTION refuse_marked_rows() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.email LIKE 'refused.%' THEN
          RAISE EXCEPTION USING ERRCODE = '23514', MESSAGE = format('row refused: %s (%s)', NEW.email, NEW.name);
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_marked_rows BEFORE INSERT OR UPDATE ON users
        FOR EACH ROW EXECUTE FUNCTION refuse_marked_rows();`);
  });
  afterAll(async () => {
    output.restore();
    await stack.stop();
  });

  it('drives every path that handles a user, and no posted email or name is in any line at INFO and above', async () => {
    expect((await post(valid)).status).toBe(202);
    expect((await post(duplicate)).status).toBe(202);
    expect((await post(duplicate)).status).toBe(202);
    expect((await post(invalid)).status).toBe(400);
    expect((await post(refused)).status).toBe(202);
    const key = randomUUID();
    expect((await post(replayed, key)).status).toBe(202);
    expect((await post(replayed, key)).headers.get('idempotent-replayed')).toBe('true');
    expect((await post(conflicting, key)).status).toBe(422);
    // A poison message: not JSON, straight onto the topic.
    await stack.pipeline.topic.publish(
      `{"eventId":"poison-${tag}","user":{"name":"${poison.name}","email":"${poison.email}"`,
      userEventAttributes(),
    );

    await eventually(async () => ((await stack.pipeline.dlq.stats()).total === 2 ? true : undefined));
    const list = (await (await fetch(`${stack.url}/users`)).json()) as { items: { id: string }[] };
    expect(list.items).toHaveLength(3);
    for (const { id } of list.items) expect((await fetch(`${stack.url}/users/${id}`)).status).toBe(200);

    const dlqView = await (await fetch(`${stack.url}/_local/dlq`)).text();
    const dlqCli = await run(process.execPath, ['--import', 'tsx', 'local/src/dlqCli.ts'], {
      env: { ...process.env, INGESTA_URL: stack.url },
    });

    const lines = atInfoAndAbove(output.lines);
    // The capture works: the request log and the failures were seen.
    expect(lines.some((l) => l.includes('"message":"Request"'))).toBe(true);
    expect(lines.some((l) => l.includes('Record failed'))).toBe(true);
    const seen = { logs: lines, '/_local/dlq': [dlqView], 'npm run dlq': [dlqCli.stdout, dlqCli.stderr] };
    const leaks = Object.entries(seen).flatMap(([where, texts]) =>
      texts.flatMap((text) =>
        posted
          .flatMap((u) => [u.email, u.name])
          .filter((value) => text.toLowerCase().includes(value.toLowerCase()))
          .map((value) => `${where}: ${value} in ${text.slice(0, 300)}`),
      ),
    );
    expect(leaks).toEqual([]);
  });

  it('lists dead letters without their bodies by default: size, id, receive count and a redacted last error', async () => {
    const { items } = (await (await fetch(`${stack.url}/_local/dlq`)).json()) as {
      items: Record<string, unknown>[];
    };
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item).not.toHaveProperty('message');
      expect(item).toMatchObject({ receiveCount: MAX_RECEIVES, messageBytes: expect.any(Number) });
    }
    expect(items.map((i) => i.lastError)).toContain(
      'Database write failed: The database refused the row (SQLSTATE 23514).',
    );
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'local/src/dlqCli.ts'], {
      env: { ...process.env, INGESTA_URL: stack.url },
    });
    expect(stdout).toMatch(/message: {4}\(\d+ bytes; --show-bodies to print it\)/);
  });

  it('shows dead-letter bodies when asked: ?showBodies=true and npm run dlq -- --show-bodies', async () => {
    const view = await (await fetch(`${stack.url}/_local/dlq?showBodies=true`)).text();
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'local/src/dlqCli.ts', '--show-bodies'],
      {
        env: { ...process.env, INGESTA_URL: stack.url },
      },
    );
    for (const shown of [view, stdout]) {
      expect(shown).toContain(poison.email);
      expect(shown).toContain(refused.email);
    }
  });
});
