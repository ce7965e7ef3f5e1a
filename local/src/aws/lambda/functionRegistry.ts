import { createHash, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import {
  InvalidParameterValueError,
  PreconditionFailedError,
  ResourceConflictError,
  ResourceNotFoundError,
} from './lambdaErrors.ts';

/** The one account the local runtime pretends to be, as in every ARN it shows. */
const ACCOUNT_ID = '000000000000';
const LATEST = '$LATEST';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Locally an image URI names a build: the handler that code would run. */
interface LambdaBuild {
  imageUri: string;
  handler: LambdaHandler;
}

interface FunctionDefinition {
  name: string;
  build: LambdaBuild;
  timeoutSeconds: number;
  memorySize: number;
}

/** $LATEST or a published version: the code it runs, frozen at publish for a version. */
interface VersionRecord {
  version: string;
  imageUri: string;
  codeSha256: string;
  handler: LambdaHandler;
  description: string;
  lastModified: string;
  revisionId: string;
}

interface AliasRecord {
  name: string;
  functionVersion: string;
  description: string;
  /** Version → share of invocations routed to it instead of `functionVersion`. */
  additionalVersionWeights: Record<string, number>;
  revisionId: string;
}

interface FunctionRecord {
  name: string;
  timeoutSeconds: number;
  memorySize: number;
  latest: VersionRecord;
  /** Published versions; version n is at index n - 1 (Lambda never reuses a number). */
  versions: VersionRecord[];
  aliases: Map<string, AliasRecord>;
}

/** What a name, ARN and qualifier resolve to; `qualifier` is what the caller asked for. */
interface ResolvedFunction {
  fn: FunctionRecord;
  qualifier: string | undefined;
  alias: AliasRecord | undefined;
  version: VersionRecord;
}

/** `name`, `name:qualifier`, `123456789012:function:name[:qualifier]` or the full ARN of either. */
const FUNCTION_REF =
  /^(?:(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:)?(\d{12}):function:)?([a-zA-Z0-9_-]{1,64})(?::(\$LATEST|[a-zA-Z0-9_-]{1,128}))?$/;
const ALIAS_NAME = /^(?!\d+$)[a-zA-Z0-9_-]{1,128}$/;

const functionArn = (region: string, name: string, qualifier?: string): string =>
  `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;

/** Lambda's own timestamp format: `2026-11-28T22:40:00.000+0000`. */
const lambdaTimestamp = (date = new Date()): string => date.toISOString().replace('Z', '+0000');

/** An image's CodeSha256 is its digest: the pinned one, or (locally) a hash of the tag it names. */
const codeSha256Of = (imageUri: string): string =>
  /@sha256:([a-f0-9]{64})$/.exec(imageUri)?.[1] ?? createHash('sha256').update(imageUri).digest('hex');

const codeOf = (build: LambdaBuild, description: string): VersionRecord => ({
  version: LATEST,
  imageUri: build.imageUri,
  codeSha256: codeSha256Of(build.imageUri),
  handler: build.handler,
  description,
  lastModified: lambdaTimestamp(),
  revisionId: randomUUID(),
});

/**
 * The functions, their builds, versions and aliases, in memory for one run: what the control-plane calls of
 * `npm run deploy` read and change, and what Invoke runs. A published version keeps the build it was
 * published with, so an alias can stay on an older version while `$LATEST` moves.
 */
class FunctionRegistry {
  readonly #functions = new Map<string, FunctionRecord>();
  readonly #builds = new Map<string, LambdaBuild>();

  constructor(functions: readonly FunctionDefinition[], builds: readonly LambdaBuild[] = []) {
    for (const build of [...functions.map((f) => f.build), ...builds]) this.registerBuild(build);
    for (const { name, build, timeoutSeconds, memorySize } of functions) {
      this.#functions.set(name, {
        name,
        timeoutSeconds,
        memorySize,
        latest: codeOf(build, ''),
        versions: [],
        aliases: new Map(),
      });
    }
  }

  /** Makes an image URI deployable (the tests' broken builds, say). */
  registerBuild(build: LambdaBuild): void {
    this.#builds.set(build.imageUri, build);
  }

  /**
   * Finds a function by name, partial ARN or ARN, with a qualifier in the name or apart (not both unless equal):
   * `$LATEST`, a version number or an alias.
   */
  resolve(ref: string, qualifierParam: string | undefined, region: string): ResolvedFunction {
    const fn = this.#find(ref, region);
    const fromName = FUNCTION_REF.exec(ref)?.[3];
    if (fromName !== undefined && qualifierParam !== undefined && fromName !== qualifierParam) {
      throw new InvalidParameterValueError(
        'The derived qualifier from the function name does not match the specified qualifier.',
      );
    }
    const qualifier = qualifierParam ?? fromName;
    const notFound = () =>
      new ResourceNotFoundError(`Function not found: ${functionArn(region, fn.name, qualifier)}`);
    if (qualifier === undefined || qualifier === LATEST) {
      return { fn, qualifier, alias: undefined, version: fn.latest };
    }
    if (/^\d+$/.test(qualifier)) {
      const version = fn.versions[Number(qualifier) - 1];
      if (version === undefined) throw notFound();
      return { fn, qualifier, alias: undefined, version };
    }
    const alias = fn.aliases.get(qualifier);
    if (alias === undefined) throw notFound();
    return { fn, qualifier, alias, version: this.#version(fn, alias.functionVersion) };
  }

  /** The function itself, unqualified: a qualifier in the name is refused, as the control plane does. */
  function(ref: string, region: string): FunctionRecord {
    const fn = this.#find(ref, region);
    if (FUNCTION_REF.exec(ref)?.[3] !== undefined) {
      throw new InvalidParameterValueError(
        'Qualifiers are not allowed in the function name for this operation.',
      );
    }
    return fn;
  }

  /** The version an invocation through `alias` runs, honouring weighted routing. */
  routedVersion(resolved: ResolvedFunction, random: () => number = Math.random): VersionRecord {
    const { alias, fn } = resolved;
    if (alias === undefined) return resolved.version;
    let draw = random();
    for (const [version, weight] of Object.entries(alias.additionalVersionWeights)) {
      if (draw < weight) return this.#version(fn, version);
      draw -= weight;
    }
    return resolved.version;
  }

  /** The build an image URI names; Lambda refuses an image it cannot find. */
  build(imageUri: string): LambdaBuild {
    const build = this.#builds.get(imageUri);
    if (build === undefined) {
      throw new InvalidParameterValueError(
        `Source image ${imageUri} does not exist. Provide a valid source image. Known builds: ${[
          ...this.#builds.keys(),
        ].join(', ')}`,
      );
    }
    return build;
  }

  updateCode(fn: FunctionRecord, imageUri: string, revisionId: string | undefined): VersionRecord {
    const build = this.build(imageUri);
    this.#checkRevision(revisionId, fn.latest.revisionId);
    fn.latest = codeOf(build, fn.latest.description);
    return fn.latest;
  }

  /**
   * Freezes `$LATEST` as the next version. Nothing new is published when the code has not changed since the
   * last version (Lambda returns that version); `codeSha256` and `revisionId` guard against a concurrent update.
   */
  publishVersion(
    fn: FunctionRecord,
    {
      codeSha256,
      revisionId,
      description,
    }: { codeSha256?: string; revisionId?: string; description?: string },
  ): VersionRecord {
    if (codeSha256 !== undefined && codeSha256 !== fn.latest.codeSha256) {
      throw new InvalidParameterValueError(
        `CodeSHA256 (${codeSha256}) is different from current CodeSHA256 in $LATEST (${fn.latest.codeSha256}). Please try again with the current CodeSHA256.`,
      );
    }
    this.#checkRevision(revisionId, fn.latest.revisionId);
    const last = fn.versions.at(-1);
    if (last !== undefined && last.codeSha256 === fn.latest.codeSha256) return last;
    const published: VersionRecord = {
      ...fn.latest,
      version: String(fn.versions.length + 1),
      description: description ?? fn.latest.description,
      lastModified: lambdaTimestamp(),
      revisionId: randomUUID(),
    };
    fn.versions.push(published);
    return published;
  }

  /** `$LATEST` first, then the published versions in order. */
  listVersions(fn: FunctionRecord): VersionRecord[] {
    return [fn.latest, ...fn.versions];
  }

  alias(fn: FunctionRecord, name: string, region: string): AliasRecord {
    const alias = fn.aliases.get(name);
    if (alias === undefined)
      throw new ResourceNotFoundError(`Alias not found: ${functionArn(region, fn.name, name)}`);
    return alias;
  }

  createAlias(
    fn: FunctionRecord,
    input: { name: string; functionVersion: string; description?: string; weights?: Record<string, number> },
    region: string,
  ): AliasRecord {
    if (!ALIAS_NAME.test(input.name)) {
      throw new InvalidParameterValueError(
        `Invalid alias name: ${input.name}. An alias name may not be a number.`,
      );
    }
    if (fn.aliases.has(input.name)) {
      throw new ResourceConflictError(`Alias already exists: ${functionArn(region, fn.name, input.name)}`);
    }
    this.#version(fn, input.functionVersion, region);
    const alias: AliasRecord = {
      name: input.name,
      functionVersion: input.functionVersion,
      description: input.description ?? '',
      additionalVersionWeights: this.#checkWeights(fn, input.weights ?? {}, region),
      revisionId: randomUUID(),
    };
    fn.aliases.set(alias.name, alias);
    return alias;
  }

  updateAlias(
    fn: FunctionRecord,
    input: {
      name: string;
      functionVersion?: string;
      description?: string;
      weights?: Record<string, number>;
      revisionId?: string;
    },
    region: string,
  ): AliasRecord {
    const alias = this.alias(fn, input.name, region);
    this.#checkRevision(input.revisionId, alias.revisionId);
    if (input.functionVersion !== undefined) this.#version(fn, input.functionVersion, region);
    const weights = input.weights === undefined ? undefined : this.#checkWeights(fn, input.weights, region);
    alias.functionVersion = input.functionVersion ?? alias.functionVersion;
    alias.description = input.description ?? alias.description;
    alias.additionalVersionWeights = weights ?? alias.additionalVersionWeights;
    alias.revisionId = randomUUID();
    return alias;
  }

  #find(ref: string, region: string): FunctionRecord {
    const match = FUNCTION_REF.exec(ref);
    const account = match?.[1];
    const fn = match?.[2] === undefined ? undefined : this.#functions.get(match[2]);
    if (match === null) {
      throw new InvalidParameterValueError(`Invalid function name or ARN: ${ref.slice(0, 256)}`);
    }
    if (fn === undefined || (account !== undefined && account !== ACCOUNT_ID)) {
      throw new ResourceNotFoundError(`Function not found: ${functionArn(region, match[2] ?? '')}`);
    }
    return fn;
  }

  #version(fn: FunctionRecord, version: string, region = 'us-east-1'): VersionRecord {
    const found = version === LATEST ? fn.latest : fn.versions[Number(version) - 1];
    if (found === undefined || !/^(\$LATEST|[1-9]\d*)$/.test(version)) {
      throw new ResourceNotFoundError(`Function not found: ${functionArn(region, fn.name, version)}`);
    }
    return found;
  }

  #checkWeights(fn: FunctionRecord, weights: Record<string, number>, region: string): Record<string, number> {
    const total = Object.values(weights).reduce((sum, weight) => sum + weight, 0);
    for (const [version, weight] of Object.entries(weights)) {
      this.#version(fn, version, region);
      if (!(weight >= 0 && weight <= 1)) {
        throw new InvalidParameterValueError(`Invalid weight ${weight} for version ${version}: 0.0-1.0.`);
      }
    }
    if (total > 1)
      throw new InvalidParameterValueError('The additional version weights add up to more than 1.');
    return { ...weights };
  }

  #checkRevision(given: string | undefined, current: string): void {
    if (given !== undefined && given !== current) {
      throw new PreconditionFailedError(
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      );
    }
  }
}

export type {
  AliasRecord,
  FunctionDefinition,
  FunctionRecord,
  LambdaBuild,
  LambdaHandler,
  ResolvedFunction,
  VersionRecord,
};
export { ACCOUNT_ID, FunctionRegistry, functionArn, LATEST };
