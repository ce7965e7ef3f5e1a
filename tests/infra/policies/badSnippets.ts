/** Small HCL snippets that each break one policy, proving the policy can fail. */

const pipelinePieces = (
  overrides: { queue?: string; fn?: string; mapping?: string; extra?: string } = {},
) => `
resource "aws_sqs_queue" "dlq" {
  sqs_managed_sse_enabled   = true
  message_retention_seconds = 1209600
}
resource "aws_sqs_queue" "this" {
  sqs_managed_sse_enabled = true
  ${overrides.queue ?? 'visibility_timeout_seconds = 180\n  redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 5 })'}
}
resource "aws_lambda_function" "sub" {
  ${overrides.fn ?? 'timeout = 30'}
}
resource "aws_lambda_alias" "live" {
  name          = "live"
  function_name = aws_lambda_function.sub.function_name
}
resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn = aws_sqs_queue.this.arn
  function_name    = aws_lambda_alias.live.arn
  ${overrides.mapping ?? 'function_response_types = ["ReportBatchItemFailures"]\n  scaling_config {\n    maximum_concurrency = 5\n  }'}
}
${overrides.extra ?? ''}
`;

const BAD_SNIPPETS: Readonly<Record<string, { readonly snippet: string; readonly expect: RegExp }>> = {
  'slo-burn-rate-pages': {
    // A p99 threshold is not a burn rate: it says nothing about how fast the budget goes.
    snippet: `resource "aws_cloudwatch_metric_alarm" "latency" {
  namespace          = "Ingesta"
  metric_name        = "ApiLatency"
  extended_statistic = "p99"
  threshold          = 250
}`,
    expect: /burn-rate alarm on Ingesta\/ApiLatency by a percentile rank/,
  },
  'aurora-storage-encrypted': {
    snippet: 'resource "aws_rds_cluster" "this" {\n  storage_encrypted = false\n}',
    expect: /storage_encrypted/,
  },
  'sns-encrypted': {
    snippet: 'resource "aws_sns_topic" "this" {\n  name = "events"\n}',
    expect: /kms_master_key_id/,
  },
  'sqs-encrypted': {
    snippet: 'resource "aws_sqs_queue" "this" {\n  sqs_managed_sse_enabled = false\n}',
    expect: /kms_master_key_id or sqs_managed_sse_enabled/,
  },
  'dlq-encrypted': {
    snippet: `
      resource "aws_sqs_queue" "dlq" {
        name = "plain"
      }
      resource "aws_sqs_queue" "this" {
        kms_master_key_id = "alias/x"
        redrive_policy    = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 5 })
      }`,
    expect: /kms_master_key_id or sqs_managed_sse_enabled/,
  },
  'db-not-public': {
    snippet: 'resource "aws_rds_cluster_instance" "this" {\n  publicly_accessible = true\n}',
    expect: /publicly_accessible/,
  },
  'db-private-subnets': {
    snippet: `
      resource "aws_internet_gateway" "this" {}
      resource "aws_subnet" "edge" {
        count = 2
      }
      resource "aws_route_table" "edge" {}
      resource "aws_route" "out" {
        route_table_id = aws_route_table.edge.id
        gateway_id     = aws_internet_gateway.this.id
      }
      resource "aws_route_table_association" "edge" {
        count          = 2
        subnet_id      = aws_subnet.edge[count.index].id
        route_table_id = aws_route_table.edge.id
      }
      resource "aws_db_subnet_group" "this" {
        subnet_ids = aws_subnet.edge[*].id
      }
      resource "aws_rds_cluster" "this" {
        db_subnet_group_name = aws_db_subnet_group.this.name
      }`,
    expect: /public subnets: edge/,
  },
  'db-managed-master-password': {
    snippet: 'resource "aws_rds_cluster" "this" {\n  master_password = var.db_password\n}',
    expect: /manage_master_user_password must be true/,
  },
  'db-force-ssl': {
    snippet: `
      resource "aws_rds_cluster_parameter_group" "this" {
        parameter {
          name  = "rds.force_ssl"
          value = "0"
        }
      }
      resource "aws_rds_cluster" "this" {
        db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.this.name
      }`,
    expect: /rds.force_ssl = 1/,
  },
  'db-ingress-lambda-only': {
    snippet: `
      resource "aws_security_group" "db" {}
      resource "aws_vpc_security_group_ingress_rule" "open" {
        security_group_id = aws_security_group.db.id
        ip_protocol       = "tcp"
        from_port         = 5432
        to_port           = 5432
        cidr_ipv4         = "0.0.0.0/0"
      }
      resource "aws_vpc_security_group_ingress_rule" "self" {
        security_group_id            = aws_security_group.db.id
        ip_protocol                  = "tcp"
        from_port                    = 5432
        to_port                      = 5432
        referenced_security_group_id = aws_security_group.db.id
      }
      resource "aws_rds_cluster" "this" {
        vpc_security_group_ids = [aws_security_group.db.id]
      }`,
    expect: /never a CIDR[\s\S]*admits aws_security_group\.db, the database's own group/,
  },
  'db-iam-own-user': {
    snippet: `
      resource "aws_rds_cluster" "this" {
        iam_database_authentication_enabled = true
      }
      resource "aws_iam_role" "api" {}
      data "aws_iam_policy_document" "api" {
        statement {
          actions   = ["rds-db:connect"]
          resources = ["arn:aws:rds-db:us-east-1:123456789012:dbuser:\${aws_rds_cluster.this.cluster_resource_id}/*"]
        }
      }
      resource "aws_iam_role_policy" "api" {
        role   = aws_iam_role.api.id
        policy = data.aws_iam_policy_document.api.json
      }
      resource "aws_lambda_function" "api" {
        role = aws_iam_role.api.arn
        environment {
          variables = {
            DB_IAM_AUTH = "true"
            DB_USER     = "ingesta_api"
          }
        }
      }`,
    expect: /may connect as .*\/\*, not only as its own user ingesta_api of this cluster/,
  },
  'db-master-secret-migrations-only': {
    snippet: pipelinePieces({
      extra: `
        resource "aws_rds_cluster" "this" {}
        resource "aws_iam_role" "api" {}
        data "aws_iam_policy_document" "api" {
          statement {
            actions   = ["secretsmanager:GetSecretValue"]
            resources = [aws_rds_cluster.this.master_user_secret[0].secret_arn]
          }
        }
        resource "aws_iam_role_policy" "api" {
          role   = aws_iam_role.api.id
          policy = data.aws_iam_policy_document.api.json
        }
        resource "aws_lambda_function" "api" {
          role = aws_iam_role.api.arn
        }`,
    }),
    expect:
      /lets api read .*master_user_secret.*: only the function that runs migrations may read the master secret/,
  },
  'db-timeouts-before-lambda-timeout': {
    snippet: `
      resource "aws_lambda_function" "api" {
        timeout = 10
        environment {
          variables = {
            DB_CONNECT_TIMEOUT_MS = "9000"
            API_DEADLINE_MS       = "8000"
          }
        }
      }
      resource "aws_lambda_function_url" "api" {
        function_name = aws_lambda_function.api.function_name
      }`,
    expect: /connect timeout 9000 ms not below its deadline 8000 ms/,
  },
  'no-literal-secrets': {
    snippet: `
      variable "db_password" {
        type    = string
        default = "hunter2hunter2"
      }
      resource "aws_rds_cluster" "this" {
        master_password = "hunter2hunter2"
      }`,
    expect: /a secret must not be written in a file/,
  },
  'queue-visibility-timeout': {
    // The precondition names the timeout but asks only that it be positive.
    snippet: pipelinePieces({
      queue:
        'visibility_timeout_seconds = 180\n  lifecycle {\n    precondition {\n      condition     = var.timeout > 0\n      error_message = "x"\n    }\n  }',
      fn: 'timeout = var.timeout',
      extra: 'variable "timeout" {\n  type    = number\n  default = 30\n}',
    }),
    expect: /admit visibility 180s < 6 x timeout 31s \(timeout = 31\)/,
  },
  'dlq-attached': {
    snippet: pipelinePieces({ queue: 'visibility_timeout_seconds = 180' }),
    expect: /redrive_policy/,
  },
  'queue-policy-topic-only': {
    snippet: pipelinePieces({
      extra: `
        data "aws_iam_policy_document" "queue" {
          statement {
            actions   = ["sqs:SendMessage"]
            resources = [aws_sqs_queue.this.arn]
            principals {
              type        = "AWS"
              identifiers = ["*"]
            }
          }
        }
        resource "aws_sqs_queue_policy" "this" {
          queue_url = aws_sqs_queue.this.id
          policy    = data.aws_iam_policy_document.queue.json
        }`,
    }),
    expect: /sqs:SendMessage from sns.amazonaws.com/,
  },
  'no-direct-sns-lambda': {
    snippet: `
      resource "aws_sns_topic" "this" {}
      resource "aws_sns_topic_subscription" "direct" {
        topic_arn = aws_sns_topic.this.arn
        protocol  = "lambda"
        endpoint  = "arn:aws:lambda:us-east-1:123456789012:function:sub"
      }`,
    expect: /subscribe a queue, not a function/,
  },
  'report-batch-item-failures': {
    snippet: pipelinePieces({ mapping: 'scaling_config {\n    maximum_concurrency = 5\n  }' }),
    expect: /ReportBatchItemFailures/,
  },
  'esm-bounded-concurrency': {
    // The precondition names the batch and the window, but lets batches of 11-100 through without a window.
    snippet: pipelinePieces({
      mapping: `function_response_types = ["ReportBatchItemFailures"]
  batch_size                         = var.batch
  maximum_batching_window_in_seconds = var.window
  scaling_config {
    maximum_concurrency = 5
  }
  lifecycle {
    precondition {
      condition     = var.batch <= 100 || var.window >= 1
      error_message = "x"
    }
  }`,
      extra:
        'variable "batch" {\n  type    = number\n  default = 10\n}\nvariable "window" {\n  type    = number\n  default = 0\n}',
    }),
    expect: /admit batch size 11 with a batching window of 0s \(batch = 11, window = 0\)/,
  },
  'function-url-auth-not-none': {
    snippet: `
      variable "auth" {
        type    = string
        default = "NONE"
      }
      resource "aws_lambda_function_url" "api" {
        authorization_type = var.auth
      }`,
    expect: /defaults to NONE/,
  },
  'function-url-permissions': {
    snippet: `
      resource "aws_lambda_function" "api" {}
      resource "aws_lambda_function_url" "api" {
        function_name      = aws_lambda_function.api.function_name
        authorization_type = "AWS_IAM"
      }
      resource "aws_lambda_permission" "url" {
        action                 = "lambda:InvokeFunctionUrl"
        function_name          = aws_lambda_function.api.function_name
        principal              = "123456789012"
        function_url_auth_type = "AWS_IAM"
      }`,
    expect: /invoked_via_function_url/,
  },
  'no-iam-wildcard-action': {
    snippet: `
      data "aws_iam_policy_document" "admin" {
        statement {
          actions   = ["*"]
          resources = [aws_sns_topic.this.arn]
        }
      }
      resource "aws_iam_role_policy" "inline" {
        policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["s3:*"], Resource = "arn:aws:s3:::b" }] })
      }`,
    expect: /wildcard action \*/,
  },
  'wildcard-resource-justified': {
    snippet: `
      data "aws_iam_policy_document" "api" {
        statement {
          actions   = ["sns:Publish"]
          resources = ["*"]
        }
      }`,
    expect: /accept narrower resources/,
  },
  'deploy-trust-scoped': {
    snippet: `
      data "aws_iam_policy_document" "deploy_assume" {
        statement {
          actions = ["sts:AssumeRoleWithWebIdentity"]
          condition {
            test     = "StringLike"
            variable = "token.actions.githubusercontent.com:sub"
            values   = ["repo:*"]
          }
        }
      }`,
    expect: /sub must be limited|aud = sts/,
  },
  'log-retention': {
    snippet: 'resource "aws_cloudwatch_log_group" "api" {\n  name = "/aws/lambda/api"\n}',
    expect: /retention_in_days must be set/,
  },
  'logs-mask-emails': {
    // Auditing finds the emails but leaves them readable: only Deidentify masks them.
    snippet: `
      resource "aws_cloudwatch_log_group" "api" {
        retention_in_days = 30
      }
      resource "aws_lambda_function" "api" {
        logging_config {
          log_group = aws_cloudwatch_log_group.api.name
        }
      }
      data "aws_cloudwatch_log_data_protection_policy_document" "emails" {
        name = "audit-only"
        statement {
          sid              = "Audit"
          data_identifiers = ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"]
          operation {
            audit {
              findings_destination {}
            }
          }
        }
      }
      resource "aws_cloudwatch_log_data_protection_policy" "api" {
        log_group_name  = aws_cloudwatch_log_group.api.name
        policy_document = data.aws_cloudwatch_log_data_protection_policy_document.emails.json
      }`,
    expect: /does not mask EmailAddress \(Deidentify with mask_config\)/,
  },
  'lambda-in-private-subnets': {
    // A subnet named private is public all the same when its route table leads to an internet gateway.
    snippet: `
      resource "aws_internet_gateway" "this" {}
      resource "aws_subnet" "private" {
        count = 2
      }
      resource "aws_route_table" "main" {
        route {
          cidr_block = "0.0.0.0/0"
          gateway_id = aws_internet_gateway.this.id
        }
      }
      resource "aws_route_table_association" "private" {
        count          = 2
        subnet_id      = aws_subnet.private[count.index].id
        route_table_id = aws_route_table.main.id
      }
      resource "aws_security_group" "lambda" {}
      resource "aws_lambda_function" "api" {
        package_type = "Image"
      }
      resource "aws_lambda_function" "sub" {
        vpc_config {
          subnet_ids         = aws_subnet.private[*].id
          security_group_ids = [aws_security_group.lambda.id]
        }
      }`,
    expect:
      /vpc_config needs private subnet_ids[\s\S]*subnet_ids include aws_subnet\.private, a public subnet \(aws_route_table\.main routes to an internet gateway\)/,
  },
  'ecr-scan-immutable': {
    snippet: `
      resource "aws_ecr_repository" "this" {
        image_tag_mutability = "MUTABLE"
        image_scanning_configuration {
          scan_on_push = false
        }
      }`,
    expect: /IMMUTABLE/,
  },
  'provider-pinned': {
    snippet: `
      terraform {
        required_version = ">= 1.6.0"
        required_providers {
          aws = {
            source  = "hashicorp/aws"
            version = ">= 5.0"
          }
        }
      }`,
    expect: /lower bound of at least 6.29|upper bound/,
  },
  'dlq-alarm': { snippet: pipelinePieces(), expect: /ApproximateNumberOfMessagesVisible > 0/ },
  'pipeline-alarms': { snippet: pipelinePieces(), expect: /ApproximateAgeOfOldestMessage alarm/ },
  'live-alias-routing': {
    snippet: pipelinePieces({
      extra: `
        resource "aws_lambda_alias" "beta" {
          name          = "beta"
          function_name = aws_lambda_function.sub.function_name
        }
        resource "aws_lambda_function_url" "api" {
          function_name = aws_lambda_function.sub.function_name
          qualifier     = aws_lambda_alias.beta.name
        }`,
    }),
    expect: /qualifier must be the live alias/,
  },
  'deploys-own-image-and-alias': {
    snippet: pipelinePieces({
      fn: 'package_type = "Image"\n  image_uri = "123.dkr.ecr.us-east-1.amazonaws.com/x:1"',
    }),
    expect: /ignore_changes must include image_uri|image_uri must come from the ECR repository/,
  },
  'contract-environment': {
    snippet: pipelinePieces({
      fn: 'environment {\n    variables = {\n      DATABASE_HOST = "db"\n    }\n  }',
    }),
    expect: /DATABASE_HOST is not in the contract/,
  },
  'migrate-invoke-deploy-only': {
    snippet: pipelinePieces({
      extra: `
        resource "aws_lambda_permission" "sns" {
          action        = "lambda:InvokeFunction"
          function_name = aws_lambda_function.sub.function_name
          principal     = "sns.amazonaws.com"
        }`,
    }),
    expect: /opens the subscriber to another principal/,
  },
  'db-connection-budget': {
    // The guard forgets the subscriber and the headroom.
    snippet: `
      variable "api_reserved_concurrency" { default = 10 }
      variable "subscriber_max_concurrency" { default = 5 }
      variable "db_pool_max" { default = 2 }
      variable "db_connection_headroom" { default = 10 }
      variable "db_min_capacity" { default = 0.5 }
      variable "db_max_capacity" { default = 4 }
      variable "create_rds_proxy" { default = false }
      resource "aws_lambda_function" "api" {
        reserved_concurrent_executions = var.api_reserved_concurrency
        lifecycle {
          precondition {
            condition     = var.api_reserved_concurrency * var.db_pool_max <= 189 * var.db_max_capacity
            error_message = "x"
          }
        }
      }
      resource "aws_lambda_function_url" "api" {
        function_name = aws_lambda_function.api.function_name
      }`,
    expect: /no precondition refuses \(\d+ \+ 2\) x 1 \+ 0/,
  },
  'rds-proxy-wiring': {
    snippet: `
      variable "create_rds_proxy" { default = false }
      resource "aws_db_proxy" "this" {
        count         = var.create_rds_proxy ? 1 : 0
        engine_family = "POSTGRESQL"
        require_tls   = false
      }`,
    expect: /require_tls must be true/,
  },
  's3-bucket-encrypted': {
    snippet: `
      resource "aws_s3_bucket" "sbom" {}
      resource "aws_s3_bucket_server_side_encryption_configuration" "sbom" {
        bucket = aws_s3_bucket.sbom.id
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm = "AES256"
          }
        }
      }`,
    expect: /needs SSE-KMS/,
  },
  's3-bucket-versioned': {
    snippet: `
      resource "aws_s3_bucket" "sbom" {}
      resource "aws_s3_bucket_versioning" "sbom" {
        bucket = aws_s3_bucket.sbom.id
        versioning_configuration {
          status = "Suspended"
        }
      }`,
    expect: /versioning_configuration.status must be Enabled/,
  },
  's3-bucket-private': {
    snippet: `
      resource "aws_s3_bucket" "sbom" {}
      resource "aws_s3_bucket_public_access_block" "sbom" {
        bucket              = aws_s3_bucket.sbom.id
        block_public_acls   = true
        block_public_policy = true
      }`,
    expect: /must set ignore_public_acls, restrict_public_buckets = true[\s\S]*aws:SecureTransport/,
  },
  'deploy-sbom-prefix-only': {
    snippet: `
      resource "aws_s3_bucket" "sbom" {}
      resource "aws_iam_role" "deploy" {}
      resource "aws_iam_role_policy" "deploy" {
        role   = aws_iam_role.deploy.id
        policy = data.aws_iam_policy_document.deploy.json
      }
      data "aws_iam_policy_document" "deploy" {
        statement {
          actions   = ["s3:PutObject", "s3:GetObject"]
          resources = ["\${aws_s3_bucket.sbom.arn}/*"]
        }
      }`,
    expect:
      /s3:GetObject: the deploy role only puts SBOMs[\s\S]*resources must be <sbom bucket ARN>\/sbom\/<function>\/\*/,
  },
};

export { BAD_SNIPPETS };
