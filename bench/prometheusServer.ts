/**
 * Debian's prometheus as a child process on loopback: a temporary config and TSDB, a readiness wait, and a stop that
 * always ends the process (SIGTERM, then SIGKILL) and removes the temporary directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's prometheus package installs it here; PROMETHEUS overrides. */
const prometheusPath = (): string | undefined => {
  const path = process.env.PROMETHEUS ?? '/usr/bin/prometheus';
  return existsSync(path) ? path : undefined;
};

interface PrometheusServer {
  readonly url: string;
  stop(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

const running = new Set<ChildProcess>();
// A bench that throws or is interrupted must not leave a prometheus behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts prometheus with `config` (YAML text) and waits until it is ready, at most `timeoutMs`. Its TSDB is a fresh
 * temporary directory, or `dataDir` (the caller's, left in place).
 */
async function startPrometheus(
  binary: string,
  config: string,
  timeoutMs = 30_000,
  dataDir?: string,
): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ingesta-fleet-prometheus-'));
  const configPath = join(dir, 'prometheus.yml');
  writeFileSync(configPath, config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${dataDir ?? join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  running.add(child);
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = `${log}${chunk.toString()}`.slice(-4_000);
  });
  const stop = async () => {
    await stopChild(child);
    running.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { url, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready at ${url}:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export type { PrometheusServer };
export { prometheusPath, startPrometheus };
