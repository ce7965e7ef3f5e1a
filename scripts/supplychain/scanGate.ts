/**
 * The deploy's scan gate: reads `aws ecr describe-image-scan-findings` output for one digest and the committed
 * exceptions file, and decides whether the image may ship. Fails on any finding at or above the threshold that
 * no live exception covers, on an expired exception, and on a scan that is not complete.
 */
import { z } from 'zod';

/** ECR's FindingSeverity, lowest first. UNDEFINED (no severity assigned) is listed but never blocks. */
const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
type Severity = (typeof SEVERITIES)[number];

/** Scan states whose findings can be read: basic scanning ends COMPLETE, enhanced scanning stays ACTIVE. */
const READABLE_STATES = ['COMPLETE', 'ACTIVE'] as const;

// The CLI prints timestamps as ISO strings (v2) or epoch seconds (v1); neither is read here.
const timestamp = z.union([z.string(), z.number()]);
const attributeSchema = z.object({ key: z.string(), value: z.string().optional() });

/** ImageScanFinding (basic scanning), as botocore's ecr model shapes it. */
const basicFindingSchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  uri: z.string().optional(),
  severity: z.string().optional(),
  attributes: z.array(attributeSchema).optional(),
});

/** EnhancedImageScanFinding (Amazon Inspector), the fields the gate reads. */
const enhancedFindingSchema = z.object({
  severity: z.string().optional(),
  status: z.string().optional(),
  title: z.string().optional(),
  packageVulnerabilityDetails: z
    .object({
      vulnerabilityId: z.string().optional(),
      sourceUrl: z.string().optional(),
      vulnerablePackages: z
        .array(z.object({ name: z.string().optional(), version: z.string().optional() }))
        .optional(),
    })
    .optional(),
});

/** DescribeImageScanFindingsResponse: what `aws ecr describe-image-scan-findings --output json` prints. */
const scanFindingsSchema = z.object({
  registryId: z.string().optional(),
  repositoryName: z.string(),
  imageId: z.object({ imageDigest: z.string(), imageTag: z.string().optional() }),
  imageScanStatus: z.object({ status: z.string(), description: z.string().optional() }),
  imageScanFindings: z
    .object({
      imageScanCompletedAt: timestamp.optional(),
      vulnerabilitySourceUpdatedAt: timestamp.optional(),
      findingSeverityCounts: z.record(z.string(), z.number().int().nonnegative()).optional(),
      findings: z.array(basicFindingSchema).optional(),
      enhancedFindings: z.array(enhancedFindingSchema).optional(),
    })
    // The CLI prints null here when the scan has no findings to report (e.g. UNSUPPORTED_IMAGE).
    .nullish(),
  nextToken: z.string().nullish(),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** One committed exception: a finding id, why it is accepted, and until when. */
const exceptionSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]+$/, 'expected a finding id such as CVE-2024-12345'),
  reason: z.string().trim().min(10, 'say why the finding is accepted'),
  expires: isoDate,
  /** Limits the exception to one function (api or suscriptor); both when absent. */
  function: z.enum(['api', 'suscriptor']).optional(),
});
const exceptionsFileSchema = z.object({ exceptions: z.array(exceptionSchema) }).loose();

type ScanFindings = z.infer<typeof scanFindingsSchema>;
type ScanException = z.infer<typeof exceptionSchema>;

interface Finding {
  readonly id: string;
  readonly severity: string;
  readonly packageName: string | undefined;
  readonly packageVersion: string | undefined;
  readonly url: string | undefined;
}

interface GateInput {
  readonly findings: unknown;
  readonly exceptions: unknown;
  readonly threshold: Severity;
  readonly digest: string;
  /** api or suscriptor, for exceptions limited to one function. */
  readonly functionKind: 'api' | 'suscriptor';
  /** Today (UTC), YYYY-MM-DD; an exception expiring today still holds. */
  readonly today: string;
}

interface GateResult {
  readonly passed: boolean;
  /** Why it failed, one line each; empty when it passed. */
  readonly reasons: readonly string[];
  readonly blocking: readonly Finding[];
  readonly excepted: readonly Finding[];
  readonly below: readonly Finding[];
  readonly status: string | undefined;
}

class ScanGateInputError extends Error {
  override readonly name = 'ScanGateInputError';
  readonly source: string;

  constructor(source: string, message: string, options?: ErrorOptions) {
    super(`${source}: ${message}`, options);
    this.source = source;
  }
}

const rank = (severity: string): number => SEVERITIES.indexOf(severity as Severity);

const attribute = (finding: z.infer<typeof basicFindingSchema>, key: string): string | undefined =>
  finding.attributes?.find((entry) => entry.key === key)?.value;

/** Basic and (active) enhanced findings in one list. */
function findingsOf(scan: ScanFindings): Finding[] {
  const basic = (scan.imageScanFindings?.findings ?? []).map((finding) => ({
    id: finding.name ?? '(unnamed)',
    severity: finding.severity ?? 'UNDEFINED',
    packageName: attribute(finding, 'package_name'),
    packageVersion: attribute(finding, 'package_version'),
    url: finding.uri,
  }));
  const enhanced = (scan.imageScanFindings?.enhancedFindings ?? [])
    .filter((finding) => finding.status === undefined || finding.status === 'ACTIVE')
    .map((finding) => {
      const details = finding.packageVulnerabilityDetails;
      const first = details?.vulnerablePackages?.[0];
      return {
        id: details?.vulnerabilityId ?? finding.title ?? '(unnamed)',
        severity: finding.severity ?? 'UNDEFINED',
        packageName: first?.name,
        packageVersion: first?.version,
        url: details?.sourceUrl,
      };
    });
  return [...basic, ...enhanced];
}

