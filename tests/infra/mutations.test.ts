import { describe, expect, it } from 'vitest';
import { POLICIES } from './policies/index.ts';
import { mutatedPipeline } from './support/fixtures.ts';

/** An HCL interpolation, spelled without a template placeholder in a TypeScript string. */
const interpolation = (expression: string): string => ['$', '{', expression, '}'].join('');

/** One rule broken in a copy of the real module: the text replaced, and what the policy must say about it. */
interface Mutation {
  readonly policy: string;
  readonly change: string;
  readonly file: string;
  readonly from: string;
  readonly to: string;
  readonly message: RegExp;
}

const MUTATIONS: readonly Mutation[] = [
  {
    policy: 'aurora-storage-encrypted',
    change: 'storage encryption off',
    file: 'rds.tf',
    from: 'storage_encrypted = true',
    to: 'storage_encrypted = false',
    message: /storage_encrypted must be true/,
  },
  {
    policy: 'sns-encrypted',
    change: 'the topic loses its KMS key',
    file: 'pubsub.tf',
    from: `  name              = "${interpolation('var.name')}-events"\n  kms_master_key_id = aws_kms_key.this.arn\n`,
    to: `  name = "${interpolation('var.name')}-events"\n`,
    message: /kms_master_key_id/,
  },
  {
    policy: 'sqs-encrypted',
    change: 'the queue loses its KMS key',
    file: 'pubsub.tf',
    from: 'kms_master_key_id                 = aws_kms_key.this.arn\n  kms_data_key_reuse_period_seconds = 300\n\n  redrive',
    to: 'redrive',
    message: /kms_master_key_id or sqs_managed_sse_enabled/,
  },
  {
    policy: 'dlq-encrypted',
    change: 'the DLQ loses its KMS key',
    file: 'pubsub.tf',
    from: '  kms_master_key_id                 = aws_kms_key.this.arn\n  kms_data_key_reuse_period_seconds = 300\n  tags',
    to: '  tags',
    message: /kms_master_key_id or sqs_managed_sse_enabled/,
  },
  {
    policy: 'db-not-public',
    change: 'instances publicly accessible',
    file: 'rds.tf',
    from: 'publicly_accessible = false',
    to: 'publicly_accessible = true',
    message: /publicly_accessible must be explicitly false/,
  },
  {
    policy: 'db-private-subnets',
    change: 'the subnet group takes the public subnets',
    file: 'rds.tf',
    from: 'subnet_ids  = local.private_subnet_ids',
    to: 'subnet_ids  = aws_subnet.public[*].id',
    message: /uses public subnets: public/,
  },
  {
    policy: 'db-managed-master-password',
    change: 'RDS no longer manages the password',
    file: 'rds.tf',
    from: 'manage_master_user_password = true',
    to: 'manage_master_user_password = false',
    message: /manage_master_user_password must be true/,
  },
  {
    policy: 'db-force-ssl',
    change: 'rds.force_ssl = 0',
    file: 'rds.tf',
    from: 'value = "1"',
    to: 'value = "0"',
    message: /rds.force_ssl = 1/,
  },
  {
    policy: 'db-ingress-lambda-only',
    change: 'the database admits a CIDR',
    file: 'security-groups.tf',
    from: 'referenced_security_group_id = aws_security_group.lambda.id\n}',
    to: 'cidr_ipv4 = "10.0.0.0/8"\n}',
    message: /never a CIDR/,
  },
  {
    policy: 'db-ingress-lambda-only',
    change: 'the database admits its own security group',
    file: 'security-groups.tf',
    from: 'referenced_security_group_id = aws_security_group.lambda.id\n}',
    to: 'referenced_security_group_id = aws_security_group.db.id\n}',
    message: /admits aws_security_group\.db, the database's own group/,
  },
  {
    policy: 'db-ingress-lambda-only',
    change: 'the database admits the VPC endpoints group',
    file: 'security-groups.tf',
    from: 'referenced_security_group_id = aws_security_group.lambda.id\n}',
    to: 'referenced_security_group_id = aws_security_group.vpc_endpoints[0].id\n}',
    message: /admits aws_security_group\.vpc_endpoints, which no Lambda function uses/,
  },
  {
    policy: 'db-iam-own-user',
    change: 'the API may connect as any database user',
    file: 'iam.tf',
    from: `resources = ["${interpolation('local.db_user_arn_prefix')}/${interpolation('local.db_users.api')}"]`,
    to: `resources = ["${interpolation('local.db_user_arn_prefix')}/*"]`,
    message:
      /its role may connect as arn:.*:dbuser:\$\{aws_rds_cluster\.this\.cluster_resource_id\}\/\*, not only as its own user ingesta_api/,
  },
  {
    policy: 'db-iam-own-user',
    change: 'IAM authentication off on the cluster',
    file: 'rds.tf',
    from: 'iam_database_authentication_enabled = true',
    to: 'iam_database_authentication_enabled = false',
    message: /iam_database_authentication_enabled must be true/,
  },
  {
    policy: 'db-iam-own-user',
    change: 'the subscriber logs in as the API user',
    file: 'lambda-sub.tf',
    from: 'DB_USER               = local.db_users.subscriber',
    to: 'DB_USER               = local.db_users.api',
    message: /shares the database user ingesta_api with api/,
  },
  {
    policy: 'db-master-secret-migrations-only',
    change: 'the API reads the master secret again',
    file: 'iam.tf',
    from: `actions   = ["rds-db:connect"]\n    resources = ["${interpolation('local.db_user_arn_prefix')}/${interpolation('local.db_users.api')}"]`,
    to: 'actions   = ["secretsmanager:GetSecretValue"]\n    resources = [local.db_secret_arn]',
    message:
      /lets api read .*aws_rds_cluster\.this\.master_user_secret.*: only the function that runs migrations may read the master secret/,
  },
  {
    policy: 'db-master-secret-migrations-only',
    change: 'the API gets DB_SECRET_ARN',
    file: 'lambda-api.tf',
    from: '      DB_USER               = local.db_users.api\n',
    to: '      DB_USER               = local.db_users.api\n      DB_SECRET_ARN         = local.db_secret_arn\n',
    message: /gets DB_SECRET_ARN, but it does not run migrations/,
  },
  {
    policy: 'db-timeouts-before-lambda-timeout',
    change: 'the API deadline is its whole timeout',
    file: 'lambda-api.tf',
    from: 'API_DEADLINE_MS       = tostring(var.api_deadline_ms)',
    to: 'API_DEADLINE_MS       = tostring(var.api_timeout * 1000)',
    message: /is configured with the API's deadline 10000 ms past its timeout 10 s less 1 s/,
  },
  {
    policy: 'db-timeouts-before-lambda-timeout',
    change: 'the connect-timeout precondition only asks for a positive value',
    file: 'lambda.tf',
    from: 'condition     = var.api_db_connect_timeout_ms < var.api_deadline_ms',
    to: 'condition     = var.api_db_connect_timeout_ms > 0',
    message:
      /validations and preconditions admit the API's connect timeout 100 ms not below its deadline 100 ms \(api_db_connect_timeout_ms = 100, api_deadline_ms = 100\)/,
  },
  {
    policy: 'db-timeouts-before-lambda-timeout',
    change: 'the deadline precondition forgets the margin',
    file: 'lambda.tf',
    from: 'condition     = var.api_deadline_ms <= var.api_timeout * 1000 - 1000',
    to: 'condition     = var.api_deadline_ms <= var.api_timeout * 1000',
    message:
      /validations and preconditions admit the API's deadline 100 ms past its timeout 1 s less 1 s \(api_deadline_ms = 100, api_timeout = 1\)/,
  },
  {
    policy: 'db-timeouts-before-lambda-timeout',
    change: "the subscriber's connect-timeout precondition forgets the margin",
    file: 'lambda.tf',
    from: 'condition     = var.subscriber_db_connect_timeout_ms < var.subscriber_timeout * 1000 - 1000',
    to: 'condition     = var.subscriber_db_connect_timeout_ms < var.subscriber_timeout * 1000',
    message:
      /validations and preconditions admit a connect timeout of 100 ms not below the timeout 1 s less 1 s \(subscriber_db_connect_timeout_ms = 100, subscriber_timeout = 1\)/,
  },
  {
    policy: 'no-literal-secrets',
    change: 'a literal master password',
    file: 'rds.tf',
    from: 'manage_master_user_password = true',
    to: 'master_password = "correct-horse-battery"',
    message: /a secret must not be written in a file/,
  },
  {
    policy: 'queue-visibility-timeout',
    change: 'the visibility defaults to 3 x the timeout',
    file: 'main.tf',
    from: '6 * var.subscriber_timeout)',
    to: '3 * var.subscriber_timeout)',
    message: /visibility 90s < 6 x timeout 30s/,
  },
  {
    policy: 'queue-visibility-timeout',
    change: 'the precondition only asks for a positive visibility',
    file: 'pubsub.tf',
    from: 'condition     = local.queue_visibility_timeout_seconds >= 6 * var.subscriber_timeout',
    to: 'condition     = local.queue_visibility_timeout_seconds > 0 && var.subscriber_timeout > 0',
    message:
      /validations and preconditions admit visibility 1s < 6 x timeout 1s \(sqs_visibility_timeout_seconds = 1, subscriber_timeout = 1\)/,
  },
  {
    policy: 'queue-visibility-timeout',
    change: 'the precondition asks for 1 x the timeout',
    file: 'pubsub.tf',
    from: 'condition     = local.queue_visibility_timeout_seconds >= 6 * var.subscriber_timeout',
    to: 'condition     = local.queue_visibility_timeout_seconds >= var.subscriber_timeout',
    message: /validations and preconditions admit visibility 1s < 6 x timeout 1s/,
  },
  {
    policy: 'dlq-attached',
    change: 'the DLQ keeps messages 60s',
    file: 'variables.tf',
    from: 'default     = 1209600',
    to: 'default     = 60',
    message: /the DLQ must keep messages longer than its source queue/,
  },
  {
    policy: 'queue-policy-topic-only',
    change: 'S3 may send to the queue',
    file: 'pubsub.tf',
    from: 'identifiers = ["sns.amazonaws.com"]',
    to: 'identifiers = ["s3.amazonaws.com"]',
    message: /sqs:SendMessage from sns.amazonaws.com/,
  },
  {
    policy: 'no-direct-sns-lambda',
    change: 'SNS delivers to a function',
    file: 'pubsub.tf',
    from: 'protocol             = "sqs"',
    to: 'protocol             = "lambda"',
    message: /subscribe a queue, not a function/,
  },
  {
    policy: 'report-batch-item-failures',
    change: 'no partial batch failures',
    file: 'lambda-sub.tf',
    from: 'function_response_types = ["ReportBatchItemFailures"]',
    to: '',
    message: /function_response_types must include ReportBatchItemFailures/,
  },
  {
    policy: 'esm-bounded-concurrency',
    change: 'the concurrency defaults to 1',
    file: 'variables.tf',
    from: 'default     = 5\n\n  validation {\n    condition     = var.subscriber_max_concurrency',
    to: 'default     = 1\n\n  validation {\n    condition     = var.subscriber_max_concurrency',
    message: /scaling_config.maximum_concurrency must be 2-1000/,
  },
  {
    policy: 'esm-bounded-concurrency',
    change: 'the batching-window precondition holds for any batch',
    file: 'lambda-sub.tf',
    from: 'condition     = var.subscriber_batch_size <= 10 || var.subscriber_batching_window_seconds >= 1',
    to: 'condition     = var.subscriber_batch_size >= 1 || var.subscriber_batching_window_seconds >= 0',
    message:
      /validations and preconditions admit batch size 11 with a batching window of 0s \(subscriber_batch_size = 11, subscriber_batching_window_seconds = 0\)/,
  },
  {
    policy: 'esm-bounded-concurrency',
    change: 'the concurrency validation loses its bounds',
    file: 'variables.tf',
    from: 'condition     = var.subscriber_max_concurrency >= 2 && var.subscriber_max_concurrency <= 1000',
    to: 'condition     = var.subscriber_max_concurrency >= 0',
    message: /validations and preconditions admit maximum_concurrency 0 \(subscriber_max_concurrency = 0\)/,
  },
  {
    policy: 'function-url-auth-not-none',
    change: 'the URL defaults to NONE',
    file: 'variables.tf',
    from: 'default     = "AWS_IAM"',
    to: 'default     = "NONE"',
    message: /defaults to NONE/,
  },
  {
    policy: 'function-url-permissions',
    change: 'lambda:InvokeFunction not via the URL',
    file: 'lambda-api.tf',
    from: 'invoked_via_function_url = true',
    to: 'invoked_via_function_url = false',
    message: /invoked_via_function_url = true/,
  },
  {
    policy: 'no-iam-wildcard-action',
    change: 'sns:*',
    file: 'iam.tf',
    from: 'actions   = ["sns:Publish"]',
    to: 'actions   = ["sns:*"]',
    message: /wildcard action sns:\*/,
  },
  {
    policy: 'wildcard-resource-justified',
    change: 'sns:Publish on *',
    file: 'iam.tf',
    from: 'resources = [aws_sns_topic.this.arn]',
    to: 'resources = ["*"]',
    message: /accept narrower resources/,
  },
  {
    policy: 'deploy-trust-scoped',
    change: 'any repository may deploy',
    file: 'iam-deploy.tf',
    from: `"repo:${interpolation('var.github_repository')}:*"`,
    to: '"repo:*"',
    message: /sub must be limited/,
  },
  {
    policy: 'log-retention',
    change: 'the API log group keeps logs forever',
    file: 'lambda-api.tf',
    from: '  retention_in_days = var.log_retention_days\n',
    to: '',
    message: /retention_in_days must be set/,
  },
  {
    policy: 'lambda-in-private-subnets',
    change: 'the API runs in the public subnets',
    file: 'lambda-api.tf',
    from: 'subnet_ids         = local.private_subnet_ids',
    to: 'subnet_ids         = aws_subnet.public[*].id',
    message: /subnet_ids include aws_subnet\.public, a public subnet/,
  },
  {
    policy: 'lambda-in-private-subnets',
    change: 'the API adds the public subnets to the private ones',
    file: 'lambda-api.tf',
    from: 'subnet_ids         = local.private_subnet_ids',
    to: 'subnet_ids         = concat(local.private_subnet_ids, aws_subnet.public[*].id)',
    message: /subnet_ids include aws_subnet\.public, a public subnet/,
  },
  {
    policy: 'lambda-in-private-subnets',
    change: 'local.private_subnet_ids names the public subnets',
    file: 'vpc.tf',
    from: 'private_subnet_ids = var.create_vpc ? aws_subnet.private[*].id',
    to: 'private_subnet_ids = var.create_vpc ? aws_subnet.public[*].id',
    message: /subnet_ids include aws_subnet\.public, a public subnet/,
  },
  {
    policy: 'lambda-in-private-subnets',
    change: 'the private subnets route through the internet gateway',
    file: 'vpc.tf',
    from: 'route_table_id = aws_route_table.private[count.index].id',
    to: 'route_table_id = aws_route_table.public[0].id',
    message:
      /subnet_ids include aws_subnet\.private, a public subnet \(aws_route_table\.public routes to an internet gateway\)/,
  },
  {
    policy: 'lambda-in-private-subnets',
    change: 'the private subnets hand out public IPs',
    file: 'vpc.tf',
    from: 'cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index + 10)',
    to: 'cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index + 10)\n  map_public_ip_on_launch = true',
    message: /subnet_ids include aws_subnet\.private, a public subnet \(map_public_ip_on_launch\)/,
  },
  {
    policy: 'ecr-scan-immutable',
    change: 'no scan on push',
    file: 'ecr.tf',
    from: 'scan_on_push = true',
    to: 'scan_on_push = false',
    message: /scan_on_push/,
  },
  {
    policy: 'provider-pinned',
    change: 'the provider has no upper bound',
    file: 'versions.tf',
    from: '>= 6.29.0, < 7.0.0',
    to: '>= 6.0.0',
    message: /lower bound of at least 6.29|upper bound/,
  },
  {
    policy: 'dlq-alarm',
    change: 'the DLQ alarm watches another queue',
    file: 'monitoring.tf',
    from: 'dimensions          = { QueueName = aws_sqs_queue.dlq.name }',
    to: 'dimensions          = { QueueName = "other" }',
    message: /ApproximateNumberOfMessagesVisible > 0/,
  },
  {
    policy: 'pipeline-alarms',
    change: 'the API alarm watches 4xx',
    file: 'monitoring.tf',
    from: 'metric_name         = "Url5xxCount"',
    to: 'metric_name         = "Url4xxCount"',
    message: /Url5xxCount/,
  },
  {
    policy: 'live-alias-routing',
    change: 'the mapping bypasses the live alias',
    file: 'lambda-sub.tf',
    from: 'function_name                      = aws_lambda_alias.subscriber_live.arn',
    to: 'function_name                      = aws_lambda_function.subscriber.arn',
    message: /live alias/,
  },
  {
    policy: 'deploys-own-image-and-alias',
    change: 'Terraform moves the alias back',
    file: 'lambda-api.tf',
    from: 'ignore_changes = [function_version]',
    to: 'ignore_changes = []',
    message: /function_version/,
  },
  {
    policy: 'contract-environment',
    change: 'DB_HOST renamed',
    file: 'lambda.tf',
    from: 'DB_HOST             =',
    to: 'DATABASE_HOST       =',
    message: /DATABASE_HOST is not in the contract/,
  },
  {
    policy: 'migrate-invoke-deploy-only',
    change: 'the API may invoke functions',
    file: 'iam.tf',
    from: 'actions   = ["sns:Publish"]',
    to: 'actions   = ["sns:Publish", "lambda:InvokeFunction"]',
    message: /lambda:InvokeFunction/,
  },
];

describe('breaking a policy in a copy of the module', () => {
  it('covers every policy', () => {
    expect(new Set(MUTATIONS.map(({ policy }) => policy))).toEqual(
      new Set(POLICIES.map((policy) => policy.id)),
    );
  });

  it.each(MUTATIONS.map((mutation) => [mutation.policy, mutation.change, mutation] as const))(
    '%s flags %s',
    async (id, _change, { file, from, to, message }) => {
      const policy = POLICIES.find((candidate) => candidate.id === id);
      const module = await mutatedPipeline(file, from, to);

      const violations = (await policy?.check(module)) ?? [];

      expect(violations.map((found) => found.message).join('\n')).toMatch(message);
    },
  );
});
