/**
 * What `npm audit --omit=dev --audit-level=high --json` said: a report (clean, or with findings at high or
 * above), the advisory service out of reach, or a failure of another kind. Read from its stdout and exit code.
 */
import { z } from 'zod';

const AUDIT_LEVELS = ['info', 'low', 'moderate', 'high', 'critical'] as const;
type AuditLevel = (typeof AUDIT_LEVELS)[number];

/** An advisory as npm's report nests it under `via` (a string there names another vulnerable package). */
const advisorySchema = z.object({
  source: z.number().optional(),
  name: z.string(),
  title: z.string(),
  url: z.string().optional(),
  severity: z.enum(AUDIT_LEVELS),
  range: z.string().optional(),
});
const reportSchema = z.object({
  auditReportVersion: z.literal(2),
  vulnerabilities: z.record(
    z.string(),
    z.object({
      name: z.string(),
      severity: z.enum(AUDIT_LEVELS),
      via: z.array(z.union([z.string(), advisorySchema])),
      fixAvailable: z.unknown().optional(),
    }),
  ),
  metadata: z.object({
    vulnerabilities: z.record(z.string(), z.number()),
    dependencies: z.record(z.string(), z.number()).optional(),
  }),
});
/** npm's JSON error: `{ error: { code, summary } }`, or the fetch error itself (`message`, `statusCode`). */
const errorSchema = z.object({
  message: z.string().optional(),
  statusCode: z.number().optional(),
  code: z.string().optional(),
  error: z
    .object({ code: z.string().nullish(), summary: z.string().nullish(), detail: z.string().nullish() })
    .optional(),
});

/** Errors that mean the advisory service could not be asked, not that the audit found something. */
const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_SOCKET_TIMEOUT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

interface AuditFinding {
  readonly name: string;
  readonly severity: AuditLevel;
  readonly title: string;
  readonly url: string | undefined;
  readonly range: string | undefined;
}

type AuditOutcome =
  | { readonly kind: 'clean'; readonly dependencies: number | undefined; readonly below: number }
  | { readonly kind: 'findings'; readonly findings: readonly AuditFinding[] }
  | { readonly kind: 'unreachable'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

const atOrAbove = (severity: AuditLevel, level: AuditLevel): boolean =>
  AUDIT_LEVELS.indexOf(severity) >= AUDIT_LEVELS.indexOf(level);

function parseJson(stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

/** Reads one run of `npm audit --json`: its stdout, stderr and exit code. */
function interpretAudit(
  run: { stdout: string; stderr: string; status: number | null },
  level: AuditLevel = 'high',
): AuditOutcome {
  const json = parseJson(run.stdout);
  const report = reportSchema.safeParse(json);
  if (report.success) {
    const findings: AuditFinding[] = [];
    for (const vulnerability of Object.values(report.data.vulnerabilities)) {
      for (const via of vulnerability.via) {
        if (typeof via === 'string' || !atOrAbove(via.severity, level)) continue;
        findings.push({
          name: via.name,
          severity: via.severity,
          title: via.title,
          url: via.url,
          range: via.range,
        });
      }
    }
    const unique = [...new Map(findings.map((f) => [`${f.name} ${f.url ?? f.title}`, f])).values()];
    if (unique.length > 0) return { kind: 'findings', findings: unique };
    // npm's own verdict must agree: a non-zero exit with nothing to show is not a pass.
    if (run.status !== 0)
      return { kind: 'failed', reason: `npm audit exited ${run.status} with a report of no findings` };
    const counts = report.data.metadata.vulnerabilities;
    const below = Object.entries(counts)
      .filter(([severity]) => severity !== 'total')
      .reduce((sum, [, count]) => sum + count, 0);
    return { kind: 'clean', dependencies: report.data.metadata.dependencies?.prod, below };
  }
  const error = errorSchema.safeParse(json);
  const fromJson = error.success
    ? [error.data.message, error.data.error?.summary].filter(Boolean).join(' ')
    : '';
  const text = (fromJson || run.stderr).trim();
  const code = error.success ? (error.data.error?.code ?? error.data.code) : undefined;
  const unreachable =
    (error.success && error.data.statusCode !== undefined) ||
    (code !== undefined && code !== null && NETWORK_CODES.has(code)) ||
    /audit endpoint returned an error|network|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/i.test(text);
  const reason = text.split('\n').find((line) => line.trim() !== '') ?? `npm audit exited ${run.status}`;
  return unreachable ? { kind: 'unreachable', reason } : { kind: 'failed', reason };
}

export type { AuditFinding, AuditLevel, AuditOutcome };
export { AUDIT_LEVELS, interpretAudit };
