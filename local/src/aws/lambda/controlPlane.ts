import { z } from 'zod';
import type { AwsRequest, AwsResponse } from '../awsService.ts';
import {
  ACCOUNT_ID,
  type AliasRecord,
  type FunctionRecord,
  type FunctionRegistry,
  functionArn,
  LATEST,
  type VersionRecord,
} from './functionRegistry.ts';
import { InvalidParameterValueError, InvalidRequestContentError } from './lambdaErrors.ts';

/** A FunctionConfiguration as Lambda returns it for an image function that is ready. */
const configuration = (
  fn: FunctionRecord,
  version: VersionRecord,
  region: string,
  arnQualifier?: string,
) => ({
  FunctionName: fn.name,
  FunctionArn: functionArn(region, fn.name, arnQualifier),
  Role: `arn:aws:iam::${ACCOUNT_ID}:role/${fn.name}`,
  CodeSize: 0,
  Description: version.description,
  Timeout: fn.timeoutSeconds,
  MemorySize: fn.memorySize,
  LastModified: version.lastModified,
  CodeSha256: version.codeSha256,
  Version: version.version,
  TracingConfig: { Mode: 'PassThrough' },
  RevisionId: version.revisionId,
  PackageType: 'Image',
  Architectures: ['x86_64'],
  EphemeralStorage: { Size: 512 },
  State: 'Active',
  LastUpdateStatus: 'Successful',
  LoggingConfig: { LogFormat: 'JSON', LogGroup: `/aws/lambda/${fn.name}` },
});

const aliasConfiguration = (fn: FunctionRecord, alias: AliasRecord, region: string) => ({
  AliasArn: functionArn(region, fn.name, alias.name),
  Name: alias.name,
  FunctionVersion: alias.functionVersion,
  Description: alias.description,
  ...(Object.keys(alias.additionalVersionWeights).length > 0 && {
    RoutingConfig: { AdditionalVersionWeights: alias.additionalVersionWeights },
  }),
  RevisionId: alias.revisionId,
});

const json = (status: number, body: unknown): AwsResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Reads a JSON body against its schema; an empty body is `{}`, as the SDKs send for no members. */
const readBody = <T>(request: AwsRequest, schema: z.ZodType<T>): T => {
  let value: unknown = {};
  if (request.body.length > 0) {
    try {
      value = JSON.parse(request.body.toString('utf8'));
    } catch {
      throw new InvalidRequestContentError('Could not parse request body into json.');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
    throw new InvalidParameterValueError(`Invalid request: ${issues.join('; ')}`);
  }
  return parsed.data;
};

const weightsSchema = z
  .object({ AdditionalVersionWeights: z.record(z.string(), z.number()).optional() })
  .optional();

const UpdateFunctionCodeBody = z.object({
  ImageUri: z.string().min(1).max(2048).optional(),
  ZipFile: z.string().optional(),
  S3Bucket: z.string().optional(),
  Publish: z.boolean().optional(),
  DryRun: z.boolean().optional(),
  RevisionId: z.string().optional(),
  Architectures: z
    .array(z.enum(['x86_64', 'arm64']))
    .max(1)
    .optional(),
});

const PublishVersionBody = z.object({
  CodeSha256: z.string().optional(),
  Description: z.string().max(256).optional(),
  RevisionId: z.string().optional(),
});

const CreateAliasBody = z.object({
  Name: z.string().min(1).max(128),
  FunctionVersion: z.string().min(1).max(1024),
  Description: z.string().max(256).optional(),
  RoutingConfig: weightsSchema,
});

const UpdateAliasBody = z.object({
  FunctionVersion: z.string().min(1).max(1024).optional(),
  Description: z.string().max(256).optional(),
  RoutingConfig: weightsSchema,
  RevisionId: z.string().optional(),
});

/** `repo:tag` or `repo@sha256:…` → `repo@sha256:<CodeSha256>`, as GetFunction reports the resolved image. */
const resolvedImageUri = (version: VersionRecord): string =>
  `${version.imageUri.replace(/@sha256:[a-f0-9]{64}$/, '').replace(/:[\w.-]+$/, '')}@sha256:${version.codeSha256}`;

const qualifierOf = (request: AwsRequest): string | undefined => {
  const qualifier = request.query.get('Qualifier') ?? undefined;
  if (qualifier !== undefined && !/^(\$LATEST|[a-zA-Z0-9_-]{1,128})$/.test(qualifier)) {
    throw new InvalidParameterValueError(`Invalid qualifier: ${qualifier.slice(0, 128)}`);
  }
  return qualifier;
};

const positiveInteger = (value: string | null, name: string, max: number): number | undefined => {
  if (value === null) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new InvalidParameterValueError(`${name} must be an integer from 1 to ${max}.`);
  }
  return n;
};

