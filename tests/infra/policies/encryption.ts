import { resources } from '../support/hcl.ts';
import { referencedNames, resourceNamed, scalarOf, violation } from './helpers.ts';
import type { Policy, Violation } from './types.ts';

const auroraStorageEncrypted: Policy = {
  id: 'aurora-storage-encrypted',
  title: 'Aurora clusters encrypt their storage',
  async check(module) {
    return resources(module, 'aws_rds_cluster')
      .filter((cluster) => cluster.body.storage_encrypted !== true)
      .map((cluster) => violation(this.id, cluster, 'storage_encrypted must be true'));
  },
};

const snsEncrypted: Policy = {
  id: 'sns-encrypted',
  title: 'SNS topics are encrypted with KMS',
  async check(module) {
    return resources(module, 'aws_sns_topic')
      .filter(
        (topic) => typeof topic.body.kms_master_key_id !== 'string' || topic.body.kms_master_key_id === '',
      )
      .map((topic) => violation(this.id, topic, 'kms_master_key_id must be set'));
  },
};

async function queueEncryptionViolations(
  module: Parameters<Policy['check']>[0],
  id: string,
  names?: readonly string[],
): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const queue of resources(module, 'aws_sqs_queue')) {
    if (names && !names.includes(queue.name)) continue;
    const kms = queue.body.kms_master_key_id;
    const managed = await scalarOf(module, queue.body.sqs_managed_sse_enabled);
    if ((typeof kms === 'string' && kms !== '') || managed === true) continue;
    out.push(violation(id, queue, 'needs kms_master_key_id or sqs_managed_sse_enabled = true'));
  }
  return out;
}

const sqsEncrypted: Policy = {
  id: 'sqs-encrypted',
  title: 'SQS queues are encrypted at rest',
  async check(module) {
    return queueEncryptionViolations(module, this.id);
  },
};

/** Queues named as deadLetterTargetArn by some redrive policy. */
async function deadLetterQueues(module: Parameters<Policy['check']>[0]): Promise<string[]> {
  const names = new Set<string>();
  for (const queue of resources(module, 'aws_sqs_queue')) {
    for (const name of await referencedNames(queue.body.redrive_policy, 'aws_sqs_queue')) {
      if (name !== queue.name) names.add(name);
    }
  }
  for (const redrive of resources(module, 'aws_sqs_queue_redrive_policy')) {
    for (const name of await referencedNames(redrive.body.redrive_policy, 'aws_sqs_queue')) names.add(name);
  }
  return [...names];
}

const dlqEncrypted: Policy = {
  id: 'dlq-encrypted',
  title: 'Dead-letter queues are encrypted at rest',
  async check(module) {
    const dlqs = await deadLetterQueues(module);
    const missing = dlqs
      .filter((name) => resourceNamed(module, 'aws_sqs_queue', name) === undefined)
      .map((name) => violation(this.id, `aws_sqs_queue.${name}`, 'dead-letter queue not declared'));
    return [...missing, ...(await queueEncryptionViolations(module, this.id, dlqs))];
  },
};

export { auroraStorageEncrypted, deadLetterQueues, dlqEncrypted, snsEncrypted, sqsEncrypted };
