import { type ChildProcess, spawn } from 'node:child_process';

/** `npm start` running in its own process group, so a test can kill the whole tree as a crash would. */
interface NpmStart {
  child: ChildProcess;
  /** The API's base URL, read from the ready banner. */
  url: string;
  output(): string;
  /** Resolves with the exit code (or signal name) once the npm process has gone. */
  exited: Promise<number | string | null>;
}

/** Only what the local runtime needs; DATABASE_URL only when the caller passes it. */
const localEnv = (env: Record<string, string | undefined>): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  PORT: '0',
  LOCAL_AWS_PORT: '0',
  LOG_LEVEL: 'WARN',
  ...env,
});

/** Spawns the real `npm start` and resolves once it prints that it is ready. */
const npmStart = (env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<NpmStart> =>
  new Promise((resolve, reject) => {
    const child = spawn('npm', ['start', '--silent'], {
      env: localEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const exited = new Promise<number | string | null>((done) =>
      child.on('exit', (code, signal) => done(code ?? signal)),
    );
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`npm start was not ready within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /API \(Function URL\)\s+(http:\/\/\S+)/.exec(output)?.[1];
      if (url && output.includes('Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve({ child, url, output: () => output, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code} before it was ready:\n${output}`));
    });
  });

/** Signals every process of the group the child leads (npm and whatever it started). */
const killGroup = (child: ChildProcess, signal: NodeJS.Signals): void => {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
};

export type { NpmStart };
export { killGroup, localEnv, npmStart };
