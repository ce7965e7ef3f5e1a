output "api_function_url" {
  description = "HTTPS endpoint of the API (Function URL on the live alias)."
  value       = try(aws_lambda_function_url.api.function_url, null)
}

output "api_function_url_auth_type" {
  description = "Auth type of the Function URL (AWS_IAM unless deliberately NONE)."
  value       = try(aws_lambda_function_url.api.authorization_type, null)
}

output "api_function_name" {
  description = "Name of the API function."
  value       = try(aws_lambda_function.api.function_name, null)
}

output "subscriber_function_name" {
  description = "Name of the subscriber function (invoke it with {\"action\":\"migrate\"} to migrate the schema)."
  value       = try(aws_lambda_function.subscriber.function_name, null)
}

output "live_alias_name" {
  description = "Alias that serves traffic on both functions; deploys move it."
  value       = try(aws_lambda_alias.api_live.name, null)
}

output "topic_arn" {
  description = "ARN of the user events topic."
  value       = try(aws_sns_topic.this.arn, null)
}

output "queue_url" {
  description = "URL of the subscriber's queue."
  value       = try(aws_sqs_queue.this.url, null)
}

output "queue_arn" {
  description = "ARN of the subscriber's queue."
  value       = try(aws_sqs_queue.this.arn, null)
}

output "dlq_url" {
  description = "URL of the dead-letter queue."
  value       = try(aws_sqs_queue.dlq.url, null)
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = try(aws_sqs_queue.dlq.arn, null)
}

output "db_cluster_identifier" {
  description = "Aurora cluster identifier."
  value       = try(aws_rds_cluster.this.cluster_identifier, null)
}

output "db_cluster_endpoint" {
  description = "Aurora writer endpoint."
  value       = try(aws_rds_cluster.this.endpoint, null)
}

output "db_reader_endpoint" {
  description = "Aurora reader endpoint (the writer while there is one instance)."
  value       = try(aws_rds_cluster.this.reader_endpoint, null)
}

output "db_secret_arn" {
  description = "ARN of the Secrets Manager secret RDS keeps the master credentials in (the ARN only, never the value)."
  value       = try(local.db_secret_arn, null)
}

output "ecr_repository_urls" {
  description = "Image repository URL per function (keys api and suscriptor)."
  value       = { for key, repository in aws_ecr_repository.this : key => repository.repository_url }
}

output "sbom_bucket_name" {
  description = "S3 bucket the deploys store each image's SBOM in (sbom/<function>/sha256-<hex>.cdx.json)."
  value       = try(aws_s3_bucket.sbom.bucket, null)
}

output "db_proxy_endpoint" {
  description = "RDS Proxy endpoint the functions connect to (null when create_rds_proxy is false)."
  value       = try(aws_db_proxy.this[0].endpoint, null)
}

output "deploy_role_arn" {
  description = "Role GitHub Actions assumes to deploy (null when create_deploy_role is false)."
  value       = try(aws_iam_role.deploy[0].arn, null)
}

output "github_oidc_provider_arn" {
  description = "GitHub OIDC provider the deploy role trusts; pass it to other stacks in the same account."
  value       = local.github_oidc_provider_arn
}

output "kms_key_arn" {
  description = "Customer-managed KMS key of this system."
  value       = try(aws_kms_key.this.arn, null)
}

output "vpc_id" {
  description = "VPC the functions and the database run in."
  value       = local.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets of the functions and the database."
  value       = local.private_subnet_ids
}

output "lambda_security_group_id" {
  description = "Security group of both functions (the database admits it on 5432)."
  value       = try(aws_security_group.lambda.id, null)
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify (null when create_alarm_topic is false)."
  value       = try(aws_sns_topic.alarms[0].arn, null)
}

output "dashboard_name" {
  description = "CloudWatch dashboard name (null when create_dashboard is false)."
  value       = try(aws_cloudwatch_dashboard.this[0].dashboard_name, null)
}

output "slo_page_alarm_names" {
  description = "Composite alarm that pages per SLO (api_availability, api_latency, freshness); empty when create_slo_alarms is false."
  value       = { for slo, alarm in aws_cloudwatch_composite_alarm.slo_page : slo => alarm.alarm_name }
}
