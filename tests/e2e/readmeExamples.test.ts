import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openApiDocument } from '#api/openapi/document.ts';
import { eventually } from '../support/localStack.ts';
import { OpenApiContract } from '../support/openApiContract.ts';
import { describeWith, requirement } from '../support/requirement.ts';
import { createSchema } from '../support/testDatabase.ts';

const run = promisify(execFile);
const CURL = '/usr/bin/curl';
/** The README's examples are curl commands, run as written. */
const curl = requirement(existsSync(CURL) ? undefined : `curl: install it at ${CURL} (apt-get install curl)`);

interface Example {
  command: string;
  status: number;
  /** The expected body, in the README's notation (see `toPattern`). */
  body: string;
  /** Expected response headers (`#   name: value` lines under the answer), for commands run with -i. */
  headers: { name: string; value: string }[];
}

/**
 * The README's notation as a regex: `<uuid>` is a UUID, `…` any text inside quotes, and `<$name>` any
 * text inside quotes that must be the same wherever `name` recurs (bound by its first example).
 */
const toPattern = (text: string, bound: ReadonlyMap<string, string>): RegExp => {
  const quote = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const source = text
    .split(/(<uuid>|…|<\$[A-Za-z]+>)/)
    .map((part) => {
      if (part === '<uuid>') return '[0-9a-f-]{36}';
      if (part === '…') return '[^"]*';
      const name = /^<\$([A-Za-z]+)>$/.exec(part)?.[1];
      if (name === undefined) return quote(part);
      const value = bound.get(name);
      return value === undefined ? `(?<${name}>[^"]*)` : quote(value);
    })
    .join('');
  return new RegExp(`^${source}$`);
};

/** Reads the curl examples between the README's markers: each command, then `# → <status> <body>`. */
const readmeExamples = (): Example[] => {
  const readme = readFileSync('README.md', 'utf8');
  const block = readme.split('<!-- curl-examples:start -->')[1]?.split('<!-- curl-examples:end -->')[0] ?? '';
  const lines = block.replace(/\\\n\s*/g, '').split('\n');
  const examples: Example[] = [];
  let command: string | undefined;
  for (const line of lines) {
    if (line.startsWith('curl ')) command = line;
    const header = /^# {3}([a-z-]+): (.*)$/.exec(line);
    if (header) examples.at(-1)?.headers.push({ name: header[1] ?? '', value: header[2] ?? '' });
    const expected = /^# → (\d{3}) (.*)$/.exec(line);
    if (expected && command) {
      examples.push({ command, status: Number(expected[1]), body: expected[2] ?? '', headers: [] });
      command = undefined;
    }
  }
  return examples;
};

/** What a README curl printed: with -i, the header block comes first. */
const splitResponse = (stdout: string) => {
  const status = Number(stdout.slice(stdout.lastIndexOf('\n') + 1));
  const rest = stdout.slice(0, stdout.lastIndexOf('\n'));
  if (!rest.startsWith('HTTP/')) return { status, headers: undefined, body: rest };
  const end = rest.indexOf('\r\n\r\n');
  const headers = Object.fromEntries(
    rest
      .slice(0, end)
      .split('\r\n')
      .slice(1)
      .map((line) => [
        line.slice(0, line.indexOf(':')).toLowerCase(),
        line.slice(line.indexOf(':') + 1).trim(),
      ]),
  );
  return { status, headers, body: rest.slice(end + 4) };
};

/** The method and path a README curl sends. */
const requestOf = (command: string) => ({
  method: /-X ([A-Z]+)/.exec(command)?.[1] ?? (command.includes(' -d ') ? 'POST' : 'GET'),
  path: /localhost:3000(\/[^'?\s]*)/.exec(command)?.[1] ?? '/',
});

/** Starts what `npm start` runs (its launcher) and resolves with its URL once it prints that it is ready. */
const startPipeline = (
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; output: () => string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['local/launcher/start.mjs'], { env, stdio: 'pipe' });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /API \(Function URL\)\s+(http:\/\/\S+)/.exec(output)?.[1];
      if (url && output.includes('Ctrl-C to stop.')) resolve({ child, url, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });

const stop = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });

