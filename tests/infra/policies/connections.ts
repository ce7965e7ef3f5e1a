import { TFExpressionSyntaxTree } from '@cdktf/hcl2json';
import {
  type EvaluationContext,
  evaluateValue,
  referencesUnder,
  templateAst,
} from '../support/expressions.ts';
import { type HclValue, isObject, resources, type TfBlock, type TfModule } from '../support/hcl.ts';
import { describeBreach, findBreach } from './guarantees.ts';
import { evaluationContext, expandedReferences, nested, violation } from './helpers.ts';
import { publicSubnets } from './network.ts';
import type { Policy, PolicyContext, Violation } from './types.ts';

/**
 * max_connections of Aurora PostgreSQL Serverless v2, as AWS documents it: derived from the memory of the
 * maximum ACU setting (LEAST(DBInstanceClassMemory / 9531392, 5000)), capped at 2,000 with a minimum of 0 or
 * 0.5 ACU. AWS's published figures (189 at 0.5-1 ACU, 3,360 at 1-16 ACU) are both at least 189 per maximum ACU.
 */
function auroraMaxConnections(minCapacity: number, maxCapacity: number): number {
  return Math.min(Math.floor(189 * maxCapacity), minCapacity <= 0.5 ? 2000 : 5000);
}

/** The inputs of the budget: whoever renames or drops one must say how the budget holds. */
const BUDGET_INPUTS = [
  'api_reserved_concurrency',
  'subscriber_max_concurrency',
  'db_pool_max',
  'db_connection_headroom',
  'db_min_capacity',
  'db_max_capacity',
  'create_rds_proxy',
] as const;

interface Budget {
  readonly api: number;
  readonly subscriber: number;
  readonly pool: number;
  readonly headroom: number;
  readonly min: number;
  readonly max: number;
}

const needed = (b: Budget): number => (b.api + b.subscriber) * b.pool + b.headroom;
const describeBudget = (b: Budget): string =>
  `(${b.api} + ${b.subscriber}) x ${b.pool} + ${b.headroom} = ${needed(b)} connections against ` +
  `${auroraMaxConnections(b.min, b.max)} at ${b.min}-${b.max} ACU`;

/**
 * Configurations at the edge of the budget: for each capacity range, pool, subscriber cap and headroom, the
 * largest API concurrency that fits and the one after it. A guard must admit the first and refuse the second.
 */
function edgeBudgets(): { fits: Budget; breaks: Budget }[] {
  const out: { fits: Budget; breaks: Budget }[] = [];
  for (const min of [0, 0.5, 1, 2]) {
    for (const max of [1, 2, 4, 16, 32, 256]) {
      if (max < min) continue;
      for (const pool of [1, 2, 20]) {
        for (const subscriber of [2, 5, 1000]) {
          for (const headroom of [0, 10]) {
            const limit = auroraMaxConnections(min, max);
            const api = Math.floor((limit - headroom) / pool) - subscriber;
            if (api < 1 || api + 1 > 1000) continue;
            const fits = { api, subscriber, pool, headroom, min, max };
            out.push({ fits, breaks: { ...fits, api: api + 1 } });
          }
        }
      }
    }
  }
  return out;
}

function assign(base: EvaluationContext, budget: Budget, proxy: boolean): EvaluationContext {
  return {
    locals: base.locals,
    variables: {
      ...base.variables,
      api_reserved_concurrency: budget.api,
      subscriber_max_concurrency: budget.subscriber,
      db_pool_max: budget.pool,
      db_connection_headroom: budget.headroom,
      db_min_capacity: budget.min,
      db_max_capacity: budget.max,
      create_rds_proxy: proxy,
    },
  };
}

/** Preconditions of the module that read any budget input, with the block they sit on. */
async function budgetGuards(module: TfModule): Promise<{ block: TfBlock; condition: string }[]> {
  const out: { block: TfBlock; condition: string }[] = [];
  for (const block of module.blocks) {
    for (const precondition of nested(block.body, 'lifecycle', 'precondition')) {
      const condition = precondition.condition;
      if (typeof condition !== 'string') continue;
      const reads = await expandedReferences(module, condition);
      if (BUDGET_INPUTS.some((input) => reads.includes(`var.${input}`))) out.push({ block, condition });
    }
  }
  return out;
}

async function holds(condition: string, context: EvaluationContext): Promise<boolean | undefined> {
  try {
    return (await evaluateValue(condition, context)) === true;
  } catch {
    return undefined;
  }
}

/** `${var.<name>}`, spelled without a template placeholder in a TypeScript string. */
const variableRef = (name: string): string => ['$', '{', 'var.', name, '}'].join('');

