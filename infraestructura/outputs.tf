output "api_function_url" {
  description = "HTTPS endpoint of the API."
  value       = module.pipeline.api_function_url
}

output "api_function_name" {
  description = "API function name."
  value       = module.pipeline.api_function_name
}

output "subscriber_function_name" {
  description = "Subscriber function name."
  value       = module.pipeline.subscriber_function_name
}

output "topic_arn" {
  description = "User events topic ARN."
  value       = module.pipeline.topic_arn
}

output "queue_url" {
  description = "Subscriber queue URL."
  value       = module.pipeline.queue_url
}

output "dlq_url" {
  description = "Dead-letter queue URL."
  value       = module.pipeline.dlq_url
}

output "db_cluster_endpoint" {
  description = "Aurora writer endpoint."
  value       = module.pipeline.db_cluster_endpoint
}

output "db_reader_endpoint" {
  description = "Aurora reader endpoint."
  value       = module.pipeline.db_reader_endpoint
}

output "db_secret_arn" {
  description = "Secrets Manager ARN of the database credentials."
  value       = module.pipeline.db_secret_arn
}

output "ecr_repository_urls" {
  description = "Image repository URL per function."
  value       = module.pipeline.ecr_repository_urls
}

output "sbom_bucket_name" {
  description = "Bucket of the images' SBOMs (the SBOM_BUCKET variable of the deploys)."
  value       = module.pipeline.sbom_bucket_name
}

output "deploy_role_arn" {
  description = "Role GitHub Actions assumes to deploy."
  value       = module.pipeline.deploy_role_arn
}
