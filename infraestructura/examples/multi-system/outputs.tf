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

output "fleet_dashboard_name" {
  description = "CloudWatch dashboard of every system (null when create_fleet_dashboard is false)."
  value       = try(aws_cloudwatch_dashboard.fleet[0].dashboard_name, null)
}
