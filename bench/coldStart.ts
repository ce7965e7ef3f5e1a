/**
 * Cold start: a fresh Node process that imports a bundle and handles one event, against `node -e 0`,
 * run alternately so both see the same machine state. Also reports bundle sizes.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { IAM_COLD_START_ENV } from '#tests/support/iamEnvironment.ts';
import { record } from './report.ts';
import { fmt, median } from './stats.ts';

const run = promisify(execFile);

const functionUrlEvent = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/users/abc',
  rawQueryString: '',
  headers: {},
  requestContext: {
    accountId: '1',
    apiId: 'a',
    domainName: 'a.lambda-url.us-east-1.on.aws',
    domainPrefix: 'a',
    http: {
      method: 'GET',
      path: '/users/abc',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'bench',
    },
    requestId: 'r',
    routeKey: '$default',
    stage: '$default',
    time: 't',
    timeEpoch: 1,
  },
  isBase64Encoded: false,
};

const sqsPoison = {
  Records: [
    {
      messageId: 'm1',
      receiptHandle: 'r',
      body: 'not json',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1',
        SenderId: 's',
        ApproximateFirstReceiveTimestamp: '1',
      },
      messageAttributes: {},
      md5OfBody: 'x',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:1:q',
      awsRegion: 'us-east-1',
    },
  ],
};

const wall = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const start = performance.now();
  await run(process.execPath, args, { env });
  return performance.now() - start;
};

/** What a function reads at cold start: a database URL, or IAM authentication as in AWS (signed locally). */
const CONFIGS = {
  url: { DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' },
  iam: IAM_COLD_START_ENV,
} as const;

const DB_USERS = { api: 'ingesta_api', suscriptor: 'ingesta_subscriber' } as const;

const coldStart = async (distDir: string, runs: number): Promise<void> => {
  // A clean environment, as Lambda's: nothing inherited (NODE_EXTRA_CA_CERTS alone doubles `node -e 0`).
  const base = {
    PATH: process.env.PATH,
    LOG_LEVEL: 'SILENT',
    TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:t',
    NODE_NO_WARNINGS: '1',
  };
  for (const [fn, event] of [
    ['api', functionUrlEvent],
    ['suscriptor', sqsPoison],
  ] as const) {
    const bundle = resolve(join(distDir, fn, 'index.mjs'));
    const script = `const m = await import(${JSON.stringify(bundle)});
      await m.handler(${JSON.stringify(event)}, { awsRequestId: 'b', getRemainingTimeInMillis: () => 30000 });`;
    for (const [config, variables] of Object.entries(CONFIGS)) {
      const env = { ...base, ...variables, ...(config === 'iam' && { DB_USER: DB_USERS[fn] }) };
      const ours: number[] = [];
      const anchor: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        anchor.push(await wall(['-e', '0'], env));
        ours.push(await wall(['--input-type=module', '-e', script], env));
      }
      const o = median(ours);
      const a = median(anchor);
      record({
        suite: 'cold start',
        measure: `${fn} (${config === 'iam' ? 'DB_IAM_AUTH' : 'DATABASE_URL'}): import bundle + first call (median of ${runs})`,
        ours: `${fmt(o, 0)} ms`,
        anchor: `node -e 0: ${fmt(a, 0)} ms`,
        ratio: `${fmt(o / a)}× (anchors: pg only 1.56×, pg+SNS 2.29×)`,
      });
    }
    const kb = statSync(bundle).size / 1024;
    record({
      suite: 'bundle',
      measure: `${fn}: dist/${fn}/index.mjs`,
      ours: `${fmt(kb, 0)} KB`,
      anchor: 'pg only 87 KB; pg + client-sns 552 KB',
      ratio: `${fmt(kb / 552)}× of pg+SNS`,
    });
  }
};

export { coldStart };
