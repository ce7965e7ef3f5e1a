import { evaluateNumber } from '../support/expressions.ts';
import {
  dataSources,
  type HclObject,
  type HclValue,
  isObject,
  resources,
  type TfBlock,
  type TfModule,
} from '../support/hcl.ts';
import { environmentValue } from './contract.ts';
import { describeBreach, findBreach, type Rule } from './guarantees.ts';
import {
  evaluationContext,
  expandedReferences,
  nested,
  referencedNames,
  statementsOf,
  stringList,
  violation,
} from './helpers.ts';
import { sqsMappings } from './pubsub.ts';
import type { Policy, PolicyContext, Violation } from './types.ts';

/** The margin the handlers keep between their own deadline and Lambda's timeout (shared/src/lambda/deadline.ts). */
const MARGIN_MS = 1_000;

/**
 * A string with every `${local.name}` and `${local.name.key}` replaced by the local's text, repeatedly, so an
 * ARN built from locals reads as the resources and data it is made of.
 */
function expandLocals(module: TfModule, text: string, depth = 0): string {
  if (depth > 10) return text;
  const expanded = text.replace(/\$\{local\.([A-Za-z0-9_]+)(?:\.([A-Za-z0-9_]+))?\}/g, (whole, name, key) => {
    const value = module.locals.get(name)?.value;
    const picked = key === undefined ? value : isObject(value) ? value[key] : undefined;
    return typeof picked === 'string' ? picked : whole;
  });
  return expanded === text ? text : expandLocals(module, expanded, depth + 1);
}

const textOf = (module: TfModule, value: HclValue | undefined): string | undefined =>
  typeof value === 'string' ? expandLocals(module, value) : undefined;

/** The policy documents attached to the role a function runs as (inline role policies). */
async function roleOf(fn: TfBlock): Promise<string | undefined> {
  return (await referencedNames(fn.body.role, 'aws_iam_role'))[0];
}

async function documentsOfRole(module: TfModule, role: string): Promise<TfBlock[]> {
  const out: TfBlock[] = [];
  for (const policy of resources(module, 'aws_iam_role_policy')) {
    if (!(await referencedNames(policy.body.role, 'aws_iam_role')).includes(role)) continue;
    for (const name of await referencedNames(policy.body.policy, 'aws_iam_policy_document', true)) {
      const document = dataSources(module, 'aws_iam_policy_document').find((d) => d.name === name);
      if (document) out.push(document);
    }
  }
  return out;
}

/** rds-db:connect resources of a role, each as text with locals expanded. */
async function connectResources(module: TfModule, role: string): Promise<string[]> {
  const out: string[] = [];
  for (const document of await documentsOfRole(module, role)) {
    for (const statement of statementsOf(document)) {
      const actions = stringList(module, statement.actions) ?? [];
      if (!actions.some((action) => action === 'rds-db:connect' || action === 'rds-db:*')) continue;
      for (const resource of stringList(module, statement.resources) ?? []) {
        out.push(expandLocals(module, resource));
      }
    }
  }
  return out;
}

