import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, RUNBOOKS_DIR } from './support/paths.ts';
import { alertRules, loadRules } from './support/rules.ts';

const alerts = alertRules(loadRules());
const runbookUrls = new Set(alerts.map((alert) => alert.annotations?.runbook_url ?? ''));
const runbooks = readdirSync(RUNBOOKS_DIR)
  .filter((name) => name.endsWith('.md'))
  .map((name) => `observability/runbooks/${name}`);

const SECTIONS = ['## What it means', '## Impact', '## Confirm', '## Mitigate', '## Escalate'];

describe('runbooks', () => {
  it.each([...runbookUrls])('%s, named by an alert, exists', (url) => {
    expect(existsSync(join(REPO_ROOT, url))).toBe(true);
  });

  it('are each named by an alert', () => {
    expect(runbooks.filter((runbook) => !runbookUrls.has(runbook))).toEqual([]);
  });

  it.each(alerts.map((alert) => [alert.alert, alert.annotations?.runbook_url ?? '']))(
    '%s has a runbook titled with its name',
    (name, url) => {
      const text = readFileSync(join(REPO_ROOT, url), 'utf8');

      expect(text.split('\n')[0]).toBe(`# ${name}`);
    },
  );

  it.each(runbooks)('%s says what it means, the impact, how to confirm, mitigate and escalate', (runbook) => {
    const text = readFileSync(join(REPO_ROOT, runbook), 'utf8');

    expect(SECTIONS.filter((section) => !text.includes(`\n${section}\n`))).toEqual([]);
  });
});
