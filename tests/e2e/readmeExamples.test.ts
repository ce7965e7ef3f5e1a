import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../support/localStack.ts';
import { describeWith, requirement } from '../support/requirement.ts';
import { createSchema } from '../support/testDatabase.ts';

const run = promisify(execFile);
const CURL = '/usr/bin/curl';
/** The README's examples are curl commands, run as written. */
const curl = requirement(existsSync(CURL) ? undefined : `curl: install it at ${CURL} (apt-get install curl)`);

interface Example {
  command: string;
  status: number;
  body: RegExp;
}

/** Reads the curl examples between the README's markers: each command, then `# → <status> <body>`. */
const readmeExamples = (): Example[] => {
  const readme = readFileSync('README.md', 'utf8');
  const block = readme.split('<!-- curl-examples:start -->')[1]?.split('<!-- curl-examples:end -->')[0] ?? '';
  const lines = block.replace(/\\\n\s*/g, '').split('\n');
  const examples: Example[] = [];
  let command: string | undefined;
  for (const line of lines) {
    if (line.startsWith('curl ')) command = line;
    const expected = /^# → (\d{3}) (.*)$/.exec(line);
    if (expected && command) {
      const pattern = (expected[2] ?? '')
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/<uuid>/g, '[0-9a-f-]{36}')
        .replace(/…/g, '[^"]*');
      examples.push({ command, status: Number(expected[1]), body: new RegExp(`^${pattern}$`) });
      command = undefined;
    }
  }
  return examples;
};

/** Starts `npm start`'s entry point and resolves with its URL once it prints that it is ready. */
const startPipeline = (
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; output: () => string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/src/main.ts'], { env, stdio: 'pipe' });
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
    try {
      for (const example of examples) {
        const command = example.command.replaceAll('localhost:3000', first.url.replace('http://', ''));
        const { stdout } = await run('sh', ['-c', command], { env });
        const [body = '', status = ''] = [
          stdout.slice(0, stdout.lastIndexOf('\n')),
          stdout.slice(stdout.lastIndexOf('\n') + 1),
        ];
        expect({ command: example.command, status: Number(status) }).toEqual({
          command: example.command,
          status: example.status,
        });
        expect(body, example.command).toMatch(example.body);
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
    const error = await run(process.execPath, ['--import', 'tsx', 'local/src/main.ts'], {
      env: { ...env, PORT: 'eighty', LOCAL_BATCH_SIZE: '50' },
    }).catch((e: { stderr: string; code: number }) => e);
    expect((error as { code: number }).code).toBe(1);
    expect((error as { stderr: string }).stderr).toMatch(
      /Invalid configuration: PORT: PORT must be a whole number.*LOCAL_BATCH_WINDOW_MS/,
    );
  });
});