/** Does `value` (after locals) read `var.<name>`? */
async function reads(module: TfModule, value: HclValue | undefined, name: string): Promise<boolean> {
  return (await expandedReferences(module, value)).includes(`var.${name}`);
}

const dbConnectionBudget: Policy = {
  id: 'db-connection-budget',
  title:
    "The API's reserved concurrency and the subscriber's maximum concurrency, times the pool, fit Aurora's max_connections (or an RDS Proxy fronts it)",
  async check(module: TfModule, context?: PolicyContext) {
    const out: Violation[] = [];
    const declared = new Set(module.blocks.filter((b) => b.kind === 'variable').map((b) => b.name));
    const missing = BUDGET_INPUTS.filter((input) => !declared.has(input));
    if (missing.length > 0) {
      return [violation(this.id, 'variables', `the budget needs the inputs ${missing.join(', ')}`)];
    }
    const functions = resources(module, 'aws_lambda_function');
    const urlTargets = new Set<string>();
    for (const url of resources(module, 'aws_lambda_function_url')) {
      for (const reference of await expandedReferences(module, url.body.function_name))
        urlTargets.add(reference);
    }
    const api = functions.find((fn) => urlTargets.has(`aws_lambda_function.${fn.name}`));
    if (api === undefined) return [violation(this.id, 'aws_lambda_function', 'no API function found')];
    if (!(await reads(module, api.body.reserved_concurrent_executions, 'api_reserved_concurrency'))) {
      out.push(
        violation(this.id, api, 'reserved_concurrent_executions must be var.api_reserved_concurrency'),
      );
    }
    for (const mapping of resources(module, 'aws_lambda_event_source_mapping')) {
      const cap = nested(mapping.body, 'scaling_config')[0]?.maximum_concurrency;
      if (!(await reads(module, cap, 'subscriber_max_concurrency')))
        out.push(violation(this.id, mapping, 'maximum_concurrency must be var.subscriber_max_concurrency'));
    }
    for (const fn of functions) {
      const pool = await environmentValue(module, fn, 'DB_POOL_MAX');
      if (pool !== undefined && !(await reads(module, pool, 'db_pool_max')))
        out.push(violation(this.id, fn, 'DB_POOL_MAX must be var.db_pool_max, the pool the budget counts'));
    }
    const guards = await budgetGuards(module);
    const base = evaluationContext(module, context);

    // The configured values themselves.
    const configured: Budget = {
      api: Number(base.variables.api_reserved_concurrency),
      subscriber: Number(base.variables.subscriber_max_concurrency),
      pool: Number(base.variables.db_pool_max),
      headroom: Number(base.variables.db_connection_headroom),
      min: Number(base.variables.db_min_capacity),
      max: Number(base.variables.db_max_capacity),
    };
    const proxied = base.variables.create_rds_proxy === true;
    if (!proxied && needed(configured) > auroraMaxConnections(configured.min, configured.max)) {
      out.push(violation(this.id, api, `the configuration breaks the budget: ${describeBudget(configured)}`));
    }

    // A guard that refuses every edge breach, and no configuration within the budget.
    for (const { fits, breaks } of edgeBudgets()) {
      const results = await Promise.all(guards.map((g) => holds(g.condition, assign(base, breaks, false))));
      if (!results.includes(false)) {
        out.push(
          violation(
            this.id,
            api,
            `no precondition refuses ${describeBudget(breaks)}${results.includes(undefined) ? ' (a condition the evaluator cannot read guards nothing)' : ''}`,
          ),
        );
        break;
      }
      for (const guard of guards) {
        if ((await holds(guard.condition, assign(base, fits, false))) === false) {
          out.push(
            violation(this.id, guard.block, `a precondition refuses ${describeBudget(fits)}, which fits`),
          );
          return out;
        }
      }
    }
    return out;
  },
};

/** The value of one environment variable of a function, as an expression, through merge() and locals. */
async function environmentValue(module: TfModule, fn: TfBlock, key: string): Promise<HclValue | undefined> {
  const variables = nested(fn.body, 'environment')[0]?.variables;
  const fromValue = async (value: HclValue | undefined): Promise<HclValue | undefined> => {
    if (isObject(value)) return value[key];
    if (typeof value !== 'string') return undefined;
    const ast = await templateAst(value);
    let found: HclValue | undefined;
    const visit = async (node: TFExpressionSyntaxTree.ExpressionType): Promise<void> => {
      if (TFExpressionSyntaxTree.isObjectExpression(node)) {
        const item = node.meta.items[key];
        if (item !== undefined) found = `\${${item}}`;
        return;
      }
      if (TFExpressionSyntaxTree.isScopeTraversalExpression(node)) {
        const [root, name] = node.meta.traversal.map((part) => part.segment);
        if (root === 'local' && name !== undefined) {
          const inner = await fromValue(module.locals.get(name)?.value);
          if (inner !== undefined) found = inner;
        }
        return;
      }
      for (const child of node.children ?? []) await visit(child);
    };
    if (ast) await visit(ast);
    return found;
  };
  return fromValue(variables);
}

