# One Ingesta system. For several systems in one stack, see examples/multi-system.

module "pipeline" {
  source = "./modules/pipeline"

  name      = var.name
  image_tag = var.image_tag

  azs                  = var.azs
  nat_gateway_mode     = var.nat_gateway_mode
  enable_vpc_endpoints = var.enable_vpc_endpoints

  db_engine_version        = var.db_engine_version
  db_min_capacity          = var.db_min_capacity
  db_max_capacity          = var.db_max_capacity
  db_instance_count        = var.db_instance_count
  db_backup_retention_days = var.db_backup_retention_days
  db_deletion_protection   = var.db_deletion_protection
  db_skip_final_snapshot   = var.db_skip_final_snapshot
  create_rds_proxy         = var.create_rds_proxy

  api_reserved_concurrency   = var.api_reserved_concurrency
  subscriber_max_concurrency = var.subscriber_max_concurrency
  log_retention_days         = var.log_retention_days
  api_function_url_auth_type = var.api_function_url_auth_type
  ecr_force_delete           = var.ecr_force_delete

  github_repository           = var.github_repository
  github_branches             = var.github_branches
  github_environments         = var.github_environments
  create_github_oidc_provider = var.create_github_oidc_provider
  github_oidc_provider_arn    = var.github_oidc_provider_arn

  alarm_email_addresses = var.alarm_email_addresses
}