/**
 * The control-plane calls `npm run deploy` makes (and the CLI's read-only companions), over the registry.
 * Each answers as the model says: the status code, the output members, the model's errors.
 */
const controlPlane = (registry: FunctionRegistry) => ({
  getFunction: (request: AwsRequest, name: string): AwsResponse => {
    const resolved = registry.resolve(name, qualifierOf(request), request.region);
    const { fn, version, qualifier } = resolved;
    return json(200, {
      Configuration: configuration(fn, version, request.region, qualifier),
      Code: {
        RepositoryType: 'ECR',
        ImageUri: version.imageUri,
        ResolvedImageUri: resolvedImageUri(version),
      },
    });
  },

  getFunctionConfiguration: (request: AwsRequest, name: string): AwsResponse => {
    const { fn, version, qualifier } = registry.resolve(name, qualifierOf(request), request.region);
    return json(200, configuration(fn, version, request.region, qualifier));
  },

  updateFunctionCode: (request: AwsRequest, name: string): AwsResponse => {
    const fn = registry.function(name, request.region);
    const body = readBody(request, UpdateFunctionCodeBody);
    if (body.ImageUri === undefined) {
      throw new InvalidParameterValueError(
        'Please provide ImageUri when updating a function with packageType Image.',
      );
    }
    if (body.DryRun === true) {
      registry.build(body.ImageUri);
      return json(200, configuration(fn, fn.latest, request.region));
    }
    const latest = registry.updateCode(fn, body.ImageUri, body.RevisionId);
    if (body.Publish === true) {
      const published = registry.publishVersion(fn, {});
      return json(200, configuration(fn, published, request.region, published.version));
    }
    return json(200, configuration(fn, latest, request.region));
  },

  publishVersion: (request: AwsRequest, name: string): AwsResponse => {
    const fn = registry.function(name, request.region);
    const body = readBody(request, PublishVersionBody);
    const published = registry.publishVersion(fn, {
      ...(body.CodeSha256 !== undefined && { codeSha256: body.CodeSha256 }),
      ...(body.RevisionId !== undefined && { revisionId: body.RevisionId }),
      ...(body.Description !== undefined && { description: body.Description }),
    });
    return json(201, configuration(fn, published, request.region, published.version));
  },

  listVersionsByFunction: (request: AwsRequest, name: string): AwsResponse => {
    const fn = registry.function(name, request.region);
    const maxItems = positiveInteger(request.query.get('MaxItems'), 'MaxItems', 10_000) ?? 50;
    const start = positiveInteger(request.query.get('Marker'), 'Marker', Number.MAX_SAFE_INTEGER) ?? 0;
    const all = registry.listVersions(fn);
    const page = all.slice(start, start + maxItems);
    const next = start + page.length;
    return json(200, {
      Versions: page.map((version) =>
        configuration(fn, version, request.region, version.version === LATEST ? LATEST : version.version),
      ),
      ...(next < all.length && { NextMarker: String(next) }),
    });
  },

  getAlias: (request: AwsRequest, name: string, aliasName: string): AwsResponse => {
    const fn = registry.function(name, request.region);
    return json(200, aliasConfiguration(fn, registry.alias(fn, aliasName, request.region), request.region));
  },

  createAlias: (request: AwsRequest, name: string): AwsResponse => {
    const fn = registry.function(name, request.region);
    const body = readBody(request, CreateAliasBody);
    const alias = registry.createAlias(
      fn,
      {
        name: body.Name,
        functionVersion: body.FunctionVersion,
        ...(body.Description !== undefined && { description: body.Description }),
        ...(body.RoutingConfig?.AdditionalVersionWeights !== undefined && {
          weights: body.RoutingConfig.AdditionalVersionWeights,
        }),
      },
      request.region,
    );
    return json(201, aliasConfiguration(fn, alias, request.region));
  },

  updateAlias: (request: AwsRequest, name: string, aliasName: string): AwsResponse => {
    const fn = registry.function(name, request.region);
    const body = readBody(request, UpdateAliasBody);
    const alias = registry.updateAlias(
      fn,
      {
        name: aliasName,
        ...(body.FunctionVersion !== undefined && { functionVersion: body.FunctionVersion }),
        ...(body.Description !== undefined && { description: body.Description }),
        ...(body.RoutingConfig?.AdditionalVersionWeights !== undefined && {
          weights: body.RoutingConfig.AdditionalVersionWeights,
        }),
        ...(body.RevisionId !== undefined && { revisionId: body.RevisionId }),
      },
      request.region,
    );
    return json(200, aliasConfiguration(fn, alias, request.region));
  },
});

type ControlPlane = ReturnType<typeof controlPlane>;

export type { ControlPlane };
export { controlPlane, qualifierOf };
