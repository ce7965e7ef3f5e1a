import { describe, expect, it } from 'vitest';
import { POLICIES } from './policies/index.ts';
import { mutatedPipeline } from './support/fixtures.ts';

/** An HCL interpolation, spelled without a template placeholder in a TypeScript string. */
const interpolation = (expression: string): string => ['$', '{', expression, '}'].join('');

/** Each row breaks one rule in a copy of the real module; the matching policy must notice. */
const MUTATIONS: ReadonlyArray<readonly [policy: string, file: string, from: string, to: string]> = [
  ['aurora-storage-encrypted', 'rds.tf', 'storage_encrypted = true', 'storage_encrypted = false'],
  [
    'sns-encrypted',
    'pubsub.tf',
    `  name              = "${interpolation('var.name')}-events"\n  kms_master_key_id = aws_kms_key.this.arn\n`,
    `  name = "${interpolation('var.name')}-events"\n`,
  ],
  [
    'sqs-encrypted',
    'pubsub.tf',
    'kms_master_key_id                 = aws_kms_key.this.arn\n  kms_data_key_reuse_period_seconds = 300\n\n  redrive',
    'redrive',
  ],
  [
    'dlq-encrypted',
    'pubsub.tf',
    '  kms_master_key_id                 = aws_kms_key.this.arn\n  kms_data_key_reuse_period_seconds = 300\n  tags',
    '  tags',
  ],
  ['db-not-public', 'rds.tf', 'publicly_accessible = false', 'publicly_accessible = true'],
  [
    'db-private-subnets',
    'rds.tf',
    'subnet_ids  = local.private_subnet_ids',
    'subnet_ids  = aws_subnet.public[*].id',
  ],
  [
    'db-managed-master-password',
    'rds.tf',
    'manage_master_user_password = true',
    'manage_master_user_password = false',
  ],
  ['db-force-ssl', 'rds.tf', 'value = "1"', 'value = "0"'],
  [
    'db-ingress-lambda-only',
    'security-groups.tf',
    'referenced_security_group_id = aws_security_group.lambda.id\n}',
    'cidr_ipv4 = "10.0.0.0/8"\n}',
  ],
  [
    'no-literal-secrets',
    'rds.tf',
    'manage_master_user_password = true',
    'master_password = "correct-horse-battery"',
  ],
  ['queue-visibility-timeout', 'main.tf', '6 * var.subscriber_timeout)', '3 * var.subscriber_timeout)'],
  ['dlq-attached', 'variables.tf', 'default     = 1209600', 'default     = 60'],
  [
    'queue-policy-topic-only',
    'pubsub.tf',
    'identifiers = ["sns.amazonaws.com"]',
    'identifiers = ["s3.amazonaws.com"]',
  ],
  ['no-direct-sns-lambda', 'pubsub.tf', 'protocol             = "sqs"', 'protocol             = "lambda"'],
  [
    'report-batch-item-failures',
    'lambda-sub.tf',
    'function_response_types = ["ReportBatchItemFailures"]',
    '',
  ],
  [
    'esm-bounded-concurrency',
    'variables.tf',
    'default     = 5\n\n  validation {\n    condition     = var.subscriber_max_concurrency',
    'default     = 1\n\n  validation {\n    condition     = var.subscriber_max_concurrency',
  ],
  ['function-url-auth-not-none', 'variables.tf', 'default     = "AWS_IAM"', 'default     = "NONE"'],
  [
    'function-url-permissions',
    'lambda-api.tf',
    'invoked_via_function_url = true',
    'invoked_via_function_url = false',
  ],
  ['no-iam-wildcard-action', 'iam.tf', 'actions   = ["sns:Publish"]', 'actions   = ["sns:*"]'],
  ['wildcard-resource-justified', 'iam.tf', 'resources = [aws_sns_topic.this.arn]', 'resources = ["*"]'],
  ['deploy-trust-scoped', 'iam-deploy.tf', `"repo:${interpolation('var.github_repository')}:*"`, '"repo:*"'],
  ['log-retention', 'lambda-api.tf', '  retention_in_days = var.log_retention_days\n', ''],
  [
    'lambda-in-private-subnets',
    'lambda-api.tf',
    'subnet_ids         = local.private_subnet_ids',
    'subnet_ids         = aws_subnet.public[*].id',
  ],
  ['ecr-scan-immutable', 'ecr.tf', 'scan_on_push = true', 'scan_on_push = false'],
  ['provider-pinned', 'versions.tf', '>= 6.29.0, < 7.0.0', '>= 6.0.0'],
  [
    'dlq-alarm',
    'monitoring.tf',
    'dimensions          = { QueueName = aws_sqs_queue.dlq.name }',
    'dimensions          = { QueueName = "other" }',
  ],
  [
    'pipeline-alarms',
    'monitoring.tf',
    'metric_name         = "Url5xxCount"',
    'metric_name         = "Url4xxCount"',
  ],
  [
    'live-alias-routing',
    'lambda-sub.tf',
    'function_name                      = aws_lambda_alias.subscriber_live.arn',
    'function_name                      = aws_lambda_function.subscriber.arn',
  ],
  [
    'deploys-own-image-and-alias',
    'lambda-api.tf',
    'ignore_changes = [function_version]',
    'ignore_changes = []',
  ],
  ['slo-burn-rate-pages', 'slo.tf', 'stat = "PR(:250)"', 'stat = "p99"'],
  ['contract-environment', 'lambda.tf', 'DB_HOST             =', 'DATABASE_HOST       ='],
  [
    'migrate-invoke-deploy-only',
    'iam.tf',
    'actions   = ["sns:Publish"]',
    'actions   = ["sns:Publish", "lambda:InvokeFunction"]',
  ],
];

describe('breaking a policy in a copy of the module', () => {
  it('covers every policy', () => {
    expect(new Set(MUTATIONS.map(([policy]) => policy))).toEqual(
      new Set(POLICIES.map((policy) => policy.id)),
    );
  });

  it.each(MUTATIONS)('%s fails when %s is changed', async (id, file, from, to) => {
    const policy = POLICIES.find((candidate) => candidate.id === id);
    const module = await mutatedPipeline(file, from, to);

    const violations = await policy?.check(module);

    expect(violations?.length).toBeGreaterThan(0);
  });
});
