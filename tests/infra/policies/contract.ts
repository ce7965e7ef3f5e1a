import { type HclValue, isObject, resources, type TfBlock, type TfModule } from '../support/hcl.ts';
import {
  nested,
  policyDocuments,
  referencedNames,
  resourceNamed,
  statementsOf,
  stringList,
  violation,
} from './helpers.ts';
import { sqsMappings } from './pubsub.ts';
import type { Policy, Violation } from './types.ts';

/** Environment variable names the handlers read (docs: the shared contract). */
const COMMON_ENV = [
  'DB_IAM_AUTH',
  'DB_USER',
  'DB_CONNECT_TIMEOUT_MS',
  'DB_HOST',
  'DB_PORT',
  'DB_NAME',
  'DB_SSL',
  'NODE_EXTRA_CA_CERTS',
  'DB_POOL_MAX',
  'LOG_LEVEL',
  'POWERTOOLS_SERVICE_NAME',
];
const API_ONLY_ENV = ['TOPIC_ARN', 'DB_READER_HOST', 'API_DEADLINE_MS', 'IDEMPOTENCY_LEASE_SECONDS'];
/** The subscriber runs migrations, as the master user from its secret. */
const SUBSCRIBER_ONLY_ENV = ['DB_SECRET_ARN'];
const OPTIONAL_ENV = ['APP_VERSION', 'DATABASE_URL', 'IDEMPOTENCY_TTL_SECONDS'];

function liveAlias(module: TfModule, names: readonly string[]): TfBlock | undefined {
  return names
    .map((name) => resourceNamed(module, 'aws_lambda_alias', name))
    .find((alias) => alias?.body.name === 'live');
}

const liveAliasRouting: Policy = {
  id: 'live-alias-routing',
  title: 'The Function URL and the SQS mapping target the live alias',
  async check(module: TfModule) {
    const out: Violation[] = [];
    for (const url of resources(module, 'aws_lambda_function_url')) {
      if (!liveAlias(module, await referencedNames(url.body.qualifier, 'aws_lambda_alias'))) {
        out.push(violation(this.id, url, 'qualifier must be the live alias'));
      }
    }
    for (const { mapping } of await sqsMappings(module)) {
      const aliases = await referencedNames(mapping.body.function_name, 'aws_lambda_alias');
      const arn =
        typeof mapping.body.function_name === 'string' && mapping.body.function_name.endsWith('.arn}');
      if (!liveAlias(module, aliases) || !arn)
        out.push(violation(this.id, mapping, 'function_name must be the live alias ARN'));
    }
    return out;
  },
};

const deploysOwnImageAndAlias: Policy = {
  id: 'deploys-own-image-and-alias',
  title: 'Terraform ignores image_uri and the alias version, which deploys move',
  async check(module: TfModule) {
    const out: Violation[] = [];
    // ignore_changes = [image_uri] arrives as ["${image_uri}"]; compare bare attribute names.
    const ignored = (block: TfBlock): string[] =>
      nested(block.body, 'lifecycle')
        .flatMap((l) => (Array.isArray(l.ignore_changes) ? l.ignore_changes : []))
        .map((entry) => String(entry).replace(/^\$\{(.*)\}$/, '$1'));
    for (const fn of resources(module, 'aws_lambda_function')) {
      if (fn.body.package_type !== 'Image') out.push(violation(this.id, fn, 'package_type must be Image'));
      if ((await referencedNames(fn.body.image_uri, 'aws_ecr_repository')).length === 0) {
        out.push(violation(this.id, fn, 'image_uri must come from the ECR repository'));
      }
      if (!ignored(fn).includes('image_uri'))
        out.push(violation(this.id, fn, 'lifecycle.ignore_changes must include image_uri'));
    }
    for (const alias of resources(module, 'aws_lambda_alias')) {
      if (!ignored(alias).includes('function_version')) {
        out.push(violation(this.id, alias, 'lifecycle.ignore_changes must include function_version'));
      }
    }
    return out;
  },
};

/**
 * The expression an environment variable of `fn` is set to, looked up in its `variables` (a literal map or a
 * merge(...) of locals and inline maps), as an interpolation to evaluate; undefined when it is not set.
 */
