import { evaluateNumber } from '../support/expressions.ts';
import { resources, type TfBlock, type TfModule } from '../support/hcl.ts';
import { deadLetterQueues } from './encryption.ts';
import { describeBreach, findBreach, type Rule } from './guarantees.ts';
import {
  nested,
  numberOf,
  policyDocuments,
  referencedNames,
  resourceNamed,
  scalarOf,
  statementsOf,
  stringList,
  violation,
} from './helpers.ts';
import type { Policy, PolicyContext, Violation } from './types.ts';

/** Event source mappings reading an SQS queue, with the queue and the function (through an alias or not). */
async function sqsMappings(module: TfModule) {
  const out: Array<{ mapping: TfBlock; queue: TfBlock | undefined; fn: TfBlock | undefined }> = [];
  for (const mapping of resources(module, 'aws_lambda_event_source_mapping')) {
    const queues = await referencedNames(mapping.body.event_source_arn, 'aws_sqs_queue');
    if (queues.length === 0) continue;
    const queue = queues[0] ? resourceNamed(module, 'aws_sqs_queue', queues[0]) : undefined;
    let functions = await referencedNames(mapping.body.function_name, 'aws_lambda_function');
    for (const aliasName of await referencedNames(mapping.body.function_name, 'aws_lambda_alias')) {
      const alias = resourceNamed(module, 'aws_lambda_alias', aliasName);
      if (alias)
        functions = [
          ...functions,
          ...(await referencedNames(alias.body.function_name, 'aws_lambda_function')),
        ];
    }
    const fn = functions[0] ? resourceNamed(module, 'aws_lambda_function', functions[0]) : undefined;
    out.push({ mapping, queue, fn });
  }
  return out;
}

const visibilityTimeout: Policy = {
  id: 'queue-visibility-timeout',
  title:
    'The queue visibility timeout is at least 6 x the subscriber timeout, for every input validations and preconditions admit',
  async check(module: TfModule, context?: PolicyContext) {
    const out: Violation[] = [];
    for (const { mapping, queue, fn } of await sqsMappings(module)) {
      if (!queue || !fn) {
        out.push(violation(this.id, mapping, 'cannot find the queue and function of this mapping'));
        continue;
      }
      const visibilityValue = queue.body.visibility_timeout_seconds ?? 30;
      const timeoutValue = fn.body.timeout ?? 3;
      const visibility = await numberOf(module, visibilityValue, context);
      const timeout = await numberOf(module, timeoutValue, context);
      if (visibility === undefined || timeout === undefined) {
        out.push(violation(this.id, queue, 'visibility timeout or function timeout cannot be evaluated'));
      } else if (visibility < 6 * timeout) {
        out.push(violation(this.id, queue, `visibility ${visibility}s < 6 x timeout ${timeout}s`));
      }
      // Lambda refuses the mapping otherwise, so no input may reach apply with a shorter visibility.
      const rule: Rule = {
        reads: [visibilityValue, timeoutValue],
        async breach(evaluation) {
          const seconds = await evaluateNumber(visibilityValue, evaluation);
          const limit = await evaluateNumber(timeoutValue, evaluation);
          return seconds < 6 * limit ? `visibility ${seconds}s < 6 x timeout ${limit}s` : undefined;
        },
      };
      const breach = await findBreach(module, rule, [queue, mapping, fn], context);
      if (breach) out.push(violation(this.id, queue, describeBreach(breach)));
    }
    return out;
  },
};

