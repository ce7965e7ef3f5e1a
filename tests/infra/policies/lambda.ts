import { evaluateNumber } from '../support/expressions.ts';
import { resources, type TfModule } from '../support/hcl.ts';
import { describeBreach, findBreach, type Rule } from './guarantees.ts';
import { nested, numberOf, referencedNames, resourceNamed, scalarOf, violation } from './helpers.ts';
import { privateSubnetProblems } from './network.ts';
import { sqsMappings } from './pubsub.ts';
import type { Policy, PolicyContext, Violation } from './types.ts';

const reportBatchItemFailures: Policy = {
  id: 'report-batch-item-failures',
  title: 'SQS event source mappings report partial batch failures',
  async check(module: TfModule) {
    const out: Violation[] = [];
    for (const { mapping } of await sqsMappings(module)) {
      const types = mapping.body.function_response_types;
      if (!Array.isArray(types) || !types.includes('ReportBatchItemFailures')) {
        out.push(violation(this.id, mapping, 'function_response_types must include ReportBatchItemFailures'));
      }
    }
    return out;
  },
};

const mappingProtectsDatabase: Policy = {
  id: 'esm-bounded-concurrency',
  title:
    'SQS mappings cap concurrency (2-1000) and guard batches above 10 with a batching window, for every input validations and preconditions admit',
  async check(module: TfModule, context?: PolicyContext) {
    const out: Violation[] = [];
    for (const { mapping, fn } of await sqsMappings(module)) {
      const scaling = nested(mapping.body, 'scaling_config')[0];
      const concurrencyValue = scaling?.maximum_concurrency;
      const batchValue = mapping.body.batch_size ?? 10;
      const windowValue = mapping.body.maximum_batching_window_in_seconds ?? 0;
      const maximum = await numberOf(module, concurrencyValue, context);
      if (maximum === undefined || maximum < 2 || maximum > 1000) {
        out.push(violation(this.id, mapping, 'scaling_config.maximum_concurrency must be 2-1000'));
      }
      const batch = await numberOf(module, batchValue, context);
      const window = await numberOf(module, windowValue, context);
      if (batch === undefined || window === undefined || batch > 10000 || (batch > 10 && window < 1)) {
        out.push(
          violation(this.id, mapping, 'batch size must be <= 10000, and above 10 needs a window >= 1'),
        );
      }
      const guarded = fn ? [mapping, fn] : [mapping];
      const rules: Rule[] = [
        {
          // Lambda rejects a batch size above 10 without a window; 10000 is the standard-queue maximum.
          reads: [batchValue, windowValue],
          async breach(evaluation) {
            const size = await evaluateNumber(batchValue, evaluation);
            const seconds = await evaluateNumber(windowValue, evaluation);
            if (size > 10000) return `batch size ${size}`;
            return size > 10 && seconds < 1
              ? `batch size ${size} with a batching window of ${seconds}s`
              : undefined;
          },
        },
      ];
      if (concurrencyValue !== undefined) {
        rules.push({
          // Lambda accepts 2-1000; the cap times the pool size bounds the database connections.
          reads: [concurrencyValue],
          async breach(evaluation) {
            const cap = await evaluateNumber(concurrencyValue, evaluation);
            return cap < 2 || cap > 1000 ? `maximum_concurrency ${cap}` : undefined;
          },
        });
      }
      for (const rule of rules) {
        const breach = await findBreach(module, rule, guarded, context);
        if (breach) out.push(violation(this.id, mapping, describeBreach(breach)));
      }
    }
    return out;
  },
};

const functionUrlNotPublicByDefault: Policy = {
  id: 'function-url-auth-not-none',
  title: 'Function URLs use AWS_IAM unless a variable deliberately says NONE',
  async check(module: TfModule) {
    const out: Violation[] = [];
    for (const url of resources(module, 'aws_lambda_function_url')) {
      const auth = await scalarOf(module, url.body.authorization_type);
      if (auth !== 'AWS_IAM')
        out.push(violation(this.id, url, `authorization_type defaults to ${String(auth)}, not AWS_IAM`));
    }
    return out;
  },
};

const functionUrlPermissions: Policy = {
  id: 'function-url-permissions',
  title: 'Each Function URL has both permissions new URLs need',
  async check(module: TfModule) {
    const out: Violation[] = [];
    const permissions = resources(module, 'aws_lambda_permission');
    for (const url of resources(module, 'aws_lambda_function_url')) {
      const functions = await referencedNames(url.body.function_name, 'aws_lambda_function');
      const matching = [];
      for (const permission of permissions) {
        const target = await referencedNames(permission.body.function_name, 'aws_lambda_function');
        if (
          target.some((name) => functions.includes(name)) &&
          permission.body.qualifier === url.body.qualifier
        ) {
          matching.push(permission);
        }
      }
      const urlPermission = matching.some(
        (p) => p.body.action === 'lambda:InvokeFunctionUrl' && p.body.function_url_auth_type !== undefined,
      );
      const invokePermission = matching.some(
        (p) => p.body.action === 'lambda:InvokeFunction' && p.body.invoked_via_function_url === true,
      );
      if (!urlPermission)
        out.push(violation(this.id, url, 'missing lambda:InvokeFunctionUrl with function_url_auth_type'));
      if (!invokePermission) {
        out.push(
          violation(this.id, url, 'missing lambda:InvokeFunction with invoked_via_function_url = true'),
        );
      }
    }
    return out;
  },
};

const logRetention: Policy = {
  id: 'log-retention',
  title: 'Every log group has a retention and every function logs to one',
  async check(module: TfModule, context?: PolicyContext) {
    const out: Violation[] = [];
    for (const group of resources(module, 'aws_cloudwatch_log_group')) {
      const days = await numberOf(module, group.body.retention_in_days, context);
      if (days === undefined || days <= 0)
        out.push(violation(this.id, group, 'retention_in_days must be set'));
    }
    for (const fn of resources(module, 'aws_lambda_function')) {
      const logging = nested(fn.body, 'logging_config')[0];
      const groups = await referencedNames(logging?.log_group, 'aws_cloudwatch_log_group');
      const group = groups[0] ? resourceNamed(module, 'aws_cloudwatch_log_group', groups[0]) : undefined;
      if (!group)
        out.push(violation(this.id, fn, 'logging_config.log_group must reference a managed log group'));
    }
    return out;
  },
};

const lambdaInVpc: Policy = {
  id: 'lambda-in-private-subnets',
  title: 'Functions run in private subnets (no internet gateway route, no public IPs) with a security group',
  async check(module: TfModule, context?: PolicyContext) {
    const out: Violation[] = [];
    for (const fn of resources(module, 'aws_lambda_function')) {
      const vpc = nested(fn.body, 'vpc_config')[0];
      if (!vpc) {
        out.push(violation(this.id, fn, 'vpc_config needs private subnet_ids and a security group'));
        continue;
      }
      if ((await referencedNames(vpc.security_group_ids, 'aws_security_group')).length === 0)
        out.push(violation(this.id, fn, 'vpc_config.security_group_ids must reference a security group'));
      for (const problem of await privateSubnetProblems(module, vpc.subnet_ids, context))
        out.push(violation(this.id, fn, `subnet_ids ${problem}`));
    }
    return out;
  },
};

export {
  functionUrlNotPublicByDefault,
  functionUrlPermissions,
  lambdaInVpc,
  logRetention,
  mappingProtectsDatabase,
  reportBatchItemFailures,
};