/** arn:<partition>:rds-db:<region>:<account>:dbuser:<cluster resource id>/<user>, the cluster one of ours. */
const OWN_USER_ARN =
  /:rds-db:[^:]+:[^:]+:dbuser:\$\{aws_rds_cluster\.[A-Za-z0-9_]+\.cluster_resource_id\}\/([^/*?]+)$/;

const dbIamOwnUser: Policy = {
  id: 'db-iam-own-user',
  title:
    'The cluster takes IAM authentication, and each function logs in with it as its own database user, which its role alone may connect as',
  async check(module: TfModule) {
    const out: Violation[] = [];
    for (const cluster of resources(module, 'aws_rds_cluster')) {
      if (cluster.body.iam_database_authentication_enabled !== true) {
        out.push(violation(this.id, cluster, 'iam_database_authentication_enabled must be true'));
      }
    }
    const usersSeen = new Map<string, string>();
    for (const fn of resources(module, 'aws_lambda_function')) {
      const iam = textOf(module, environmentValue(fn, module, 'DB_IAM_AUTH'));
      const user = textOf(module, environmentValue(fn, module, 'DB_USER'));
      if (iam !== 'true')
        out.push(violation(this.id, fn, 'must log in with IAM tokens (DB_IAM_AUTH = "true")'));
      if (user === undefined || user.includes('${')) {
        out.push(violation(this.id, fn, 'must name its own database user (DB_USER) as a fixed name'));
        continue;
      }
      const other = usersSeen.get(user);
      if (other !== undefined) {
        out.push(violation(this.id, fn, `shares the database user ${user} with ${other}`));
      }
      usersSeen.set(user, fn.name);
      const role = await roleOf(fn);
      const granted = role === undefined ? [] : await connectResources(module, role);
      if (granted.length === 0) {
        out.push(violation(this.id, fn, `its role has no rds-db:connect for its database user ${user}`));
      }
      for (const resource of granted) {
        if (OWN_USER_ARN.exec(resource)?.[1] !== user) {
          out.push(
            violation(
              this.id,
              fn,
              `its role may connect as ${resource}, not only as its own user ${user} of this cluster`,
            ),
          );
        }
      }
    }
    return out;
  },
};

const masterSecretForMigrationsOnly: Policy = {
  id: 'db-master-secret-migrations-only',
  title:
    'Only the function that runs migrations (the queue consumer) may read the master secret, and no other secret',
  async check(module: TfModule) {
    const out: Violation[] = [];
    const migrators = new Set<string>();
    for (const { fn } of await sqsMappings(module)) {
      const role = fn ? await roleOf(fn) : undefined;
      if (role) migrators.add(role);
    }
    // An RDS Proxy signs in to the database with the secret it is given: its role may read it.
    const proxies = new Set<string>();
    for (const proxy of resources(module, 'aws_db_proxy')) {
      for (const role of await referencedNames(proxy.body.role_arn, 'aws_iam_role')) proxies.add(role);
    }
    for (const policy of resources(module, 'aws_iam_role_policy')) {
      const roles = await referencedNames(policy.body.role, 'aws_iam_role');
      for (const name of await referencedNames(policy.body.policy, 'aws_iam_policy_document', true)) {
        const document = dataSources(module, 'aws_iam_policy_document').find((d) => d.name === name);
        for (const statement of document ? statementsOf(document) : []) {
          const actions = stringList(module, statement.actions) ?? [];
          if (!actions.some((a) => a === 'secretsmanager:GetSecretValue' || a === 'secretsmanager:*'))
            continue;
          const targets = (stringList(module, statement.resources) ?? []).map((r) => expandLocals(module, r));
          if (!roles.every((role) => migrators.has(role) || proxies.has(role))) {
            out.push(
              violation(
                this.id,
                document ?? policy,
                `lets ${roles.join(', ')} read ${targets.join(', ')}: only the function that runs migrations may read the master secret`,
              ),
            );
          }
          for (const target of targets.filter(
            (t) => !/aws_rds_cluster\.[A-Za-z0-9_]+\.master_user_secret/.test(t),
          )) {
            out.push(
              violation(
                this.id,
                document ?? policy,
                `reads ${target}, which is not the cluster's master secret`,
              ),
            );
          }
        }
      }
    }
    for (const fn of resources(module, 'aws_lambda_function')) {
      const role = await roleOf(fn);
      if (environmentValue(fn, module, 'DB_SECRET_ARN') !== undefined && !(role && migrators.has(role))) {
        out.push(violation(this.id, fn, 'gets DB_SECRET_ARN, but it does not run migrations'));
      }
    }
    return out;
  },
};

/**
 * The preconditions (of any block) that read only variables the rule reads, each kept on a copy of its
 * block. Narrower than every precondition that shares a variable: the search stays small, and a condition
 * left out can only admit more inputs, never hide a breach.
 */
async function guardsOf(module: TfModule, rule: Rule): Promise<TfBlock[]> {
  const variablesOf = async (values: readonly HclValue[]): Promise<Set<string>> => {
    const names = new Set<string>();
    for (const value of values) {
      for (const reference of await expandedReferences(module, value)) {
        if (reference.startsWith('var.')) names.add(reference.slice(4));
      }
    }
    return names;
  };
  const reads = await variablesOf(rule.reads);
  const out: TfBlock[] = [];
  for (const block of resources(module)) {
    const kept: HclObject[] = [];
    for (const lifecycle of nested(block.body, 'lifecycle')) {
      for (const precondition of nested(lifecycle, 'precondition')) {
        const used = await variablesOf([precondition.condition ?? null]);
        if (used.size > 0 && [...used].every((name) => reads.has(name))) kept.push(precondition);
      }
    }
    if (kept.length > 0) out.push({ ...block, body: { lifecycle: [{ precondition: kept }] } });
  }
  return out;
}

const timeoutsBeforeLambdaTimeout: Policy = {
  id: 'db-timeouts-before-lambda-timeout',
  title:
    "A paused database ends in the function's own answer: connect timeout < API deadline <= timeout - 1 s, and the subscriber's connect timeout < its timeout - 1 s, for every admitted input",
  async check(module: TfModule, context?: PolicyContext) {
    const out: Violation[] = [];
    const urlFunctions = new Set<string>();
    for (const url of resources(module, 'aws_lambda_function_url')) {
      for (const name of await referencedNames(url.body.function_name, 'aws_lambda_function'))
        urlFunctions.add(name);
    }
    for (const fn of resources(module, 'aws_lambda_function')) {
      const isApi = urlFunctions.has(fn.name);
      const connectValue = environmentValue(fn, module, 'DB_CONNECT_TIMEOUT_MS');
      const deadlineValue = environmentValue(fn, module, 'API_DEADLINE_MS');
      const timeoutValue: HclValue = fn.body.timeout ?? 3;
      if (connectValue === undefined || (isApi && deadlineValue === undefined)) {
        out.push(
          violation(this.id, fn, `must set DB_CONNECT_TIMEOUT_MS${isApi ? ' and API_DEADLINE_MS' : ''}`),
        );
        continue;
      }
      const rules: Rule[] = [];
      if (isApi && deadlineValue !== undefined) {
        rules.push(
          {
            reads: [connectValue, deadlineValue],
            async breach(evaluation) {
              const connect = await evaluateNumber(connectValue, evaluation);
              const deadline = await evaluateNumber(deadlineValue, evaluation);
              return connect >= deadline
                ? `the API's connect timeout ${connect} ms not below its deadline ${deadline} ms`
                : undefined;
            },
          },
          {
            reads: [deadlineValue, timeoutValue],
            async breach(evaluation) {
              const deadline = await evaluateNumber(deadlineValue, evaluation);
              const timeout = await evaluateNumber(timeoutValue, evaluation);
              return deadline > timeout * 1000 - MARGIN_MS
                ? `the API's deadline ${deadline} ms past its timeout ${timeout} s less 1 s`
                : undefined;
            },
          },
        );
      } else {
        rules.push({
          reads: [connectValue, timeoutValue],
          async breach(evaluation) {
            const connect = await evaluateNumber(connectValue, evaluation);
            const timeout = await evaluateNumber(timeoutValue, evaluation);
            return connect >= timeout * 1000 - MARGIN_MS
              ? `a connect timeout of ${connect} ms not below the timeout ${timeout} s less 1 s`
              : undefined;
          },
        });
      }
      for (const rule of rules) {
        // The configured values first (all a literal has); then every input the validations admit.
        let configured: string | undefined;
        try {
          configured = await rule.breach(evaluationContext(module, context));
        } catch (error) {
          configured = `timeouts that cannot be evaluated (${String(error)})`;
        }
        if (configured !== undefined) {
          out.push(violation(this.id, fn, `is configured with ${configured}`));
          continue;
        }
        const breach = await findBreach(module, rule, await guardsOf(module, rule), context);
        if (breach) out.push(violation(this.id, fn, describeBreach(breach)));
      }
    }
    return out;
  },
};

export { dbIamOwnUser, masterSecretForMigrationsOnly, timeoutsBeforeLambdaTimeout };
