output "api_function_urls" {
  description = "Function URL per system."
  value       = { for name, system in module.system : name => system.api_function_url }
}

output "deploy_role_arns" {
  description = "Deploy role per system."
  value       = { for name, system in module.system : name => system.deploy_role_arn }
}

output "dlq_urls" {
  description = "Dead-letter queue per system."
  value       = { for name, system in module.system : name => system.dlq_url }
}
