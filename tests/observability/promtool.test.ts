import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWith } from '#tests/support/requirement.ts';
import { PROMETHEUS_DIR, RULES_DIR } from './support/paths.ts';
import { PromtoolMissingError, promtool, promtoolPath, runPromtool } from './support/promtool.ts';
import { ruleFiles, ruleTestFiles } from './support/rules.ts';

describeWith(promtool, 'promtool', () => {
  it('accepts every rule file', () => {
    const run = runPromtool(['check', 'rules', ...ruleFiles()]);

    expect(run.output).not.toMatch(/FAILED/);
    expect(run.code).toBe(0);
  });

  it.each(['prometheus.yml', 'fleet-example.yml'])(
    'accepts the scrape configuration %s and the rule files it loads',
    (config) => {
      const run = runPromtool(['check', 'config', config], PROMETHEUS_DIR);

      expect(run.code).toBe(0);
      expect(run.output).toMatch(/SUCCESS: \d+ rule files found/);
    },
  );

  it.each(ruleTestFiles().map((file) => [relative(PROMETHEUS_DIR, file), file]))(
    'passes the unit tests of %s',
    (_name, file) => {
      const run = runPromtool(['test', 'rules', file]);

      expect(run.output).toMatch(/SUCCESS/);
      expect(run.code).toBe(0);
    },
  );
});

describe('the promtool harness', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ingesta-promtool-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describeWith(promtool, 'with promtool', () => {
    it('fails when a rule test expects a page that the rules do not raise', () => {
      const wrong = join(dir, 'wrong.test.yml');
      writeFileSync(
        wrong,
        [
          'rule_files:',
          `  - ${join(RULES_DIR, 'dead-letters.yml')}`,
          'tests:',
          '  - interval: 1m',
          '    input_series:',
          `      - series: 'ingesta_queue_messages{queue="ingesta-users-dlq", state="visible"}'`,
          "        values: '0x5'",
          '    alert_rule_test:',
          '      - eval_time: 5m',
          '        alertname: DeadLettersPresent',
          '        exp_alerts:',
          '          - exp_labels: { severity: page, queue: ingesta-users-dlq }',
        ].join('\n'),
      );

      const run = runPromtool(['test', 'rules', wrong]);

      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(/FAILED/);
    });

    it('fails on a rule with invalid PromQL', () => {
      const broken = join(dir, 'broken.yml');
      writeFileSync(
        broken,
        'groups:\n  - name: broken\n    rules:\n      - record: x:y:z\n        expr: sum(rate(\n',
      );

      expect(runPromtool(['check', 'rules', broken]).code).not.toBe(0);
    });
  });

  it('names the missing binary and how to get it', () => {
    const saved = process.env.PROMTOOL;
    process.env.PROMTOOL = join(dir, 'no-such-promtool');
    try {
      expect(() => promtoolPath()).toThrow(PromtoolMissingError);
      expect(() => promtoolPath()).toThrow(/apt-get install prometheus/);
    } finally {
      if (saved === undefined) delete process.env.PROMTOOL;
      else process.env.PROMTOOL = saved;
    }
  });
});
