import { describe, expect, it } from 'vitest';
import { formatReport, formatReportMarkdown, type SmokeReport } from '../smokeReport.ts';

const report: SmokeReport = {
  target: 'ingesta-api:4',
  passed: false,
  outcomes: [
    { name: 'GET /health → 200 ok', passed: true, detail: 'database=ok version=abc', durationMs: 12.4 },
    {
      name: 'POST /users (invalid) → 400',
      passed: false,
      detail: 'HTTP 500, expected 400',
      durationMs: 30,
      invocation: { statusCode: 200, payload: { statusCode: 500, body: '{"title":"oops|x"}' } },
    },
  ],
};

describe('formatReport', () => {
  it('prints a table of every check, the verdict, and the failing check with its payload', () => {
    const text = formatReport(report);

    const lines = text.split('\n');
    expect(lines[0]).toBe('Smoke checks against ingesta-api:4');
    expect(lines[1]).toMatch(/^#\s+Check\s+Result\s+Time\s+Detail$/);
    expect(lines[2]).toMatch(/^1\s+GET \/health → 200 ok\s+PASS\s+12 ms\s+database=ok version=abc$/);
    expect(lines[3]).toMatch(/^2\s+POST \/users \(invalid\) → 400\s+FAIL\s+30 ms\s+HTTP 500, expected 400$/);
    expect(text).toContain('1 of 2 checks FAILED.');
    expect(text).toContain('FAILED: POST /users (invalid) → 400: HTTP 500, expected 400');
    expect(text).toContain('"statusCode": 500');
  });

  it('renders Markdown for the job summary with pipes escaped', () => {
    const markdown = formatReportMarkdown({
      ...report,
      outcomes: [{ ...report.outcomes[0], detail: 'a|b' } as never],
    });

    expect(markdown).toContain('| 1 | GET /health → 200 ok | PASS | 12 ms | a\\|b |');
  });
});