function environmentValue(fn: TfBlock, module: TfModule, name: string): HclValue | undefined {
  const variables = nested(fn.body, 'environment')[0]?.variables;
  if (isObject(variables)) return variables[name];
  if (typeof variables !== 'string') return undefined;
  const line = new RegExp(`(?:^|[\\s{,])${name}\\s*=\\s*([^\\n,}]+)`).exec(variables);
  if (line?.[1]) {
    const expression = line[1].trim();
    return /^".*"$/.test(expression) ? expression.slice(1, -1) : `\${${expression}}`;
  }
  for (const match of variables.matchAll(/local\.([A-Za-z0-9_]+)/g)) {
    const local = module.locals.get(match[1] ?? '')?.value;
    if (isObject(local) && name in local) return local[name];
  }
  return undefined;
}

function environmentNames(fn: TfBlock, module: TfModule): string[] {
  const variables = nested(fn.body, 'environment')[0]?.variables;
  const text = typeof variables === 'string' ? variables : JSON.stringify(variables ?? {});
  const localNames = [...text.matchAll(/local\.([A-Za-z0-9_]+)/g)].map((match) => match[1] ?? '');
  const texts = [text, ...localNames.map((name) => JSON.stringify(module.locals.get(name)?.value ?? {}))];
  const names = new Set<string>();
  for (const chunk of texts) {
    for (const match of chunk.matchAll(/(?:^|[\s{,"])([A-Z][A-Z0-9_]+)"?\s*[=:]/g))
      if (match[1]) names.add(match[1]);
  }
  return [...names];
}

const contractEnvironment: Policy = {
  id: 'contract-environment',
  title: 'Function environments use exactly the contract variable names',
  async check(module: TfModule) {
    const out: Violation[] = [];
    const urlFunctions = new Set<string>();
    for (const url of resources(module, 'aws_lambda_function_url')) {
      for (const name of await referencedNames(url.body.function_name, 'aws_lambda_function'))
        urlFunctions.add(name);
    }
    for (const fn of resources(module, 'aws_lambda_function')) {
      const isApi = urlFunctions.has(fn.name);
      const names = environmentNames(fn, module);
      const expected = [...COMMON_ENV, ...(isApi ? API_ONLY_ENV : SUBSCRIBER_ONLY_ENV)];
      const allowed = new Set([...expected, ...OPTIONAL_ENV]);
      for (const name of expected.filter((n) => !names.includes(n)))
        out.push(violation(this.id, fn, `missing ${name}`));
      for (const name of names.filter((n) => !allowed.has(n)))
        out.push(violation(this.id, fn, `${name} is not in the contract`));
    }
    return out;
  },
};

const migrationsByDeployRoleOnly: Policy = {
  id: 'migrate-invoke-deploy-only',
  title: 'Only the deploy role may invoke the subscriber directly (migrations); no resource policy opens it',
  async check(module: TfModule) {
    const out: Violation[] = [];
    const consumers = new Set<string>();
    for (const { fn } of await sqsMappings(module)) if (fn) consumers.add(fn.name);
    for (const permission of resources(module, 'aws_lambda_permission')) {
      const targets = await referencedNames(permission.body.function_name, 'aws_lambda_function');
      if (targets.some((name) => consumers.has(name)))
        out.push(violation(this.id, permission, 'opens the subscriber to another principal'));
    }
    const invokers: string[] = [];
    for (const document of policyDocuments(module)) {
      for (const statement of statementsOf(document)) {
        if (!(stringList(module, statement.actions) ?? []).includes('lambda:InvokeFunction')) continue;
        invokers.push(document.name);
      }
    }
    const deployPolicies: string[] = [];
    for (const policy of resources(module, 'aws_iam_role_policy')) {
      const role = await referencedNames(policy.body.role, 'aws_iam_role');
      const documents = await referencedNames(policy.body.policy, 'aws_iam_policy_document', true);
      if (role.includes('deploy')) deployPolicies.push(...documents);
    }
    if (consumers.size > 0 && !invokers.some((name) => deployPolicies.includes(name))) {
      out.push(
        violation(
          this.id,
          'aws_iam_role.deploy',
          'the deploy role must be allowed lambda:InvokeFunction for migrations',
        ),
      );
    }
    for (const name of invokers.filter((n) => !deployPolicies.includes(n))) {
      out.push(
        violation(
          this.id,
          `data.aws_iam_policy_document.${name}`,
          'only the deploy role may hold lambda:InvokeFunction',
        ),
      );
    }
    return out;
  },
};

export {
  COMMON_ENV,
  contractEnvironment,
  deploysOwnImageAndAlias,
  environmentValue,
  liveAliasRouting,
  migrationsByDeployRoleOnly,
};