const dlqAttached: Policy = {
  id: 'dlq-attached',
  title: 'Every consumed queue redrives to a DLQ that keeps messages longer',
  async check(module: TfModule, context?: PolicyContext) {
    const out: Violation[] = [];
    const dlqs = await deadLetterQueues(module);
    for (const { mapping, queue } of await sqsMappings(module)) {
      if (!queue) {
        out.push(violation(this.id, mapping, 'consumed queue not declared'));
        continue;
      }
      const targets = (await referencedNames(queue.body.redrive_policy, 'aws_sqs_queue')).filter(
        (n) => n !== queue.name,
      );
      const text = typeof queue.body.redrive_policy === 'string' ? queue.body.redrive_policy : '';
      const dlq = targets[0] ? resourceNamed(module, 'aws_sqs_queue', targets[0]) : undefined;
      if (!dlq || !dlqs.includes(dlq.name) || !/maxReceiveCount/.test(text)) {
        out.push(
          violation(this.id, queue, 'needs redrive_policy with deadLetterTargetArn and maxReceiveCount'),
        );
        continue;
      }
      const queueRetention = await numberOf(module, queue.body.message_retention_seconds ?? 345600, context);
      const dlqRetention = await numberOf(module, dlq.body.message_retention_seconds ?? 345600, context);
      if (queueRetention === undefined || dlqRetention === undefined || dlqRetention <= queueRetention) {
        out.push(violation(this.id, dlq, 'the DLQ must keep messages longer than its source queue'));
      }
    }
    return out;
  },
};

const queuePolicyTopicOnly: Policy = {
  id: 'queue-policy-topic-only',
  title: 'The queue policy lets only the SNS topic send',
  async check(module: TfModule) {
    const out: Violation[] = [];
    for (const { queue } of await sqsMappings(module)) {
      if (!queue) continue;
      const policies: TfBlock[] = [];
      for (const policy of resources(module, 'aws_sqs_queue_policy')) {
        if ((await referencedNames(policy.body.queue_url, 'aws_sqs_queue')).includes(queue.name))
          policies.push(policy);
      }
      if (policies.length === 0) {
        out.push(violation(this.id, queue, 'has no aws_sqs_queue_policy'));
        continue;
      }
      for (const policy of policies) {
        const names = await referencedNames(policy.body.policy, 'aws_iam_policy_document', true);
        const document = policyDocuments(module).find((doc) => names.includes(doc.name));
        if (!document) {
          out.push(violation(this.id, policy, 'policy must come from an aws_iam_policy_document'));
          continue;
        }
        for (const statement of statementsOf(document)) {
          if ((await scalarOf(module, statement.effect)) === 'Deny') continue;
          const principals = nested(statement, 'principals');
          const snsOnly =
            principals.length > 0 &&
            principals.every(
              (p) => p.type === 'Service' && JSON.stringify(p.identifiers) === '["sns.amazonaws.com"]',
            );
          const sourceArn = nested(statement, 'condition').find((c) => c.variable === 'aws:SourceArn');
          const fromTopic = sourceArn
            ? (await referencedNames(sourceArn.values, 'aws_sns_topic')).length > 0
            : false;
          const actions = stringList(module, statement.actions) ?? [];
          if (!snsOnly || !fromTopic || actions.join() !== 'sqs:SendMessage') {
            out.push(
              violation(
                this.id,
                document,
                'allow statements must be sqs:SendMessage from sns.amazonaws.com with aws:SourceArn = the topic',
              ),
            );
          }
        }
      }
    }
    return out;
  },
};

const noDirectSnsToLambda: Policy = {
  id: 'no-direct-sns-lambda',
  title: 'SNS delivers to a queue, never straight to a function',
  async check(module: TfModule) {
    const out: Violation[] = [];
    for (const subscription of resources(module, 'aws_sns_topic_subscription')) {
      const protocol = await scalarOf(module, subscription.body.protocol);
      if (protocol === 'lambda')
        out.push(violation(this.id, subscription, 'subscribe a queue, not a function'));
    }
    const queued: TfBlock[] = [];
    for (const subscription of resources(module, 'aws_sns_topic_subscription')) {
      if ((await referencedNames(subscription.body.endpoint, 'aws_sqs_queue')).length > 0)
        queued.push(subscription);
    }
    if (resources(module, 'aws_sns_topic').length > 0 && queued.length === 0) {
      out.push(violation(this.id, 'aws_sns_topic_subscription', 'no topic delivers to a queue'));
    }
    return out;
  },
};

export { dlqAttached, noDirectSnsToLambda, queuePolicyTopicOnly, sqsMappings, visibilityTimeout };
