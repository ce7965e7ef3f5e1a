import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateScan, formatScanSummary, type GateInput, ScanGateInputError } from '../scanGate.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const DIGEST = 'sha256:4f3c8a0b5e2d1c9f7a6b3e8d2c1f0a9b8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b';

/** A recorded `aws ecr describe-image-scan-findings` output (see fixtures/record.sh). */
const recorded = (name: string): unknown =>
  JSON.parse(readFileSync(join(FIXTURES, `describe-image-scan-findings.${name}.json`), 'utf8'));

const gate = (overrides: Partial<GateInput> = {}): GateInput => ({
  findings: recorded('clean'),
  exceptions: { exceptions: [] },
  threshold: 'HIGH',
  digest: DIGEST,
  functionKind: 'api',
  today: '2026-12-01',
  ...overrides,
});

const exception = (id: string, expires: string, fn?: 'api' | 'suscriptor') => ({
  id,
  reason: 'Not reachable from the handler; fixed in the next base image',
  expires,
  ...(fn ? { function: fn } : {}),
});

describe('the scan gate', () => {
  it('passes a complete scan whose findings are all below the threshold, and lists them', () => {
    const result = evaluateScan(gate());

    expect(result.passed).toBe(true);
    expect(result.below.map((f) => f.id)).toEqual(['CVE-2026-0003', 'CVE-2026-0004']);
    expect(formatScanSummary(result, gate())).toContain('| MEDIUM | [CVE-2026-0003]');
  });

  it('fails on findings at or above the threshold and names them with their packages', () => {
    const result = evaluateScan(gate({ findings: recorded('high') }));

    expect(result.passed).toBe(false);
    expect(result.blocking.map((f) => `${f.severity} ${f.id} ${f.packageName}`)).toEqual([
      'CRITICAL CVE-2026-0001 openssl-libs',
      'HIGH CVE-2026-0002 expat',
    ]);
    expect(result.reasons).toEqual(['2 finding(s) at HIGH or above without a live exception']);
  });

  it('moves with the threshold: CRITICAL lets the HIGH finding through, MEDIUM blocks one more', () => {
    expect(evaluateScan(gate({ findings: recorded('high'), threshold: 'CRITICAL' })).blocking).toHaveLength(
      1,
    );
    expect(evaluateScan(gate({ findings: recorded('high'), threshold: 'MEDIUM' })).blocking).toHaveLength(3);
  });

  it('honours a live exception for a blocking finding, and shows it as excepted', () => {
    const exceptions = {
      exceptions: [exception('CVE-2026-0001', '2026-12-31'), exception('CVE-2026-0002', '2026-12-01')],
    };

    const result = evaluateScan(gate({ findings: recorded('high'), exceptions }));

    expect(result.passed).toBe(true);
    expect(result.excepted.map((f) => f.id)).toEqual(['CVE-2026-0001', 'CVE-2026-0002']);
  });

  it('fails on an expired exception, even when the finding it covered is gone', () => {
    const exceptions = { exceptions: [exception('CVE-2026-0009', '2026-11-30')] };

    const result = evaluateScan(gate({ exceptions }));

    expect(result.passed).toBe(false);
    expect(result.reasons).toEqual([
      'exception CVE-2026-0009 expired on 2026-11-30: renew it with a reason, or fix the finding',
    ]);
  });

  it('applies an exception limited to the subscriber to the subscriber only', () => {
    const exceptions = {
      exceptions: [
        exception('CVE-2026-0001', '2027-01-31', 'suscriptor'),
        exception('CVE-2026-0002', '2027-01-31'),
      ],
    };

    expect(evaluateScan(gate({ findings: recorded('high'), exceptions })).blocking.map((f) => f.id)).toEqual([
      'CVE-2026-0001',
    ]);
    expect(
      evaluateScan(gate({ findings: recorded('high'), exceptions, functionKind: 'suscriptor' })).passed,
    ).toBe(true);
  });

  it('fails when the scan did not complete, with the reason ECR gave', () => {
    const result = evaluateScan(gate({ findings: recorded('unsupported') }));

    expect(result.passed).toBe(false);
    expect(result.reasons[0]).toMatch(/is UNSUPPORTED_IMAGE, not complete: UnsupportedImageError/);
  });

  it('reads enhanced (Inspector) findings, ignoring suppressed ones', () => {
    const result = evaluateScan(gate({ findings: recorded('enhanced') }));

    expect(result.blocking.map((f) => `${f.id} ${f.packageName} ${f.packageVersion}`)).toEqual([
      'CVE-2026-1001 example-lib 1.2.3',
    ]);
  });

  it('fails when the severity counts report more findings than the list holds', () => {
    const findings = recorded('high') as { imageScanFindings: { findings: unknown[] } };
    findings.imageScanFindings.findings = findings.imageScanFindings.findings.slice(1);

    const result = evaluateScan(gate({ findings }));

    expect(result.reasons).toContain(
      'findingSeverityCounts report 2 findings at HIGH or above, but only 1 are listed',
    );
  });

  it.each([
    [
      'findings for another digest',
      { findings: recorded('clean'), digest: `sha256:${'0'.repeat(64)}` },
      /not the deployed/,
    ],
    [
      'findings without a scan status',
      { findings: { repositoryName: 'x', imageId: { imageDigest: DIGEST } } },
      /imageScanStatus/,
    ],
    [
      'an exception without an expiry date',
      { exceptions: { exceptions: [{ id: 'CVE-1-2', reason: 'because it is fine' }] } },
      /expires/,
    ],
    [
      'an exception without a reason',
      { exceptions: { exceptions: [{ id: 'CVE-1-2', reason: '', expires: '2027-01-01' }] } },
      /say why/,
    ],
    ['an exceptions file that is a bare list', { exceptions: [] }, /exceptions file/],
  ])('refuses %s as input it cannot trust', (_case, overrides, message) => {
    expect(() => evaluateScan(gate(overrides as Partial<GateInput>))).toThrow(ScanGateInputError);
    expect(() => evaluateScan(gate(overrides as Partial<GateInput>))).toThrow(message);
  });
});