describeWith(curl, 'README examples against a real `npm start`', () => {
  let dir: string;
  let schema: Awaited<ReturnType<typeof createSchema>> | undefined;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ingesta-readme-'));
    const baseUrl = process.env.DATABASE_URL || undefined;
    schema = baseUrl ? await createSchema(baseUrl) : undefined;
    // A curl that also prints the status code, so the README commands run exactly as written.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'curl'), `#!/bin/sh\nexec ${CURL} -w '\\n%{http_code}' "$@"\n`);
    chmodSync(join(bin, 'curl'), 0o755);
    env = {
      PATH: `${bin}:${process.env.PATH}`,
      PORT: '0',
      LOCAL_AWS_PORT: '0',
      LOG_LEVEL: 'WARN',
      INGESTA_DATA_DIR: join(dir, 'data'),
      ...(schema && { DATABASE_URL: schema.url }),
    };
  });
  afterAll(async () => {
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every curl example answers what the README says, and the data survives a restart', async () => {
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThanOrEqual(6);

    const first = await startPipeline(env);
    const drained = () =>
      eventually(async () => {
        const queues = (await (await fetch(`${first.url}/_local/queues`)).json()) as {
          queue: { total: number };
        };
        return queues.queue.total === 0 ? true : undefined;
      });
    const contract = new OpenApiContract(openApiDocument());
    const bound = new Map<string, string>();
    try {
      for (const example of examples) {
        const command = example.command.replaceAll('localhost:3000', first.url.replace('http://', ''));
        const { stdout } = await run('sh', ['-c', command], { env });
        const { status, headers, body } = splitResponse(stdout);
        expect({ command: example.command, status }).toEqual({
          command: example.command,
          status: example.status,
        });
        const match = toPattern(example.body, bound).exec(body);
        expect(match, `${example.command}\n${body}`).not.toBeNull();
        for (const [name, value] of Object.entries(match?.groups ?? {})) bound.set(name, value);
        for (const { name, value } of example.headers) {
          expect(headers?.[name], `${example.command}: ${name}`).toMatch(toPattern(value, bound));
        }
        // The README's answers keep the OpenAPI document too (headers only where -i shows them).
        expect(
          contract.check({ ...requestOf(example.command), status, headers, body }),
          example.command,
        ).toEqual([]);
        if (example.command.includes('-X POST')) await drained();
      }
      const dlq = await run(process.execPath, ['--import', 'tsx', 'local/src/dlqCli.ts'], {
        env: { ...env, INGESTA_URL: first.url },
      });
      expect(dlq.stdout).toContain('The dead-letter queue is empty.');
    } finally {
      expect(await stop(first.child)).toBe(0);
    }
    expect(first.output()).toMatch(/Migrations applied\s+0001_create_users/);

    const second = await startPipeline(env);
    try {
      expect(second.output()).toMatch(/Migrations applied\s+none pending/);
      const page = (await (await fetch(`${second.url}/users`)).json()) as { items: { email: string }[] };
      expect(page.items.map((u) => u.email)).toEqual(['ada@example.com', 'grace@example.com']);
    } finally {
      expect(await stop(second.child)).toBe(0);
    }
  }, 120_000);

  it('refuses to start with a bad configuration, naming the variable', async () => {
    const error = await run(process.execPath, ['local/launcher/start.mjs'], {
      env: { ...env, PORT: 'eighty', LOCAL_BATCH_SIZE: '50' },
    }).catch((e: { stderr: string; code: number }) => e);
    expect((error as { code: number }).code).toBe(1);
    expect((error as { stderr: string }).stderr).toMatch(
      /Invalid configuration: PORT: PORT must be a whole number.*LOCAL_BATCH_WINDOW_MS/,
    );
  });
});