/** The resource types a host expression names under a configuration (aws_db_proxy, aws_rds_cluster, ...). */
async function hostTypes(value: HclValue | undefined, context: EvaluationContext): Promise<string[]> {
  if (value === undefined) return [];
  const references = await referencesUnder(value, context);
  return [...new Set(references.map((reference) => reference.segments[0] ?? ''))];
}

const PROXY_TYPES = new Set(['aws_db_proxy', 'aws_db_proxy_endpoint']);

const rdsProxyWiring: Policy = {
  id: 'rds-proxy-wiring',
  title:
    'An optional RDS Proxy (TLS, private subnets) that both functions use when it exists, never with auto-pause',
  async check(module: TfModule, context?: PolicyContext) {
    const out: Violation[] = [];
    const proxies = resources(module, 'aws_db_proxy');
    if (proxies.length === 0) return [violation(this.id, 'aws_db_proxy', 'no RDS Proxy to turn on')];
    const publics = await publicSubnets(module);
    for (const proxy of proxies) {
      if (!(await reads(module, proxy.body.count, 'create_rds_proxy')))
        out.push(violation(this.id, proxy, 'count must follow var.create_rds_proxy (off by default)'));
      if (proxy.body.require_tls !== true) out.push(violation(this.id, proxy, 'require_tls must be true'));
      if (proxy.body.engine_family !== 'POSTGRESQL')
        out.push(violation(this.id, proxy, 'engine_family must be POSTGRESQL'));
      const subnets = (await expandedReferences(module, proxy.body.vpc_subnet_ids))
        .filter((reference) => reference.startsWith('aws_subnet.'))
        .map((reference) => reference.slice('aws_subnet.'.length));
      for (const subnet of subnets.filter((name) => publics.has(name)))
        out.push(violation(this.id, proxy, `vpc_subnet_ids include aws_subnet.${subnet}, a public subnet`));
    }
    const declaredDefault = module.blocks.find((b) => b.kind === 'variable' && b.name === 'create_rds_proxy')
      ?.body.default;
    if (declaredDefault !== false)
      out.push(violation(this.id, 'var.create_rds_proxy', 'must default to false'));

    // Where each function connects, with the proxy on and off.
    const base = evaluationContext(module, context);
    const withProxy = (on: boolean, instances: number): EvaluationContext => ({
      locals: base.locals,
      variables: { ...base.variables, create_rds_proxy: on, db_instance_count: instances },
    });
    for (const fn of resources(module, 'aws_lambda_function')) {
      for (const key of ['DB_HOST', 'DB_READER_HOST']) {
        const value = await environmentValue(module, fn, key);
        if (value === undefined) continue;
        for (const instances of [1, 2]) {
          let on: string[];
          let off: string[];
          try {
            on = await hostTypes(value, withProxy(true, instances));
            off = await hostTypes(value, withProxy(false, instances));
          } catch (error) {
            out.push(violation(this.id, fn, `${key} cannot be resolved: ${String(error)}`));
            break;
          }
          if (on.length === 0 || !on.every((type) => PROXY_TYPES.has(type)))
            out.push(
              violation(
                this.id,
                fn,
                `${key} must be the proxy's endpoint when create_rds_proxy is true (${instances} instance${instances > 1 ? 's' : ''}); it is ${on.join(', ') || 'nothing'}`,
              ),
            );
          if (off.some((type) => PROXY_TYPES.has(type)) || !off.includes('aws_rds_cluster'))
            out.push(
              violation(this.id, fn, `${key} must be the cluster's endpoint when create_rds_proxy is false`),
            );
        }
      }
    }

    // No admitted configuration has both a proxy and auto-pause.
    const guarded = [...resources(module, 'aws_rds_cluster'), ...proxies];
    const breach = await findBreach(
      module,
      {
        reads: [variableRef('create_rds_proxy'), variableRef('db_min_capacity')],
        async breach(candidate) {
          const proxy = candidate.variables.create_rds_proxy === true;
          return proxy && candidate.variables.db_min_capacity === 0
            ? 'an RDS Proxy in front of a cluster that auto-pauses (db_min_capacity 0)'
            : undefined;
        },
      },
      guarded,
      context,
    );
    if (breach) out.push(violation(this.id, 'aws_rds_cluster', describeBreach(breach)));
    return out;
  },
};

export { auroraMaxConnections, dbConnectionBudget, rdsProxyWiring };
