import { resources, type TfModule } from '../support/hcl.ts';
import { deadLetterQueues } from './encryption.ts';
import { expandedReferences, referencedNames, scalarOf, violation } from './helpers.ts';
import { sqsMappings } from './pubsub.ts';
import type { Policy, Violation } from './types.ts';

/** Names of `type` resources that alarms on namespace/metric watch, through dimensions or for_each (locals expanded). */
async function alarmsOn(
  module: TfModule,
  namespace: string,
  metric: string,
  type: string,
): Promise<string[]> {
  const found: string[] = [];
  for (const alarm of resources(module, 'aws_cloudwatch_metric_alarm')) {
    if (alarm.body.namespace !== namespace || alarm.body.metric_name !== metric) continue;
    const references = [
      ...(await expandedReferences(module, alarm.body.dimensions)),
      ...(await expandedReferences(module, alarm.body.for_each)),
    ];
    found.push(
      ...references.filter((ref) => ref.startsWith(`${type}.`)).map((ref) => ref.slice(type.length + 1)),
    );
  }
  return found;
}

const dlqAlarm: Policy = {
  id: 'dlq-alarm',
  title: 'Every DLQ has an alarm on any visible message',
  async check(module: TfModule) {
    const out: Violation[] = [];
    const alarmed = new Set<string>();
    for (const alarm of resources(module, 'aws_cloudwatch_metric_alarm')) {
      if (
        alarm.body.namespace !== 'AWS/SQS' ||
        alarm.body.metric_name !== 'ApproximateNumberOfMessagesVisible'
      )
        continue;
      const threshold = await scalarOf(module, alarm.body.threshold);
      if (threshold !== 0 || alarm.body.comparison_operator !== 'GreaterThanThreshold') continue;
      for (const name of await referencedNames(alarm.body.dimensions, 'aws_sqs_queue')) alarmed.add(name);
    }
    for (const dlq of await deadLetterQueues(module)) {
      if (!alarmed.has(dlq))
        out.push(
          violation(
            this.id,
            `aws_sqs_queue.${dlq}`,
            'needs an alarm on ApproximateNumberOfMessagesVisible > 0',
          ),
        );
    }
    return out;
  },
};

const pipelineAlarms: Policy = {
  id: 'pipeline-alarms',
  title: 'Queue age, function errors and throttles, and Function URL 5xx raise alarms',
  async check(module: TfModule) {
    const out: Violation[] = [];
    const aged = await alarmsOn(module, 'AWS/SQS', 'ApproximateAgeOfOldestMessage', 'aws_sqs_queue');
    for (const { queue } of await sqsMappings(module)) {
      if (queue && !aged.includes(queue.name))
        out.push(violation(this.id, queue, 'needs an ApproximateAgeOfOldestMessage alarm'));
    }
    const functions = resources(module, 'aws_lambda_function').map((fn) => fn.name);
    for (const metric of ['Errors', 'Throttles']) {
      const covered = await alarmsOn(module, 'AWS/Lambda', metric, 'aws_lambda_function');
      for (const fn of functions.filter((name) => !covered.includes(name))) {
        out.push(violation(this.id, `aws_lambda_function.${fn}`, `needs a ${metric} alarm`));
      }
    }
    const urlFunctions: string[] = [];
    for (const url of resources(module, 'aws_lambda_function_url')) {
      urlFunctions.push(...(await referencedNames(url.body.function_name, 'aws_lambda_function')));
    }
    const five = await alarmsOn(module, 'AWS/Lambda', 'Url5xxCount', 'aws_lambda_function');
    for (const fn of urlFunctions.filter((name) => !five.includes(name))) {
      out.push(violation(this.id, `aws_lambda_function.${fn}`, 'needs a Url5xxCount alarm'));
    }
    return out;
  },
};

export { dlqAlarm, pipelineAlarms };