const issuesOf = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');

function parseFindings(raw: unknown): ScanFindings {
  const parsed = scanFindingsSchema.safeParse(raw);
  if (!parsed.success) throw new ScanGateInputError('scan findings', issuesOf(parsed.error));
  return parsed.data;
}

function parseExceptions(raw: unknown): ScanException[] {
  const parsed = exceptionsFileSchema.safeParse(raw);
  if (!parsed.success) throw new ScanGateInputError('exceptions file', issuesOf(parsed.error));
  return parsed.data.exceptions;
}

/** Decides whether the scanned image may ship. Throws ScanGateInputError on input it cannot trust. */
function evaluateScan(input: GateInput): GateResult {
  const scan = parseFindings(input.findings);
  const exceptions = parseExceptions(input.exceptions);
  const reasons: string[] = [];
  const status = scan.imageScanStatus.status;

  if (scan.imageId.imageDigest !== input.digest) {
    throw new ScanGateInputError(
      'scan findings',
      `they are for ${scan.imageId.imageDigest}, not the deployed ${input.digest}`,
    );
  }
  if (scan.nextToken !== undefined && scan.nextToken !== null) {
    throw new ScanGateInputError('scan findings', 'only one page of findings (nextToken is set)');
  }
  if (!(READABLE_STATES as readonly string[]).includes(status)) {
    const why = scan.imageScanStatus.description ? `: ${scan.imageScanStatus.description}` : '';
    reasons.push(`the scan of ${input.digest} is ${status}, not complete${why}`);
  }

  const applicable = exceptions.filter((e) => e.function === undefined || e.function === input.functionKind);
  for (const exception of applicable.filter((e) => e.expires < input.today)) {
    reasons.push(
      `exception ${exception.id} expired on ${exception.expires}: renew it with a reason, or fix the finding`,
    );
  }
  const live = new Set(applicable.filter((e) => e.expires >= input.today).map((e) => e.id));

  const findings = findingsOf(scan);
  const atOrAbove = (finding: Finding): boolean => rank(finding.severity) >= rank(input.threshold);
  const blocking = findings.filter((f) => atOrAbove(f) && !live.has(f.id));
  const excepted = findings.filter((f) => atOrAbove(f) && live.has(f.id));
  const below = findings.filter((f) => !atOrAbove(f));

  // The counts cover every finding; a list shorter than them means findings were left out.
  const counted = Object.entries(scan.imageScanFindings?.findingSeverityCounts ?? {})
    .filter(([severity]) => rank(severity) >= rank(input.threshold))
    .reduce((sum, [, count]) => sum + count, 0);
  const listed = blocking.length + excepted.length;
  if (counted > listed) {
    reasons.push(
      `findingSeverityCounts report ${counted} findings at ${input.threshold} or above, but only ${listed} are listed`,
    );
  }
  if (blocking.length > 0) {
    reasons.push(`${blocking.length} finding(s) at ${input.threshold} or above without a live exception`);
  }
  return { passed: reasons.length === 0, reasons, blocking, excepted, below, status };
}

const row = (finding: Finding): string => {
  const pkg = finding.packageName
    ? `${finding.packageName}${finding.packageVersion ? ` ${finding.packageVersion}` : ''}`
    : '';
  const id = finding.url ? `[${finding.id}](${finding.url})` : finding.id;
  return `| ${finding.severity} | ${id} | ${pkg.replaceAll('|', '\\|')} |`;
};

const table = (findings: readonly Finding[]): string[] =>
  findings.length === 0
    ? ['None.']
    : [
        '| Severity | Finding | Package |',
        '| --- | --- | --- |',
        ...[...findings].sort((a, b) => rank(b.severity) - rank(a.severity)).map(row),
      ];

/** The gate's verdict as Markdown, for the job summary. */
function formatScanSummary(result: GateResult, input: Pick<GateInput, 'digest' | 'threshold'>): string {
  return [
    `### Scan gate: ${result.passed ? 'passed' : 'FAILED'}`,
    '',
    `Image \`${input.digest}\`, scan ${result.status ?? 'unknown'}, threshold ${input.threshold}.`,
    ...(result.reasons.length > 0 ? ['', ...result.reasons.map((reason) => `- ${reason}`)] : []),
    '',
    `#### At or above ${input.threshold}, blocking`,
    ...table(result.blocking),
    '',
    '#### Covered by an exception (.github/scan-exceptions.json)',
    ...table(result.excepted),
    '',
    `#### Below ${input.threshold}`,
    ...table(result.below),
  ].join('\n');
}

export type { Finding, GateInput, GateResult, ScanException, Severity };
export { evaluateScan, formatScanSummary, ScanGateInputError, SEVERITIES };
