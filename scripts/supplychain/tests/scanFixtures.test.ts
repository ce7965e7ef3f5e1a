import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const MODEL = join('ecr', '2015-09-21', 'service-2.json');

/** botocore's data folder: Debian's awscli, AWS's CLI v2 bundle, or an importable botocore. */
const botocoreData = (): string | undefined => {
  const python = spawnSync(
    'python3',
    ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'],
    {
      encoding: 'utf8',
    },
  );
  const candidates = [
    '/usr/lib/python3/dist-packages/awscli/botocore/data',
    '/usr/local/aws-cli/v2/current/dist/awscli/botocore/data',
    ...(python.status === 0 ? [join(python.stdout.trim(), 'data')] : []),
  ];
  return candidates.find((dir) => existsSync(join(dir, MODEL)));
};

type Shape = {
  type: string;
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
};

/** Where `value` departs from `shapeName` in the model; the CLI prints timestamps as ISO strings. */
function mismatches(
  shapes: Record<string, Shape>,
  shapeName: string,
  value: unknown,
  path: string,
): string[] {
  const shape = shapes[shapeName];
  if (!shape) return [`${path}: unknown shape ${shapeName}`];
  if (value === null) return [];
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
      return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => {
        const member = shape.members?.[key];
        return member
          ? mismatches(shapes, member.shape, inner, `${path}.${key}`)
          : [`${path}.${key}: not in the model`];
      });
    }
    case 'list':
      return Array.isArray(value)
        ? value.flatMap((item, index) =>
            mismatches(shapes, shape.member?.shape ?? '', item, `${path}[${index}]`),
          )
        : [`${path}: expected a list`];
    case 'map':
      return typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => [
            ...mismatches(shapes, shape.key?.shape ?? '', key, `${path}{key}`),
            ...mismatches(shapes, shape.value?.shape ?? '', inner, `${path}.${key}`),
          ])
        : [`${path}: expected a map`];
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected a string`];
      return shape.enum && !shape.enum.includes(value)
        ? [`${path}: ${value} is not one of ${shape.enum.join(', ')}`]
        : [];
    case 'integer':
    case 'long':
      return Number.isInteger(value) ? [] : [`${path}: expected an integer`];
    case 'double':
    case 'float':
      return typeof value === 'number' ? [] : [`${path}: expected a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean`];
    case 'timestamp':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? []
        : [`${path}: expected an ISO timestamp`];
    default:
      return [`${path}: shape type ${shape.type} not checked`];
  }
}

const recorded = readdirSync(FIXTURES).filter(
  (file) => /^describe-image-scan-findings\.\w+\.json$/.test(file) && !file.includes('truncated'),
);
const data = botocoreData();
const missing = data === undefined && process.env.CI !== 'true';

describe('the recorded describe-image-scan-findings fixtures', () => {
  it('cover a clean scan, findings at HIGH and above, an unsupported image and enhanced scanning', () => {
    expect(recorded.sort()).toEqual([
      'describe-image-scan-findings.clean.json',
      'describe-image-scan-findings.enhanced.json',
      'describe-image-scan-findings.high.json',
      'describe-image-scan-findings.unsupported.json',
    ]);
  });

  // Needs botocore's ecr model (the awscli package); CI must have it.
  it.skipIf(missing).each(recorded)(
    '%s has exactly the shape of DescribeImageScanFindingsResponse',
    (file) => {
      if (data === undefined) throw new Error(`botocore's ${MODEL} not found (install awscli)`);
      const model = JSON.parse(readFileSync(join(data, MODEL), 'utf8')) as { shapes: Record<string, Shape> };
      const fixture: unknown = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));

      expect(mismatches(model.shapes, 'DescribeImageScanFindingsResponse', fixture, '$')).toEqual([]);
    },
  );

  it('finds the model where a shape error would show: a misspelt member is reported', () => {
    const shapes: Record<string, Shape> = {
      R: { type: 'structure', members: { imageScanStatus: { shape: 'S' } } },
      S: { type: 'structure', members: { status: { shape: 'T' } } },
      T: { type: 'string', enum: ['COMPLETE'] },
    };

    expect(mismatches(shapes, 'R', { imageScanStatus: { state: 'COMPLETE' } }, '$')).toEqual([
      '$.imageScanStatus.state: not in the model',
    ]);
    expect(mismatches(shapes, 'R', { imageScanStatus: { status: 'DONE' } }, '$')).toEqual([
      '$.imageScanStatus.status: DONE is not one of COMPLETE',
    ]);
  });
});

if (missing)
  console.warn("SKIPPED: the fixture shape checks need botocore's ecr model (apt-get install awscli)");
